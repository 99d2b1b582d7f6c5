# language: nl
@burentest @hop:ggk-rinis @harness-speelt-partij
Functionaliteit: Burentest GGk ↔ RINIS
  Tussen GGk en RINIS gaan StUF-berichten (Di01, Du01) over SOAP. Elk bericht wordt
  direct beantwoord: met een Bv03 als de envelop in orde is, met een Fo03 in een
  SOAP-fault als hij dat niet is. De harness speelt telkens één van beide partijen.

  @rol:rinis @controle:RINIS-BV03
  Scenario: RINIS bevestigt de metagegevens en het bestand van het GGk elk met een Bv03
    Gegeven het is maandag 15 augustus 2016
    Als het GGk een Di01 met het bestand "WMO_H12016_regulier.csv" van gemeente 0363 aan RINIS aanbiedt
    Dan bevestigt RINIS elk bericht met een Bv03 met het referentienummer als crossRefnummer

  @rol:ggk @controle:GGK-DOORSTUREN
  Scenario: Het GGk stuurt een geüpload bestand en zijn metagegevens in twee Di01's naar RINIS
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente "WMO_H12016_regulier.csv" uploadt bij het GGk
    Dan stuurt het GGk RINIS een Di01 met functie "GMSD-METAGEGEVENS"
    En stuurt het GGk RINIS een Di01 met functie "GMSD-AANLEVERING"

  @rol:ggk @controle:GGK-BV03
  Scenario: Het GGk bevestigt een rapport van RINIS met een Bv03
    Gegeven het is maandag 15 augustus 2016
    Als RINIS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in een Di01 aan het GGk aanbiedt
    Dan bevestigt het GGk elk bericht met een Bv03 met het referentienummer als crossRefnummer

  @ernst:kritiek
  Abstract Scenario: RINIS weigert een bericht <gebrek> met een Fo03
    Gegeven het is maandag 15 augustus 2016
    Als het GGk RINIS een bericht stuurt <gebrek>
    Dan weigert RINIS het bericht met een Fo03 met foutcode "<foutcode>" en plek "client"

    Voorbeelden:
      | gebrek                                 | foutcode |
      | dat geen XML is                        | StUF055  |
      | dat niet aan het StUF-schema voldoet   | StUF055  |
      | met een DOCTYPE                        | StUF055  |
      | van onbekende zender 9999              | StUF013  |
