# language: nl
@ketentest @hop:gemeente-cbs
Functionaliteit: De technische controle van het CBS, regel voor regel
  Het CBS toetst elk bestand aan de controlecatalogus (docs/controles.md). Elke regel heeft
  een nummer en een ernst: een fout keurt het bestand af, een waarschuwing niet. Per regel
  levert de gemeente hier een bestand aan met precies die ene fout; het technisch rapport
  noemt de regel, het oordeel en de regelnummers waar de fout zit.

  Abstract Scenario: Een <soort>-bestand met de fout "<fout>" faalt op regel <regel>
    Gegeven het is maandag 15 augustus 2016
    En gemeente Schiermonnikoog (0088)
    Als de gemeente een <soort>-bestand met de fout "<fout>" aanlevert
    Dan staat een technisch rapport "<oordeel>" klaar in het downloadgebied van de gemeente
    En meldt het rapport regel <regel> als "<uitkomst>"

    Voorbeelden:
      | soort | fout                  | regel | oordeel     | uitkomst     |
      | Wmo   | codering-windows-1252 | TC03  | afgekeurd   | niet voldaan |
      | Wmo   | scheidingsteken-komma | TC04  | afgekeurd   | niet voldaan |
      | SBO   | alleen-kopregel       | TC06  | afgekeurd   | niet voldaan |
      | Jeugd | gemeentecode-anders   | TC13  | afgekeurd   | niet voldaan |
      | Wmo   | aanmaakdatum-wisselt  | TC14  | afgekeurd   | niet voldaan |
      | Wmo   | dubbele-regels        | TC15  | goedgekeurd | waarschuwing |
      | SBO   | dubbele-regels        | TC16  | afgekeurd   | niet voldaan |

  Abstract Scenario: Het rapport noemt de regelnummers van een <soort>-bestand met de fout "<fout>"
    Gegeven het is maandag 15 augustus 2016
    En gemeente Schiermonnikoog (0088)
    Als de gemeente een <soort>-bestand met de fout "<fout>" aanlevert
    Dan staat een technisch rapport "afgekeurd" klaar in het downloadgebied van de gemeente
    En meldt het rapport regel <regel> als "niet voldaan"
    En noemt het rapport bij regel <regel> de foute regelnummers

    Voorbeelden:
      | soort | fout                 | regel |
      | Wmo   | ander-aantal-velden  | TC05  |
      | Wmo   | verplicht-veld-leeg  | TC07  |
      | Jeugd | veld-te-lang         | TC08  |
      | Wmo   | datum-ongeldig       | TC09  |
      | Wmo   | datum-buiten-periode | TC10  |
      | Wmo   | bsn-ongeldig         | TC11  |
      | SBO   | onbekende-code       | TC12  |

  Abstract Scenario: Type maatwerkarrangement "<code>" is <uitkomst> een iWmo-productcategorie (01 tot en met 18)
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand met type maatwerkarrangement "<code>" aanlevert als "WMO_H12016_categorie.csv"
    Dan staat een technisch rapport "<oordeel>" klaar in het downloadgebied van de gemeente
    En meldt het rapport regel TC12 als "<regel>"

    Voorbeelden:
      | code | uitkomst | oordeel     | regel        |
      | 01   | wel      | goedgekeurd | voldaan      |
      | 18   | wel      | goedgekeurd | voldaan      |
      | 00   | geen     | afgekeurd   | niet voldaan |
      | 19   | geen     | afgekeurd   | niet voldaan |

