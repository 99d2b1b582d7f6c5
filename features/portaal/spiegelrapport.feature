# language: nl
@portaal @hop:gemeente-cbs
Functionaliteit: De gemeente reageert op een spiegelrapport: akkoord of terugmelding
  Op een spiegelrapport reageert de gemeente met haar akkoord (accordering) of met een
  terugmelding over wat er volgens haar niet klopt (seed 000 hoofdstuk 2, seed 002). Dat
  gaat in het portaal, op de pagina Spiegelrapporten; de reactie gaat ondertekend via RINIS
  naar het CBS, dat haar bij de levering vastlegt.

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan staat een op-orde rapport klaar in het downloadgebied van de gemeente

  Scenario: De gemeente geeft via het portaal haar akkoord op het op-orde rapport
    Gegeven de medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de gebruiker via het portaal het op-orde rapport accordeert
    Dan toont het portaal de bevestiging "ontvangen" met een GGk-referentienummer
    En legt het CBS bij de Wmo-levering voor H12016 "spiegelrapport geaccordeerd" vast door "Henk de Vries"
    En staat in het auditlog van Amsterdam (0363) een regel "reactie" met resultaat "gelukt"

  Scenario: De gemeente meldt via het portaal terug wat er niet klopt
    Gegeven de medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de gebruiker via het portaal op het op-orde rapport terugmeldt: "Het aantal cliënten met begeleiding is te laag"
    Dan toont het portaal de bevestiging "ontvangen" met een GGk-referentienummer
    En legt het CBS bij de Wmo-levering voor H12016 "terugmelding ontvangen" vast door "Henk de Vries" met "begeleiding is te laag"

  Scenario: Een terugmelding zonder toelichting weigert het portaal
    Gegeven de medewerker van Amsterdam (0363) is ingelogd op het portaal met EH3
    Als de gebruiker via het portaal op het op-orde rapport terugmeldt zonder toelichting
    Dan weigert het portaal met een melding met "vul de toelichting in"
    En staat in het auditlog van Amsterdam (0363) een regel "reactie" met resultaat "geweigerd"
