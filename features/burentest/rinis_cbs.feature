# language: nl
@burentest @hop:rinis-cbs @harness-speelt-partij
Functionaliteit: Burentest RINIS ↔ CBS
  RINIS zet elk bestand, met de gemeentecode aan de naam toegevoegd, in de inbox van het
  CBS en de metagegevens ernaast; het CBS haalt het daar op. Omgekeerd zet het CBS zijn
  rapporten in de verzendmap en biedt RINIS ze in een StUF-bericht aan het GGk aan.

  @rol:rinis @controle:RINIS-NAAMGEVING
  Scenario: RINIS zet een bestand met de gemeentecode in de naam in de inbox van het CBS
    Gegeven het is maandag 15 augustus 2016
    Als het GGk een Di01 met het bestand "WMO_H12016_regulier.csv" van gemeente 0363 aan RINIS aanbiedt
    Dan staat "WMO_H12016_regulier_0363.csv" in de inbox van het CBS bij RINIS, met zijn metagegevens ernaast
    En haalt het CBS "WMO_H12016_regulier_0363.csv" op uit de inbox

  @rol:rinis @controle:RINIS-ROUTERING
  Scenario: RINIS biedt een rapport uit de verzendmap van het CBS aan het GGk aan
    Gegeven het is maandag 15 augustus 2016
    Als het CBS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in de verzendmap bij RINIS zet
    Dan biedt RINIS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in een StUF-bericht aan het GGk aan voor gemeente 0363

  @rol:cbs @controle:CBS-OPHALEN
  Scenario: Het CBS haalt een aangeleverd bestand op uit zijn inbox bij RINIS en meldt dat het opgehaald is
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan haalt het CBS "WMO_H12016_regulier_0363.csv" op uit de inbox

  @rol:cbs @controle:CBS-RAPPORT
  Scenario: Het CBS zet een technisch rapport met de GGk-referentie in de naam in de verzendmap, dat de gemeente bereikt
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
