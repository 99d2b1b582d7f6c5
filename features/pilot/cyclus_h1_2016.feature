# language: nl
@pilot @hop:gemeente-cbs
Functionaliteit: De hele cyclus van H1 2016 op de kalender van de tijdlijn
  Een coördinator loopt een hele periode door in seconden: elke stap draait op de
  gesimuleerde datum, en elke partij doet het werk dat op die dag aan de beurt is.

  @ernst:blokkerend
  Scenario: Een gemeente levert te laat aan, wordt afgekeurd, corrigeert, krijgt haar rapporten op de data van de tijdlijn en geeft een opt-in
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    En medewerker "Henk de Vries" (henk@amsterdam.nl, 020-1234567) van de gemeente
    Als de klok naar dinsdag 20 september 2016 gaat
    En de gemeente een Wmo-bestand met de fout "bsn-ongeldig" aanlevert als "WMO_H12016_regulier.csv"
    Dan neemt het GGk de upload aan als te laat
    En staat een technisch rapport "afgekeurd" klaar in het downloadgebied van de gemeente
    Als er 2 werkdagen verstrijken
    En de gemeente een Wmo-bestand met 30 cliënten aanlevert als "WMO_H12016_correctie.csv"
    Dan ontvangt de gemeente het technisch rapport binnen 3 werkdagen
    En staat er nog geen op-orde rapport klaar in het downloadgebied van de gemeente
    Als de klok naar maandag 3 oktober 2016 gaat
    Dan staat het op-orde rapport op maandag 3 oktober 2016 klaar, niet eerder
    Als de klok naar maandag 7 november 2016 gaat
    Dan staat het spiegelrapport II op maandag 7 november 2016 klaar, niet eerder
    En is de status van de Wmo-levering voor H12016 bij het CBS "spiegelrapport II verzonden"
    Als de klok naar donderdag 10 november 2016 gaat
    Dan ontvangt henk@amsterdam.nl een e-mail over "opt-in" op woensdag 9 november 2016
    Als de medewerker voor H12016 een opt-in geeft voor Wmo
    Dan neemt het GGk het besluit aan
    En legt het CBS bij de Wmo-levering voor H12016 "opt-in" vast met de naam van de medewerker
