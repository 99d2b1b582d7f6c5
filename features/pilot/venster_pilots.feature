# language: nl
@pilot @hop:gemeente-ggk
Functionaliteit: De aanleververnsters van de pilots van 2017 en 2018, tot op de dag
  In de pilot van 2017 volgt na de burentest (week 2 en 3 van januari) de aanlevering vanaf
  woensdag 1 februari 2017; in de burentestweken gaan testaanleveringen de hele keten rond,
  heen en terug. In pilot fase II (2018) loopt de reguliere aanlevering van maandag
  12 februari tot en met vrijdag 9 maart 2018, voor H2 2017 en de vorige periode H1 2017;
  daarna kan alleen nog worden ingetrokken.

  Scenario: In de burentestweken gaat een testaanlevering heen en terug door de keten
    Gegeven de tijdlijn "pilot 2017"
    En gemeente Rotterdam (0599)
    Als de klok naar dinsdag 10 januari 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_burentest.csv"
    Dan neemt het GGk de upload op tijd aan
    En staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente

  Scenario: Na de burentestweken en vóór de opening weigert het GGk de aanlevering
    Gegeven de tijdlijn "pilot 2017"
    En gemeente Rotterdam (0599)
    Als de klok naar maandag 23 januari 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_pilot.csv"
    Dan weigert het GGk de upload met HTTP 422 en een melding met "opent op 1 februari 2017"

  Scenario: De dag vóór de opening weigert het GGk de aanlevering
    Gegeven de tijdlijn "pilot 2017"
    En gemeente Rotterdam (0599)
    Als de klok naar dinsdag 31 januari 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_pilot.csv"
    Dan weigert het GGk de upload met HTTP 422 en een melding met "opent op 1 februari 2017"

  Scenario: Op de dag van de opening neemt het GGk de aanlevering aan
    Gegeven de tijdlijn "pilot 2017"
    En gemeente Rotterdam (0599)
    Als de klok naar woensdag 1 februari 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_pilot.csv"
    Dan neemt het GGk de upload op tijd aan

  Scenario: Op de laatste dag van pilot fase II neemt het GGk de aanlevering aan
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Utrecht (0344)
    Als de klok naar vrijdag 9 maart 2018 om 17:00 gaat
    En de gemeente een Jeugd-bestand aanlevert als "JEUGD_H22017.csv"
    Dan neemt het GGk de upload op tijd aan

  Scenario: De eerste werkdag na pilot fase II weigert het GGk de aanlevering
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Utrecht (0344)
    Als de klok naar maandag 12 maart 2018 gaat
    En de gemeente een Jeugd-bestand aanlevert als "JEUGD_H22017.csv"
    Dan weigert het GGk de upload met HTTP 422 en een melding met "gesloten sinds 9 maart 2018"

  Scenario: In pilot fase II kan ook de vorige periode H1 2017 worden aangeleverd
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Utrecht (0344)
    Als de gemeente een Jeugd-bestand aanlevert als "JEUGD_H12017.csv"
    Dan neemt het GGk de upload op tijd aan
    En staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
