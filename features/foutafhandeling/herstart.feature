# language: nl
@foutafhandeling
Functionaliteit: Een partij start opnieuw op midden in een aanlevering en maakt haar werk af
  Een partij die opnieuw opstart verliest wat ze in het geheugen had, maar niets van wat ze had
  vastgelegd. Werk dat nog openstond, zoals een bestand doorsturen, een nieuw bestand melden, een
  rapport in de verzendmap zetten of een rapport ophalen, pakt ze na het opstarten weer op. Ook als
  een partij opnieuw opstart terwijl haar buur onbereikbaar is, komt elk bestand precies één keer
  aan en staat elk rapport precies één keer klaar.

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)

  @hop:ggk-rinis
  Scenario: Het GGk start opnieuw op met een bestand voor RINIS dat nog niet weg kon
    Gegeven RINIS is onbereikbaar
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan blijft het GGk proberen RINIS te bereiken
    Als het GGk opnieuw opstart
    En RINIS weer bereikbaar wordt
    Dan pakt het GGk na het opstarten zijn openstaande werk weer op
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En staat het technisch rapport maar één keer in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

  @hop:rinis-cbs
  Scenario: RINIS start opnieuw op met een nieuw bestand dat het CBS nog niet kon horen
    Gegeven het CBS is onbereikbaar
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan blijft RINIS proberen het CBS te bereiken
    Als RINIS opnieuw opstart
    En het CBS weer bereikbaar wordt
    Dan pakt RINIS na het opstarten zijn openstaande werk weer op
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En staat het technisch rapport maar één keer in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

  @hop:rinis-cbs
  Scenario: Het CBS start opnieuw op met rapporten die nog niet in de verzendmap konden
    Gegeven de verzendmap bij RINIS is onbereikbaar
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan blijft het CBS proberen RINIS te bereiken
    Als het CBS opnieuw opstart
    En de verzendmap bij RINIS weer bereikbaar wordt
    Dan pakt het CBS na het opstarten zijn openstaande werk weer op
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En staat het technisch rapport maar één keer in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

  @hop:gemeente-ggk
  Scenario: De gemeente start opnieuw op met een rapport dat ze nog niet kon ophalen
    Gegeven het GGk levert geen bestanden uit het downloadgebied van de gemeente
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan blijft de gemeente proberen het GGk te bereiken
    Als de gemeente opnieuw opstart
    En het GGk weer bestanden uit het downloadgebied levert
    Dan pakt de gemeente na het opstarten haar openstaande werk weer op
    En heeft de gemeente het technisch rapport opgehaald
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En staat het technisch rapport maar één keer in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend
