# language: nl
@ketentest @hop:gemeente-cbs
Functionaliteit: Correctieleveringen
  Een gemeente mag een set opnieuw aanleveren. Een nieuwe, goedgekeurde levering met een
  latere "Aanmaakdatum bestand" vervangt de vorige voor dezelfde gemeente, verslagperiode
  en soort; het CBS bewaart de vorige wel.

  Scenario: Een afgekeurd Wmo-bestand wordt verbeterd en opnieuw aangeleverd
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand met de fout "bsn-ongeldig" aanlevert als "WMO_H12016_regulier.csv"
    Dan staat een technisch rapport "afgekeurd" klaar in het downloadgebied van de gemeente
    En is de status van de Wmo-levering voor H12016 bij het CBS "technisch afgekeurd"
    Als de klok naar dinsdag 16 augustus 2016 gaat
    En de gemeente een Wmo-bestand met 25 cliënten aanlevert als "WMO_H12016_verbeterd.csv"
    Dan staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En is de status van de Wmo-levering voor H12016 bij het CBS "op-orde verzonden"

  Scenario: Een nieuwe goedgekeurde levering vervangt de vorige, die bewaard blijft
    Gegeven het is maandag 15 augustus 2016
    En gemeente Utrecht (0344)
    Als de gemeente een Jeugd-bestand aanlevert als "JEUGD_H12016.csv"
    Dan staat een op-orde rapport klaar in het downloadgebied van de gemeente
    Als de klok naar maandag 19 september 2016 gaat
    En de gemeente een Jeugd-bestand aanlevert als "JEUGD_H12016.csv"
    Dan staat een op-orde rapport klaar in het downloadgebied van de gemeente
    En is de status van de Jeugd-levering voor H12016 bij het CBS "op-orde verzonden"
    En heeft de vorige Jeugd-levering voor H12016 bij het CBS de status "gecorrigeerd" en is zij bewaard
