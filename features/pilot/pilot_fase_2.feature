# language: nl
@pilot @hop:gemeente-cbs
Functionaliteit: Pilot fase II (2018) met een samenwerkingsverband en een intrekking
  Vier gemeenten doen mee: drie in het samenwerkingsverband Holland Rijnland (Leiden levert
  aan voor Leiderdorp en Oegstgeest, één bestand per gemeente) en Amsterdam. Intrekken kan
  via het portaal van 12 tot en met 23 maart 2018, maar niet door gemeenten die hun
  levering hebben gedelegeerd. Een gemeente kan ook alleen haar correctielevering intrekken:
  dan geldt de levering van daarvoor weer.

  @ernst:blokkerend
  Scenario: Vier gemeenten leveren aan, drie via het samenwerkingsverband, en Amsterdam trekt in
    Gegeven de tijdlijn "pilot fase II 2018"
    En het samenwerkingsverband "Holland Rijnland" met uitvoerder Leiden (0546) en leden Leiderdorp (0547) en Oegstgeest (0579)
    En gemeente Amsterdam (0363)
    En medewerker "Anna Jansen" (anna@amsterdam.nl, 020-7654321) van de gemeente
    Als deze gemeenten aanleveren:
      | gemeente         | bestand            | namens            |
      | Amsterdam (0363) | WMO_H22017_a.csv   |                   |
      | Leiden (0546)    | WMO_H22017_b.csv   |                   |
      | Leiden (0546)    | WMO_H22017_c.csv   | Leiderdorp (0547) |
      | Leiden (0546)    | WMO_H22017_d.csv   | Oegstgeest (0579) |
    Dan krijgt elke gemeente binnen 3 werkdagen een technisch rapport "goedgekeurd"
    En ziet Oegstgeest (0579) dat Leiderdorp (0547) een bestand heeft aangeleverd
    Als de klok naar maandag 12 maart 2018 gaat
    En de medewerker de levering van H22017 intrekt
    Dan neemt het GGk de intrekking aan
    En legt het CBS bij de Wmo-levering voor H22017 "ingetrokken" vast met de naam van de medewerker

  Scenario: De uitvoerende gemeente levert per lid een eigen bestand aan en de leden zien dat
    Gegeven de tijdlijn "pilot fase II 2018"
    En het samenwerkingsverband "Holland Rijnland" met uitvoerder Leiden (0546) en leden Leiderdorp (0547) en Oegstgeest (0579)
    Als Leiden (0546) een Wmo-bestand aanlevert namens Leiderdorp (0547) als "WMO_H22017_lid.csv"
    Dan krijgt de gemeente voor het bestand een GGk-referentienummer
    En ziet Oegstgeest (0579) dat Leiderdorp (0547) een bestand heeft aangeleverd

  Scenario: Eén bestand voor alle leden weigert het GGk
    Gegeven de tijdlijn "pilot fase II 2018"
    En het samenwerkingsverband "Holland Rijnland" met uitvoerder Leiden (0546) en leden Leiderdorp (0547) en Oegstgeest (0579)
    Als Leiden (0546) een Wmo-bestand aanlevert namens alle leden als "WMO_H22017_allen.csv"
    Dan weigert het GGk de upload met HTTP 422 en een melding met "per gemeente"

  Scenario: Een gemeente trekt haar levering in binnen het venster
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Amsterdam (0363)
    En medewerker "Anna Jansen" (anna@amsterdam.nl, 020-7654321) van de gemeente
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_pilot.csv"
    En de klok naar vrijdag 23 maart 2018 gaat
    En de medewerker de levering van H22017 intrekt
    Dan neemt het GGk de intrekking aan
    En legt het CBS bij de Wmo-levering voor H22017 "ingetrokken" vast met de naam van de medewerker

  Scenario: Vóór het intrekvenster kan een gemeente niet intrekken
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Amsterdam (0363)
    En medewerker "Anna Jansen" (anna@amsterdam.nl, 020-7654321) van de gemeente
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_pilot.csv"
    En de klok naar vrijdag 9 maart 2018 gaat
    En de medewerker de levering van H22017 intrekt
    Dan weigert het GGk de intrekking met HTTP 422 en een melding met "12 maart 2018"

  Scenario: Na het intrekvenster kan een gemeente niet meer intrekken
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Amsterdam (0363)
    En medewerker "Anna Jansen" (anna@amsterdam.nl, 020-7654321) van de gemeente
    Als de klok naar maandag 26 maart 2018 gaat
    En de medewerker de levering van H22017 intrekt
    Dan weigert het GGk de intrekking met HTTP 422 en een melding met "23 maart 2018"

  Scenario: Een lid dat zijn levering delegeerde kan niet via het GGk intrekken
    Gegeven de tijdlijn "pilot fase II 2018"
    En het samenwerkingsverband "Holland Rijnland" met uitvoerder Leiden (0546) en leden Leiderdorp (0547) en Oegstgeest (0579), die hun levering hebben gedelegeerd
    En gemeente Leiderdorp (0547)
    En medewerker "Piet Bakker" (piet@leiderdorp.nl, 071-1234567) van de gemeente
    Als de klok naar maandag 12 maart 2018 gaat
    En de medewerker de levering van H22017 intrekt
    Dan weigert het GGk de intrekking met HTTP 403 en een melding met "formulier van het CBS"

  Scenario: Een gemeente trekt alleen haar correctielevering in; de levering van daarvoor geldt weer
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Amsterdam (0363)
    En medewerker "Anna Jansen" (anna@amsterdam.nl, 020-7654321) van de gemeente
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_eerste.csv"
    En de klok naar dinsdag 13 februari 2018 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22017_correctie.csv"
    En de klok naar maandag 12 maart 2018 gaat
    En de medewerker alleen de correctielevering van Wmo voor H22017 intrekt
    Dan neemt het GGk de intrekking aan
    En heeft de Wmo-levering "WMO_H22017_correctie_0363.csv" voor H22017 bij het CBS de status "correctie ingetrokken"
    En is de Wmo-levering "WMO_H22017_eerste_0363.csv" voor H22017 bij het CBS weer de actuele, met status "op-orde verzonden"

  Scenario: Zonder correctielevering valt er geen correctie in te trekken
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Amsterdam (0363)
    En medewerker "Anna Jansen" (anna@amsterdam.nl, 020-7654321) van de gemeente
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_pilot.csv"
    En de klok naar maandag 12 maart 2018 gaat
    En de medewerker alleen de correctielevering van Wmo voor H22017 intrekt
    Dan neemt het GGk de intrekking aan
    En krijgt de gemeente op haar intrekking een foutrapport met foutcode "StUF055" van het CBS
    En heeft de Wmo-levering "WMO_H22017_pilot_0363.csv" voor H22017 bij het CBS de status "op-orde verzonden"

