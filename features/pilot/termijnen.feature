# language: nl
@pilot @hop:gemeente-cbs
Functionaliteit: Termijnen in werkdagen: technisch rapport, op-orde rapport, spiegelrapporten
  Het technisch rapport komt uiterlijk binnen 3 werkdagen, het op-orde rapport binnen
  2 werkdagen na technische goedkeuring (pilot fase II), of op de datum die de tijdlijn
  noemt (H1 2016: spiegelrapport I op 3 oktober, spiegelrapport II op 7 november).
  De harness meet dat op de werkdagenkalender, met de Nederlandse feestdagen: wie
  kalenderdagen telt, komt rond Hemelvaartsdag tot een ander oordeel.

  Scenario: Het technisch rapport komt binnen 3 werkdagen
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_pilot.csv"
    Dan ontvangt de gemeente het technisch rapport binnen 3 werkdagen
    En ontvangt de gemeente het op-orde rapport binnen 2 werkdagen na de technische goedkeuring

  Scenario: Het op-orde rapport telt zijn 2 werkdagen vanaf de technische goedkeuring, niet vanaf de upload
    Gegeven de tijdlijn "pilot fase II 2018"
    En het CBS verstuurt technische rapporten pas na 3 werkdagen
    En het CBS verstuurt op-orde rapporten pas 2 werkdagen na de technische goedkeuring
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_pilot.csv"
    En er 5 werkdagen verstrijken
    Dan ontvangt de gemeente het technisch rapport binnen 3 werkdagen
    En ontvangt de gemeente het op-orde rapport binnen 2 werkdagen na de technische goedkeuring
    En staat het op-orde rapport op maandag 19 februari 2018 klaar, niet eerder

  @ernst:kritiek
  Scenario: De harness ziet een op-orde rapport dat later komt dan 2 werkdagen na de technische goedkeuring
    Gegeven de tijdlijn "pilot fase II 2018"
    En het CBS verstuurt op-orde rapporten pas 3 werkdagen na de technische goedkeuring
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_pilot.csv"
    En er 3 werkdagen verstrijken
    Dan ontvangt de gemeente het technisch rapport binnen 3 werkdagen
    En meldt de harness dat het op-orde rapport de SLA van 2 werkdagen na de technische goedkeuring overschreed met 1 werkdag

  @ernst:kritiek
  Scenario: De harness ziet een technisch rapport dat later komt dan de SLA
    Gegeven de tijdlijn "pilot fase II 2018"
    En het CBS verstuurt technische rapporten pas na 4 werkdagen
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H22017_pilot.csv"
    En er 4 werkdagen verstrijken
    Dan meldt de harness dat het technisch rapport de SLA van 3 werkdagen overschreed met 1 werkdag

  Scenario: Een rapport op de derde werkdag na Hemelvaartsdag is op tijd
    Gegeven de tijdlijn "H2 2016 werknotities"
    En het CBS verstuurt technische rapporten pas na 3 werkdagen
    En gemeente Amsterdam (0363)
    Als de klok naar dinsdag 23 mei 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_regulier.csv"
    En er 3 werkdagen verstrijken
    Dan staat het technisch rapport op maandag 29 mei 2017 klaar, niet eerder
    En ontvangt de gemeente het technisch rapport binnen 3 werkdagen

  @ernst:kritiek
  Scenario: Over Hemelvaartsdag ziet de harness een technisch rapport dat een werkdag te laat komt
    Gegeven de tijdlijn "H2 2016 werknotities"
    En het CBS verstuurt technische rapporten pas na 4 werkdagen
    En gemeente Amsterdam (0363)
    Als de klok naar dinsdag 23 mei 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_regulier.csv"
    En er 4 werkdagen verstrijken
    Dan staat het technisch rapport op dinsdag 30 mei 2017 klaar, niet eerder
    En meldt de harness dat het technisch rapport de SLA van 3 werkdagen overschreed met 1 werkdag

  Scenario: In H1 2016 komt het op-orde rapport op 3 oktober, niet eerder
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    Als de klok naar vrijdag 30 september 2016 gaat
    Dan staat er nog geen op-orde rapport klaar in het downloadgebied van de gemeente
    Als de klok naar maandag 3 oktober 2016 gaat
    Dan staat het op-orde rapport op maandag 3 oktober 2016 klaar, niet eerder

  Scenario: Op 7 november 2016 stuurt het CBS vanzelf spiegelrapport II
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar maandag 7 november 2016 gaat
    Dan staat het spiegelrapport II op maandag 7 november 2016 klaar, niet eerder
    En is de status van de Wmo-levering voor H12016 bij het CBS "spiegelrapport II verzonden"
