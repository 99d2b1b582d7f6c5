# language: nl
@ketentest @hop:gemeente-cbs
Functionaliteit: Aanlevering van Wmo-gegevens en het technisch rapport
  Een gemeente levert haar Wmo-bestand aan via het GGk. Het bestand gaat in een
  StUF-envelop naar RINIS, dat het in de inbox van het CBS zet. Het CBS controleert het
  bestand technisch en stuurt een technisch rapport terug langs dezelfde weg, tot in het
  downloadgebied van de gemeente.

  Scenario: Een gemeente levert een Wmo-bestand aan en vindt het technisch rapport in haar downloadgebied
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand met 25 cliënten aanlevert als "WMO_H12016_regulier.csv"
    Dan krijgt de gemeente voor het bestand een GGk-referentienummer
    En ontvangt het CBS het bestand als "WMO_H12016_regulier_0363.csv"
    En staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En noemt het rapport het bestand "WMO_H12016_regulier_0363.csv"
