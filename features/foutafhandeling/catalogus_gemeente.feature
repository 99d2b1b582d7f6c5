# language: nl
@foutafhandeling @hop:gemeente-ggk
Functionaliteit: Foutcatalogus voor de gemeente: een weigering verderop komt terug als Fo01 met de ISD-code
  Een gemeente krijgt nooit een Fo03 of Bv03: wat verderop in de keten geweigerd wordt, komt
  hop voor hop terug als Fo01 en staat als foutrapport in haar downloadgebied bij de
  GGk-referentie van haar aanlevering. Weigert RINIS de envelop met een Fo03, dan zet het GGk
  de StUF-code om naar de officiële ISD-ketencode, waar die bestaat. Wat de webservice van het
  GGk zelf weigert, krijgt direct een HTTP 4xx met een Nederlandse melding, en niets ervan
  wordt bewaard of doorgestuurd.

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)

  @ernst:kritiek @rol:ggk
  Abstract Scenario: Een Fo03 <fo03> van RINIS bereikt de gemeente als Fo01 <foutcode> van IB
    Gegeven RINIS antwoordt op het volgende bericht met een Fo03 met foutcode "<fo03>"
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan staat er een foutrapport met foutcode "<foutcode>" van IB in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

    Voorbeelden:
      | fout          | fo03    | foutcode |
      | GGK-FO01-VERSIE     | StUF001 | IB798    |
      | GGK-FO01-ONTVANGER  | StUF010 | IB210    |
      | GGK-FO01-ZENDER     | StUF013 | IB213    |
      | GGK-FO01-DUBBEL     | StUF016 | IB216    |
      | GGK-FO01-BERICHTCODE-ONBEKEND | StUF022 | IB240    |
      | GGK-FO01-BERICHTCODE-NIET     | StUF025 | IB240    |
      | GGK-FO01-FUNCTIE    | StUF034 | IB102    |
      | GGK-FO01-SCHEMA     | StUF055 | StUF055  |
      | GGK-FO01-TE-GROOT   | IB007   | IB007    |
      | GGK-FO01-UUID       | IB009   | IB009    |
      | GGK-FO01-GEBLOKKEERD | IB103  | IB103    |
      | GGK-FO01-VERWERKING | StUF058 | StUF058  |

  @fout:RINIS-GEBLOKKEERD @rol:ggk
  Scenario: Blokkeert RINIS de functie tijdelijk, dan krijgt de gemeente een foutrapport IB103
    Gegeven RINIS blokkeert tijdelijk de functie "GMSD-METAGEGEVENS"
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan staat er een foutrapport met foutcode "IB103" van IB in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

  @fout:RINIS-FO01 @rol:ggk
  Scenario: Een Fo01 van RINIS na het Bv03 gaat via het GGk naar de gemeente
    Gegeven RINIS antwoordt op het volgende bericht met een Fo01 met foutcode "RIN001"
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan staat er een foutrapport met foutcode "RIN001" van RINIS in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

  @rol:ggk
  Abstract Scenario: De webservice van het GGk weigert een upload <gebrek> met HTTP <status>
    Als de gemeente bij het GGk een upload instuurt <gebrek>
    Dan weigert het GGk de upload met HTTP <status> en een melding met "<melding>"
    En heeft het GGk niets van de upload bewaard of doorgestuurd

    Voorbeelden:
      | fout                  | gebrek                                            | status | melding               |
      | WS-GEMEENTE           | met gemeentecode "9999"                           | 400    | onbekend              |
      | WS-GEBRUIKER          | zonder gebruiker                                  | 400    | gebruiker             |
      | WS-GEEN-BESTAND       | zonder bestand                                    | 400    | geen bestand          |
      | WS-LEEG               | met een leeg bestand                              | 400    | is leeg               |
      | WS-EXTENSIE           | met de bestandsnaam "WMO_H12016.xlsx"             | 400    | .zip                  |
      | WS-PAD                | met de bestandsnaam "../WMO_H12016.csv"           | 400    | map-scheidingsteken   |
      | WS-PAD-PUNT           | met de bestandsnaam "..WMO_H12016.csv"            | 400    | '..'                  |
      | WS-TEKENS             | met de bestandsnaam "WMO_H12016<1>.csv"           | 400    | deze tekens           |
      | WS-STUURTEKEN         | met een richtingsteken in de bestandsnaam         | 400    | stuurteken            |
      | WS-STUURTEKEN-ESC     | met een escape-teken in de bestandsnaam           | 400    | stuurteken            |
      | WS-TE-GROOT           | met een bestand van meer dan 25 MB                | 413    | te groot              |
      | WS-VEEL-TE-GROOT      | van meer dan 64 MB                                | 413    | te groot              |
      | WS-ZIP-ONLEESBAAR     | met een ZIP die geen ZIP is                       | 400    | geen leesbaar ZIP     |
      | WS-ZIP-ZONDER-CSV     | met een ZIP zonder CSV                            | 400    | geen .csv             |

  @fout:GGK-AFLEVERTERMIJN @hop:ggk-rinis
  Scenario: Blijft RINIS onbereikbaar tot na de aflevertermijn, dan krijgt de gemeente een foutrapport KT001 en het GGk een alarm
    Gegeven RINIS is onbereikbaar
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En er 3 werkdagen verstrijken terwijl de storing aanhoudt
    Dan staat er een foutrapport met foutcode "KT001" van IB in het downloadgebied van de gemeente
    En meldt het GGk een alarm: de aanlevering is niet afgeleverd binnen de termijn

  @fout:RINIS-ROUTEERTERMIJN @hop:ggk-rinis
  Scenario: Kan RINIS een rapport niet binnen de routeertermijn bij het GGk afleveren, dan ziet het CBS het als onbestelbaar
    Gegeven het GGk antwoordt op de volgende 1000 berichten met HTTP 503
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En er 3 werkdagen verstrijken terwijl de storing aanhoudt
    Dan staat het technisch rapport in de verzendmap van RINIS op "onbestelbaar" met foutcode "KT002"
    En meldt RINIS een alarm: het rapport is niet afgeleverd binnen de termijn
