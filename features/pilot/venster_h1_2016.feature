# language: nl
@pilot @hop:gemeente-ggk
Functionaliteit: Het aanleververnster van H1 2016, tot op de dag
  Volgens de tijdlijn "H1 2016" opent de aanlevering op maandag 15 augustus 2016. Tot en
  met de tussentijdse deadline van maandag 19 september is een aanlevering op tijd; tot
  en met de correctiedeadline van maandag 24 oktober neemt het GGk haar aan als te laat;
  daarna niet meer. Voor H2 2015 mag nog worden aangeleverd, voor oudere periodes niet.

  Scenario: Op de eerste dag van het venster neemt het GGk de aanlevering op tijd aan
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan neemt het GGk de upload op tijd aan

  Scenario: Op de tussentijdse deadline is een aanlevering nog op tijd
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de klok naar maandag 19 september 2016 om 16:59 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan neemt het GGk de upload op tijd aan

  Scenario: De dag na de tussentijdse deadline neemt het GGk een aanlevering aan als te laat
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de klok naar dinsdag 20 september 2016 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan neemt het GGk de upload aan als te laat

  Scenario: Op de correctiedeadline kan de gemeente nog aanleveren
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de klok naar maandag 24 oktober 2016 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H12016_correctie.csv"
    Dan neemt het GGk de upload aan als te laat

  Scenario: Na de correctiedeadline weigert het GGk de aanlevering
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de klok naar dinsdag 25 oktober 2016 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H12016_correctie.csv"
    Dan weigert het GGk de upload met HTTP 422 en een melding met "gesloten sinds 24 oktober 2016"

  Scenario: De vorige verslagperiode H2 2015 kan nog worden aangeleverd
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22015_correctie.csv"
    Dan neemt het GGk de upload op tijd aan

  Scenario: Een periode ouder dan de vorige weigert het GGk met een duidelijke melding
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12015_regulier.csv"
    Dan weigert het GGk de upload met HTTP 422 en een melding met "wel voor H12016, H22015"
