# language: nl
@pilot @hop:gemeente-ggk
Functionaliteit: Het gepubliceerde venster van H1 2016, naast dat van het aanleverprotocol
  Gepubliceerd werd een ander venster dan de voorlopige data in het aanleverprotocol: van
  15 augustus tot en met 30 september 2016, en wie vóór 2 september levert, krijgt het eerste
  op-orde rapport op 16 september. Beide staan als tijdlijn klaar; de seed is de standaard.

  Achtergrond:
    Gegeven de tijdlijn "H1 2016 gepubliceerd"
    En gemeente Amsterdam (0363)

  Scenario: Op 30 september 2016, de laatste dag van het gepubliceerde venster, neemt het GGk de aanlevering aan
    Als de klok naar vrijdag 30 september 2016 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan neemt het GGk de upload op tijd aan

  Scenario: Na 30 september 2016 is het gepubliceerde venster dicht
    Als de klok naar maandag 3 oktober 2016 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan weigert het GGk de upload met HTTP 422 en een melding met "gesloten sinds 30 september 2016"

  Scenario: Wie vóór 2 september levert, krijgt het op-orde rapport op 16 september
    Als de klok naar donderdag 1 september 2016 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan neemt het GGk de upload op tijd aan
    Als de klok naar vrijdag 16 september 2016 gaat
    Dan staat het op-orde rapport op vrijdag 16 september 2016 klaar, niet eerder
