# language: nl
@ketentest @hop:gemeente-cbs
Functionaliteit: Meerdere bestanden in één ZIP
  Een gemeente mag haar Wmo-, SBO- en Jeugd-bestand samen in één ZIP aanleveren. Het GGk
  geeft elk bestand in de ZIP een eigen referentienummer, maar pakt de ZIP niet uit; ook
  RINIS geeft hem ongeopend door. Pas het CBS pakt hem uit en beoordeelt elk bestand apart.

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
