# language: nl
@ketentest @hop:gemeente-cbs
Functionaliteit: De volledige cyclus voor een Wmo-, SBO- en Jeugd-aanlevering
  Een gemeente levert haar bestand aan via het GGk. Het bestand gaat in een StUF-envelop
  naar RINIS, dat de gemeentecode aan de naam toevoegt en het in de inbox van het CBS zet.
  Het CBS controleert het bestand technisch en stuurt een technisch rapport terug langs
  dezelfde weg, tot in het downloadgebied van de gemeente. Is het bestand goedgekeurd,
  dan volgt het op-orde rapport (spiegelrapport I) met een vergelijking met gemeenten
  van dezelfde grootteklasse.

  @ernst:blokkerend
  Abstract Scenario: Een <soort>-bestand gaat de hele keten rond en komt terug als technisch en op-orde rapport
    Gegeven het is maandag 15 augustus 2016
    En gemeente <gemeente>
    Als de gemeente een <soort>-bestand aanlevert als "<bestand>"
    Dan krijgt de gemeente voor het bestand een GGk-referentienummer
    En ontvangt het CBS het bestand als "<bij het CBS>"
    En staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En noemt het rapport het bestand "<bij het CBS>"
    En staat een op-orde rapport klaar in het downloadgebied van de gemeente
    En vergelijkt het rapport de gemeente met haar vergelijkingsgroep in een tabel en een grafiek
    En is de status van de <soort>-levering voor H12016 bij het CBS "op-orde verzonden"
    En is de boekhouding van de keten sluitend

    Voorbeelden:
      | soort | gemeente               | bestand                           | bij het CBS                            |
      | Wmo   | Amsterdam (0363)       | WMO_H12016_gestuurd door Henk.CSV | WMO_H12016_gestuurd door Henk_0363.CSV |
      | SBO   | Schiermonnikoog (0088) | SBO_H12016.csv                    | SBO_H12016_0088.csv                    |
      | Jeugd | Utrecht (0344)         | JEUGD_H12016.txt                  | JEUGD_H12016_0344.txt                  |

  Scenario: Na de correctietermijn stuurt het CBS spiegelrapport II
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand met 40 cliënten aanlevert als "WMO_H12016_regulier.csv"
    Dan staat een op-orde rapport klaar in het downloadgebied van de gemeente
    Als de klok naar maandag 7 november 2016 gaat
    En het CBS spiegelrapport II verstuurt voor verslagperiode H12016
    Dan staat een spiegelrapport II klaar in het downloadgebied van de gemeente
    En vergelijkt het rapport de gemeente met haar vergelijkingsgroep in een tabel en een grafiek
    En is de status van de Wmo-levering voor H12016 bij het CBS "spiegelrapport II verzonden"
