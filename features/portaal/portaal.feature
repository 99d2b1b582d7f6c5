# language: nl
@portaal @hop:gemeente-ggk
Functionaliteit: Het GGk-portaal zoals medewerkers van een gemeente het gebruiken
  Een medewerker logt in met eHerkenning (niveau EH3 of hoger), levert aan, downloadt
  rapporten, geeft een opt-in (of kondigt eerst een correctielevering aan, seed 000 h.7) en
  trekt een levering in. De gebruikersbeheerder van de
  gemeente kent de CBS-rol toe. Elke handeling en elke weigering staat in het auditlog.

  Scenario: Inloggen met EH3 opent het CBS-tabblad met de aanleverperioden
    Gegeven de tijdlijn "H1 2016"
    Als de medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    Dan toont het portaal het CBS-tabblad met "H1 2016"
    En staat in het auditlog van Amsterdam (0363) een regel "inloggen" met resultaat "gelukt"

  Scenario: Inloggen met EH2 wordt geweigerd
    Gegeven het is maandag 15 augustus 2016
    Als de medewerker van Amsterdam (0363) inlogt op het portaal met EH2
    Dan weigert het portaal met een melding met "EH3 of hoger"
    En staat in het auditlog van Amsterdam (0363) een regel "inloggen" met resultaat "geweigerd"

  Scenario: Na een kwartier niets doen is de sessie verlopen
    Gegeven het is maandag 15 augustus 2016
    En de medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de klok naar maandag 15 augustus 2016 om 9:16 gaat
    En de gebruiker het CBS-tabblad opent
    Dan vraagt het portaal opnieuw in te loggen met de melding "verlopen"
    En staat in het auditlog van Amsterdam (0363) een regel "sessie" met resultaat "verlopen"

  Scenario: Een upload via het portaal krijgt een referentie en het rapport is te downloaden
    Gegeven de tijdlijn "H1 2016"
    En de medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de gebruiker via het portaal een Wmo-bestand aanlevert als "WMO_H12016_portaal.csv"
    Dan toont het portaal een GGk-referentienummer voor "WMO_H12016_portaal.csv"
    En ontvangt het CBS het bestand als "WMO_H12016_portaal_0363.csv"
    Als de gebruiker het technisch rapport downloadt
    Dan krijgt de gebruiker een ZIP-bestand
    En staat in het auditlog van Amsterdam (0363) een regel "download" met resultaat "gelukt"

  Scenario: Een medewerker ziet de bestanden van een andere gemeente niet
    Gegeven het is maandag 15 augustus 2016
    En Leiden (0546) heeft een rapport in het downloadgebied
    En de medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de gebruiker een download van Leiden (0546) opent
    Dan weigert het portaal met een melding met "hoort niet bij uw gemeente"
    En staat in het auditlog van Amsterdam (0363) een regel "download" met resultaat "geweigerd"

  Scenario: Zonder CBS-rol geen CBS-tabblad; de gebruikersbeheerder kent de rol toe
    Gegeven het is maandag 15 augustus 2016
    En de nieuwe medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de gebruiker het CBS-tabblad opent
    Dan weigert het portaal met een melding met "CBS-rol"
    Als de gebruikersbeheerder van Amsterdam (0363) inlogt op het portaal met EH3
    En de gebruikersbeheerder de CBS-rol toekent aan de nieuwe medewerker
    En de nieuwe medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    Dan toont het portaal het CBS-tabblad met "Amsterdam"
    En staat in het auditlog van Amsterdam (0363) een regel "rol toekennen" met resultaat "gelukt"
    En staat in het auditlog van Amsterdam (0363) een regel "toegang" met resultaat "geweigerd"

  Scenario: Alleen de gebruikersbeheerder opent de rollenpagina
    Gegeven het is maandag 15 augustus 2016
    En de medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de gebruiker de rollenpagina opent
    Dan weigert het portaal met een melding met "Alleen de gebruikersbeheerder"
    En staat in het auditlog van Amsterdam (0363) een regel "toegang" met resultaat "geweigerd"

  Scenario: Een opt-in vraagt een verse inlog
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar woensdag 9 november 2016 om 9:00 gaat
    En de medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    En de klok naar woensdag 9 november 2016 om 9:10 gaat
    En de gebruiker via het portaal voor H12016 een opt-in geeft voor Wmo
    Dan weigert het portaal met een melding met "kort tevoren"
    Als de medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    En de gebruiker via het portaal voor H12016 een opt-in geeft voor Wmo
    Dan toont het portaal de bevestiging "ontvangen" met een GGk-referentienummer
    En is het laatste besluit van Amsterdam (0363) ondertekend door "Henk de Vries" met exclusieve canonicalisatie
    En staat in het auditlog van Amsterdam (0363) een regel "optin" met resultaat "geweigerd"
    En staat in het auditlog van Amsterdam (0363) een regel "optin" met resultaat "gelukt"

  Scenario: De derde keuze in het opt-in-formulier is eerst een correctielevering
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar woensdag 9 november 2016 om 9:00 gaat
    En de medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    En de gebruiker via het portaal voor H12016 een correctielevering aankondigt voor Wmo
    Dan toont het portaal de bevestiging "ontvangen" met een GGk-referentienummer
    En legt het CBS bij de Wmo-levering voor H12016 "correctielevering aangekondigd" vast door "Henk de Vries"

  Scenario: Intrekken gaat pas na bevestiging
    Gegeven het is maandag 15 augustus 2016
    En de medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de gebruiker via het portaal de Wmo-levering van H12016 wil intrekken
    Dan vraagt het portaal om bevestiging
    En is er voor H12016 bij het GGk en het CBS nog niets ingetrokken
    Als de gebruiker de intrekking bevestigt
    Dan toont het portaal de bevestiging "ingetrokken" met een GGk-referentienummer
    En legt het CBS bij de Wmo-levering voor H12016 "ingetrokken" vast door "Henk de Vries"
    En staat in het auditlog van Amsterdam (0363) een regel "intrekken" met resultaat "gelukt"

  Scenario: Via het portaal trekt een gemeente alleen haar correctielevering in
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_eerste.csv"
    En de klok naar dinsdag 13 februari 2018 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22017_correctie.csv"
    En de klok naar maandag 12 maart 2018 gaat
    En de medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    En de gebruiker via het portaal alleen de correctielevering van Wmo voor H22017 wil intrekken
    Dan vraagt het portaal om bevestiging
    Als de gebruiker de intrekking bevestigt
    Dan toont het portaal de bevestiging "ingetrokken" met een GGk-referentienummer
    En heeft de Wmo-levering "WMO_H22017_correctie_0363.csv" voor H22017 bij het CBS de status "correctie ingetrokken"
    En is de Wmo-levering "WMO_H22017_eerste_0363.csv" voor H22017 bij het CBS weer de actuele, met status "op-orde verzonden"

  Scenario: Een lid van een samenwerkingsverband ziet wat de uitvoerder voor een ander lid aanleverde
    Gegeven het is maandag 15 augustus 2016
    En het samenwerkingsverband "Holland Rijnland" met uitvoerder Leiden (0546) en leden Leiderdorp (0547) en Oegstgeest (0579)
    En de medewerker van Leiden (0546) is ingelogd op het portaal met EH3
    Als de gebruiker via het portaal een Wmo-bestand aanlevert namens Leiderdorp (0547) als "WMO_H12016_lid.csv"
    Dan toont het portaal een GGk-referentienummer voor "WMO_H12016_lid.csv"
    Als de medewerker van Oegstgeest (0579) inlogt op het portaal met EH3
    Dan ziet de gebruiker in het portaal dat Leiderdorp (0547) een bestand heeft aangeleverd
