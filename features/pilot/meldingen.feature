# language: nl
@pilot @hop:gemeente-ggk
Functionaliteit: E-mails van het GGk aan medewerkers met een persoonlijk adres
  Het GGk meldt per e-mail dat een rapport klaarstaat, herinnert aan deadlines en vraagt
  om de opt-in. Elke medewerker heeft een eigen adres; een gedeeld adres is er niet.
  Ook voor de toestemmingen komen herinneringen (seed 003): drie werkdagen vóór de
  opt-in-deadline aan wie nog niet besloot, en drie werkdagen voordat het intrekken sluit.

  Achtergrond:
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    En medewerker "Henk de Vries" (henk@amsterdam.nl, 020-1234567) van de gemeente

  Scenario: De medewerker krijgt een e-mail als een rapport klaarstaat
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En ontvangt henk@amsterdam.nl een e-mail over "rapport" op maandag 15 augustus 2016

  Scenario: Drie werkdagen vóór de tussentijdse deadline komt een herinnering
    Als de klok naar dinsdag 13 september 2016 gaat
    Dan heeft henk@amsterdam.nl nog geen e-mail over "herinnering"
    Als de klok naar woensdag 14 september 2016 gaat
    Dan ontvangt henk@amsterdam.nl een e-mail over "herinnering" op woensdag 14 september 2016

  Scenario: Op 9 november vraagt het GGk om de opt-in, alleen wie een op-orde rapport heeft
    Gegeven medewerker "Piet Bakker" (piet@leiden.nl, 071-1234567) van Leiden (0546)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar woensdag 9 november 2016 gaat
    Dan ontvangt henk@amsterdam.nl een e-mail over "opt-in" op woensdag 9 november 2016
    En heeft piet@leiden.nl nog geen e-mail over "opt-in"
