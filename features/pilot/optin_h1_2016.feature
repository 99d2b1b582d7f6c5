# language: nl
@pilot @hop:gemeente-cbs
Functionaliteit: Opt-in en opt-out voor H1 2016
  Per set (Wmo, Jeugd, SBO) geeft een gemeente toestemming tot publicatie (opt-in) of niet
  (opt-out). Het formulier gaat open op 9 november 2016 en sluit na 2 december 2016, en
  alleen voor een gemeente die een op-orde rapport kreeg. Alle besluiten gaan in één
  CSV via RINIS naar het CBS, met de naam, het e-mailadres en het telefoonnummer van de
  medewerker die besloot.

  Achtergrond:
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    En medewerker "Henk de Vries" (henk@amsterdam.nl, 020-1234567) van de gemeente

  Scenario: Een opt-in op de openingsdag komt met de naam van de medewerker bij het CBS
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar woensdag 9 november 2016 gaat
    En de medewerker voor H12016 een opt-in geeft voor Wmo
    Dan neemt het GGk het besluit aan
    En legt het CBS bij de Wmo-levering voor H12016 "opt-in" vast met de naam van de medewerker

  Scenario: Besluiten per set gaan samen in één formulier
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de gemeente een Jeugd-bestand aanlevert als "JEUGD_H12016.csv"
    En de klok naar vrijdag 2 december 2016 om 16:00 gaat
    En de medewerker deze besluiten indient:
      | periode | set   | besluit |
      | H12016  | Wmo   | opt-in  |
      | H12016  | Jeugd | opt-out |
    Dan neemt het GGk het besluit aan
    En gaan de besluiten in één CSV met de kolommen "Naam organisatie;verslagperiode;naam verzoek;conclusie;datumconclusie;naam van gebruiker;emailadres;telefoonnummer" naar het CBS
    En legt het CBS bij de Wmo-levering voor H12016 "opt-in" vast met de naam van de medewerker
    En legt het CBS bij de Jeugd-levering voor H12016 "opt-out" vast met de naam van de medewerker

  Scenario: De dag vóór de opening is het formulier nog dicht
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar dinsdag 8 november 2016 gaat
    En de medewerker voor H12016 een opt-in geeft voor Wmo
    Dan weigert het GGk het besluit met HTTP 422 en een melding met "9 november 2016"

  Scenario: Na de deadline is het formulier dicht
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar maandag 5 december 2016 gaat
    En de medewerker voor H12016 een opt-in geeft voor Wmo
    Dan weigert het GGk het besluit met HTTP 422 en een melding met "2 december 2016"

  Scenario: Zonder op-orde rapport kan een gemeente geen opt-in geven
    Als de klok naar woensdag 9 november 2016 gaat
    En de medewerker voor H12016 een opt-in geeft voor Wmo
    Dan weigert het GGk het besluit met HTTP 422 en een melding met "op-orde rapport"

  Scenario: Een opt-in voor een deel van de Wmo-set weigert het GGk: een opt-in geldt de hele set
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar woensdag 9 november 2016 gaat
    En de medewerker voor H12016 een opt-in geeft voor alleen de basisset van Wmo
    Dan weigert het GGk het besluit met HTTP 422 en een melding met "geldt voor de hele set"

