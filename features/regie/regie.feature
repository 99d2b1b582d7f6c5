# language: nl
@regie @hop:gemeente-cbs
Functionaliteit: De regiepagina: de ketencoördinator volgt elke levering door de hele keten
  Eén pagina toont elke levering (één regel per GGk-referentie) met haar toestand bij elke
  partij: geüpload bij het GGk, aangenomen door RINIS, in de inbox en opgehaald door het CBS,
  het technisch rapport en zijn oordeel, het rapport terug in het downloadgebied en opgehaald
  door de gemeente; daarna het op-orde rapport en spiegelrapport II. Elke stap met de datum
  en tijd van de partij die hem zette, de SLA-klokken in werkdagen, een Fo01 of Fo03 in rood
  en in woorden. Bovenaan: welke partij bereikbaar is en de boekhouding per hop. De pagina
  werkt zonder JavaScript en werkt zich bij zolang ze openstaat.

  Achtergrond:
    Gegeven de tijdlijn "H1 2016"
    En gemeente Utrecht (0344)

  Scenario: De ketencoördinator volgt een levering van upload tot rapport
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de ketencoördinator de regiepagina opent
    Dan staat de levering op de regiepagina met gemeente "Utrecht (0344)", bestand "WMO_H12016_regulier.csv", soort "WMO" en periode "H12016"
    En volgt de regiepagina de levering stap voor stap tot "rapport opgehaald door de gemeente", elke stap met datum en tijd
    En toont de regiepagina bij het technisch rapport het oordeel "goedgekeurd" en de SLA "gehaald"
    En geeft de regie als JSON dezelfde leveringen als de pagina
    Als de ketencoördinator de levering opent
    Dan toont de regiepagina de reis van de berichten met een link naar elk bericht in de journalen

  @fout:RINIS-FO01
  Scenario: De ketencoördinator ziet een Fo01 bij RINIS
    Gegeven RINIS antwoordt op het volgende bericht met een Fo01 met foutcode "RIN001"
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de ketencoördinator de regiepagina opent
    Dan toont de regiepagina bij de levering een Fo01 met foutcode "RIN001" van RINIS, in rood en in woorden
    En telt de regiepagina 1 levering met de toestand "fout (Fo01/Fo03)"
    En geeft de regie als JSON dezelfde leveringen als de pagina

  Scenario: Ligt RINIS plat, dan noemt de regiepagina RINIS en toont ze de rest; daarna werkt ze zich bij
    Gegeven RINIS is onbereikbaar
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de ketencoördinator de regiepagina opent
    Dan meldt de regiepagina dat RINIS niet bereikbaar is, met de tijd van de regie
    En toont de regiepagina de levering met de toestand "geüpload bij het GGk"
    Als RINIS weer bereikbaar wordt
    Dan werkt de open regiepagina zich zonder herladen bij tot de toestand "rapport opgehaald door de gemeente"
    En noemt de regiepagina geen storing meer

  Scenario: De ketencoördinator filtert de leveringen op soort
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de gemeente een SBO-bestand aanlevert als "SBO_H12016.csv"
    En de ketencoördinator de regiepagina opent
    En de ketencoördinator filtert op soort "SBO"
    Dan toont de regiepagina alleen leveringen van soort "SBO"
