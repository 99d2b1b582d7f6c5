# language: nl
@pilot @hop:gemeente-ggk
Functionaliteit: De aanlevering opent op de eerste van de maand na de verslagperiode
  De werknotities (seed 003) zeggen: de aanlevering start op de eerste van de maand die
  volgt op de verslagperiode, en het GGk stuurt dan een melding. Noemt een tijdlijn geen
  openingsdatum, dan rekent het GGk hem zo uit: voor H2 2016 is dat zondag 1 januari 2017.

  Achtergrond:
    Gegeven de tijdlijn "H2 2016 werknotities"
    En gemeente Amsterdam (0363)
    En medewerker "Henk de Vries" (henk@amsterdam.nl, 020-1234567) van de gemeente

  Scenario: Op de laatste dag van de verslagperiode is de aanlevering nog niet open
    Als de klok naar zaterdag 31 december 2016 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_regulier.csv"
    Dan weigert het GGk de upload met HTTP 422 en een melding met "opent op 1 januari 2017"

  Scenario: Op de eerste van de maand na de verslagperiode neemt het GGk de aanlevering aan
    Als de klok naar zondag 1 januari 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_regulier.csv"
    Dan neemt het GGk de upload op tijd aan

  Scenario: Op de eerste dag van de aanlevering mailt het GGk dat de aanlevering open is
    Als de klok naar zaterdag 31 december 2016 gaat
    Dan heeft henk@amsterdam.nl nog geen e-mail over "is geopend"
    Als de klok naar zondag 1 januari 2017 gaat
    Dan ontvangt henk@amsterdam.nl een e-mail over "is geopend" op zondag 1 januari 2017
