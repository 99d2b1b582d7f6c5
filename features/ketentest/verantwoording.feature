# language: nl
@ketentest @hop:gemeente-ggk
Functionaliteit: Het GGk legt vast wie wat deed: auditlog en metagegevens
  Het GGk houdt van elke upload en elke download bij wie het deed en wanneer (seed 000
  hoofdstuk 6: tracking and tracing), ook als de software van de gemeente de webservice
  gebruikt in plaats van het portaal. Bij elke upload legt het GGk metagegevens vast: wie
  uploadde, het tijdstip, de oorspronkelijke naam en het GGk-referentienummer; die gaan naast
  het bestand naar het CBS.

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)

  Scenario: Een upload via de webservice staat in het auditlog met wie uploadde
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan staat in het auditlog van Amsterdam (0363) een regel "upload" met resultaat "gelukt" door medewerker@gemeente.nl

  Scenario: Een geweigerde upload via de webservice staat ook in het auditlog
    Als de gemeente bij het GGk een leeg bestand "WMO_H12016.csv" instuurt
    Dan weigert het GGk de upload met HTTP 400 en een melding met "is leeg"
    En staat in het auditlog van Amsterdam (0363) een regel "upload" met resultaat "geweigerd" door harness@ketentest.nl

  Scenario: Elke keer dat een rapport wordt opgehaald, staat in het auditlog wie het ophaalde
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En anna@amsterdam.nl het technisch rapport ophaalt bij het GGk
    En henk@amsterdam.nl het technisch rapport ophaalt bij het GGk
    Dan staat in het auditlog van Amsterdam (0363) een regel "download" met resultaat "gelukt" door medewerker@gemeente.nl
    En staat in het auditlog van Amsterdam (0363) een regel "download" met resultaat "gelukt" door anna@amsterdam.nl
    En staat in het auditlog van Amsterdam (0363) een regel "download" met resultaat "gelukt" door henk@amsterdam.nl

  @hop:gemeente-cbs
  Scenario: De metagegevens bij het CBS zeggen wie uploadde, wanneer, onder welke naam en met welke referentie
    Als de klok naar maandag 15 augustus 2016 om 10:15 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H12016_gestuurd door Henk.CSV"
    Dan ontvangt het CBS het bestand als "WMO_H12016_gestuurd door Henk_0363.CSV"
    En vermelden de metagegevens bij het CBS wie uploadde, wanneer, de oorspronkelijke naam en het GGk-referentienummer
