# language: nl
@ketentest @hop:gemeente-cbs
Functionaliteit: SBO alleen van kleine gemeenten zonder Iv3-levering
  De uitvraag sociale basisondersteuning (SBO) geldt alleen voor gemeenten met minder dan
  20.000 inwoners (op 1 januari 2016) die geen Iv3-informatie aan het CBS leveren; voor alle
  andere vervalt hij (seed 000 hoofdstuk 5). Het CBS toetst dat als regel TC18 met zijn
  inwonertabel. Die tabel is data die de coördinator vervangt; de inwonertallen in deze
  scenario's zijn testgegevens, geen cijfers van het CBS.

  Abstract Scenario: Een SBO-bestand van een gemeente met <inwoners> inwoners wordt <oordeel>
    Gegeven het is maandag 15 augustus 2016
    En gemeente Schiermonnikoog (0088)
    En de inwonertabel van het CBS noemt Schiermonnikoog (0088) met <inwoners> inwoners
    Als de gemeente een SBO-bestand aanlevert als "SBO_H12016.csv"
    Dan staat een technisch rapport "<oordeel>" klaar in het downloadgebied van de gemeente
    En meldt het rapport regel TC18 als "<uitkomst>"

    Voorbeelden:
      | inwoners | oordeel     | uitkomst     |
      | 19.999   | goedgekeurd | voldaan      |
      | 20.000   | afgekeurd   | niet voldaan |

  Scenario: Een SBO-bestand van een gemeente die Iv3-informatie levert, wordt afgekeurd
    Gegeven het is maandag 15 augustus 2016
    En gemeente Schiermonnikoog (0088)
    En de inwonertabel van het CBS noemt Schiermonnikoog (0088) met 900 inwoners
    En het CBS weet dat Schiermonnikoog (0088) Iv3-informatie levert
    Als de gemeente een SBO-bestand aanlevert als "SBO_H12016.csv"
    Dan staat een technisch rapport "afgekeurd" klaar in het downloadgebied van de gemeente
    En meldt het rapport regel TC18 als "niet voldaan"
