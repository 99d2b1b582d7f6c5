# language: nl
@burentest @hop:rinis-cbs @harness-speelt-partij
Functionaliteit: Burentest RINIS ↔ CBS
  RINIS zet elk bestand, met de gemeentecode aan de naam toegevoegd, in de inbox van het
  CBS en de metagegevens ernaast; het CBS haalt het daar op. Omgekeerd zet het CBS zijn
  rapporten in de verzendmap en biedt RINIS ze in een StUF-bericht aan het GGk aan.

  Scenario: RINIS zet een bestand met de gemeentecode in de naam in de inbox van het CBS
    Gegeven het is maandag 15 augustus 2016
    Als het GGk een Di01 met het bestand "WMO_H12016_regulier.csv" van gemeente 0363 aan RINIS aanbiedt
    Dan staat "WMO_H12016_regulier_0363.csv" in de inbox van het CBS bij RINIS, met zijn metagegevens ernaast
    En haalt het CBS "WMO_H12016_regulier_0363.csv" op uit de inbox

  Scenario: RINIS biedt een rapport uit de verzendmap van het CBS aan het GGk aan
    Gegeven het is maandag 15 augustus 2016
    Als het CBS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in de verzendmap bij RINIS zet
    Dan biedt RINIS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in een StUF-bericht aan het GGk aan voor gemeente 0363
