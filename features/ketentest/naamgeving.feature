# language: nl
@ketentest @hop:gemeente-cbs
Functionaliteit: Het CBS toetst de bestandsnaam
  De naam van een bestand volgt het aanleverprotocol: WMO_, SBO_ of JEUGD_ in hoofdletters,
  dan de code uitvraag (H1 of H2 en het jaar) van de huidige of de vorige verslagperiode,
  bij Wmo eventueel vrije tekst, en de extensie .csv of .txt in hoofd- of kleine letters.
  Verboden zijn : \ / ? ; * " > < | ] [ en elke punt behalve die vóór de extensie. RINIS
  voegt de gemeentecode toe; het CBS beoordeelt de naam zoals de gemeente hem koos. SBO levert
  alleen een kleine gemeente aan (zie sbo_drempel.feature), hier Schiermonnikoog.

  Abstract Scenario: Het CBS beoordeelt de naam "<bestand>" als "<uitkomst>" voor regel <regel>
    Gegeven het is maandag 15 augustus 2016
    En gemeente <gemeente>
    Als de gemeente een <soort>-bestand aanlevert als "<bestand>"
    Dan staat een technisch rapport "<oordeel>" klaar in het downloadgebied van de gemeente
    En meldt het rapport regel <regel> als "<uitkomst>"

    Voorbeelden: namen die mogen
      | soort | gemeente               | bestand                           | oordeel     | regel | uitkomst |
      | Wmo   | Amsterdam (0363)       | WMO_H12016.csv                    | goedgekeurd | TC01  | voldaan  |
      | Wmo   | Amsterdam (0363)       | WMO_H12016_gestuurd door Henk.CSV | goedgekeurd | TC01  | voldaan  |
      | SBO   | Schiermonnikoog (0088) | SBO_H12016.csv                    | goedgekeurd | TC01  | voldaan  |
      | Jeugd | Amsterdam (0363)       | JEUGD_H12016.TXT                  | goedgekeurd | TC01  | voldaan  |
      | Wmo   | Amsterdam (0363)       | WMO_H22015_correctie.csv          | goedgekeurd | TC02  | voldaan  |

    Voorbeelden: namen die niet mogen
      | soort | gemeente               | bestand                   | oordeel   | regel | uitkomst     |
      | Wmo   | Amsterdam (0363)       | wmo_H12016_regulier.csv   | afgekeurd | TC01  | niet voldaan |
      | Wmo   | Amsterdam (0363)       | WMO_H12016_v1.2.csv       | afgekeurd | TC01  | niet voldaan |
      | Wmo   | Amsterdam (0363)       | WMO_H12016_[concept].csv  | afgekeurd | TC01  | niet voldaan |
      | Wmo   | Amsterdam (0363)       | WMO_2016H1.csv            | afgekeurd | TC01  | niet voldaan |
      | SBO   | Schiermonnikoog (0088) | SBO_H12016_extra.csv      | afgekeurd | TC01  | niet voldaan |
      | Wmo   | Amsterdam (0363)       | WMO_H12015_te laat.csv    | afgekeurd | TC02  | niet voldaan |
      | Wmo   | Amsterdam (0363)       | WMO_H22016_te vroeg.csv   | afgekeurd | TC02  | niet voldaan |
