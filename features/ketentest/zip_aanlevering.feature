# language: nl
@ketentest @hop:gemeente-cbs
Functionaliteit: Meerdere bestanden in één ZIP
  Een gemeente mag haar Wmo-, SBO- en Jeugd-bestand samen in één ZIP aanleveren. Het GGk
  geeft elk bestand in de ZIP een eigen referentienummer, maar pakt de ZIP niet uit; ook
  RINIS geeft hem ongeopend door. Pas het CBS pakt hem uit en beoordeelt elk bestand apart.
  Per set en verslagperiode levert een gemeente één bestand aan (in 2016 hoogstens één Wmo-,
  SBO- en Jeugd-bestand per halfjaar); een ZIP met twee bestanden van dezelfde set voor
  dezelfde periode keurt het CBS als geheel af.

  Scenario: Een ZIP met een Wmo-, SBO- en Jeugd-bestand levert drie technische oordelen op
    Gegeven het is maandag 15 augustus 2016
    En gemeente Schiermonnikoog (0088)
    Als de gemeente een ZIP "GMSD_H12016.zip" aanlevert met de bestanden:
      | bestand                 | inhoud       |
      | WMO_H12016_regulier.csv | geldig       |
      | SBO_H12016.csv          | geldig       |
      | JEUGD_H12016.csv        | veld-te-lang |
    Dan krijgt de gemeente voor elk bestand in de ZIP een eigen GGk-referentienummer
    En ontvangt het CBS de ZIP ongeopend als "GMSD_H12016_0088.zip"
    En staan er technische rapporten klaar in het downloadgebied van de gemeente:
      | bestand                      | oordeel     |
      | WMO_H12016_regulier_0088.csv | goedgekeurd |
      | SBO_H12016_0088.csv          | goedgekeurd |
      | JEUGD_H12016_0088.csv        | afgekeurd   |

  Scenario: Een ZIP met twee Wmo-bestanden voor dezelfde periode keurt het CBS af
    Gegeven het is maandag 15 augustus 2016
    En gemeente Schiermonnikoog (0088)
    Als de gemeente een ZIP "GMSD_H12016.zip" aanlevert met de bestanden:
      | bestand              | inhoud |
      | WMO_H12016_deel1.csv | geldig |
      | WMO_H12016_deel2.csv | geldig |
    Dan staat een technisch rapport "afgekeurd" klaar in het downloadgebied van de gemeente
    En meldt het rapport regel TC00 als "niet voldaan"

  Scenario: Een ZIP met elke set voor de huidige en de vorige periode levert zes goedgekeurde bestanden op
    Gegeven het is maandag 15 augustus 2016
    En gemeente Schiermonnikoog (0088)
    Als de gemeente een ZIP "GMSD_H12016.zip" aanlevert met de bestanden:
      | bestand              | inhoud |
      | WMO_H12016_a.csv     | geldig |
      | SBO_H12016.csv       | geldig |
      | JEUGD_H12016.csv     | geldig |
      | WMO_H22015_a.csv     | geldig |
      | SBO_H22015.csv       | geldig |
      | JEUGD_H22015.csv     | geldig |
    Dan staan er technische rapporten klaar in het downloadgebied van de gemeente:
      | bestand                | oordeel     |
      | WMO_H12016_a_0088.csv  | goedgekeurd |
      | SBO_H12016_0088.csv    | goedgekeurd |
      | JEUGD_H12016_0088.csv  | goedgekeurd |
      | WMO_H22015_a_0088.csv  | goedgekeurd |
      | SBO_H22015_0088.csv    | goedgekeurd |
      | JEUGD_H22015_0088.csv  | goedgekeurd |

