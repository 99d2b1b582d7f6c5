# language: nl
@burentest @hop:gemeente-ggk @harness-speelt-partij
Functionaliteit: Burentest gemeente ↔ GGk
  De harness speelt de software van de gemeente en praat rechtstreeks met de webservice
  van het GGk: uploaden, referentienummers terugkrijgen, weigeringen met een duidelijke
  melding, en rapporten ophalen uit het downloadgebied.

  @rol:ggk @controle:GGK-REFERENTIES
  Scenario: Het GGk geeft elk geüpload CSV-bestand een eigen referentienummer
    Gegeven het is maandag 15 augustus 2016 om 10:15
    En gemeente Amsterdam (0363)
    Als de gemeente "WMO_H12016_regulier.csv" en "SBO_H12016.csv" uploadt bij het GGk
    Dan krijgt de gemeente voor elk CSV-bestand een eigen GGk-referentienummer

  @rol:ggk @controle:GGK-ZIP-REFERENTIES
  Scenario: Het GGk geeft elk bestand in een ZIP een eigen referentienummer zonder de ZIP uit te pakken
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente "GMSD_H12016.zip" uploadt bij het GGk
    Dan krijgt de gemeente voor elk bestand in de ZIP een eigen GGk-referentienummer

  Scenario: Het GGk weigert een upload zonder bestand
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente bij het GGk een upload zonder bestand instuurt
    Dan weigert het GGk de upload met HTTP 400 en een melding met "geen bestand"

  Scenario: Het GGk weigert een leeg bestand
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente bij het GGk een leeg bestand "WMO_H12016.csv" instuurt
    Dan weigert het GGk de upload met HTTP 400 en een melding met "is leeg"

  Scenario: Het GGk weigert een bestand dat geen CSV, tekst of ZIP is
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente bij het GGk een bestand "WMO_H12016.xlsx" instuurt
    Dan weigert het GGk de upload met HTTP 400 en een melding met ".zip"

  @rol:ggk @controle:GGK-DOWNLOAD
  Scenario: De gemeente haalt een rapport als ZIP op uit haar downloadgebied
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    En RINIS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in een Di01 aan het GGk heeft aangeboden
    Als de gemeente haar downloadgebied bij het GGk opvraagt
    Dan vindt de gemeente "CBS_TECHNISCH_0363_H12016_20160815-090000-001.zip" met daarin "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf"
