# language: nl
@foutafhandeling
Functionaliteit: Storingen onderweg: de keten herstelt zich zonder iets kwijt te raken of dubbel te doen
  Een partij kan even plat liggen, te druk zijn (HTTP 503), traag antwoorden of de verbinding
  verbreken nadat ze een bericht al verwerkt heeft. De zender weet dan niet of zijn bericht
  aankwam en biedt precies hetzelfde bericht opnieuw aan; de ontvanger herkent het en geeft
  hetzelfde antwoord, zonder het bestand een tweede keer door te zetten. Een weigering met een
  Fo03 is wel een antwoord: die wordt niet herhaald.

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)

  @hop:ggk-rinis
  Scenario: Het GGk biedt een bericht opnieuw aan nadat RINIS twee keer HTTP 503 gaf
    Gegeven RINIS antwoordt op de volgende 2 berichten met HTTP 503
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan heeft het GGk het bericht opnieuw verstuurd
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

  @hop:ggk-rinis
  Scenario: Een halverwege afgekapt antwoord van RINIS leidt tot hetzelfde bericht opnieuw
    Gegeven RINIS kapt het antwoord op het volgende bericht halverwege af
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan heeft het GGk het bericht opnieuw verstuurd
    En antwoordt RINIS op het herhaalde bericht met hetzelfde Bv03
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En is de boekhouding van de keten sluitend

  @hop:ggk-rinis @ernst:kritiek
  Scenario: Na een verbroken verbinding na verwerking krijgt het GGk op hetzelfde bericht hetzelfde Bv03
    Gegeven RINIS verbreekt de verbinding na het verwerken van het volgende bericht
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan heeft het GGk het bericht opnieuw verstuurd
    En antwoordt RINIS op het herhaalde bericht met hetzelfde Bv03
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En is de boekhouding van de keten sluitend

  @hop:ggk-rinis
  Scenario: Een bestand dat het GGk kwijt moest terwijl RINIS plat lag, komt aan zodra RINIS terug is
    Gegeven RINIS is onbereikbaar
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan blijft het GGk proberen RINIS te bereiken
    Als RINIS weer bereikbaar wordt
    Dan staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS

  @hop:rinis-cbs
  Scenario: Een traag CBS krijgt het bestand toch, en zijn rapport komt terug
    Gegeven het CBS antwoordt traag (1 seconde)
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan ontvangt het CBS het bestand als "WMO_H12016_regulier_0363.csv"
    En is de storing bij het CBS 1 keer opgetreden
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

  @hop:ggk-rinis
  Scenario: Weigert het GGk een rapport met een Fo03, dan zet RINIS het op geweigerd en biedt het niet opnieuw aan
    Gegeven het GGk antwoordt op het volgende bericht met een Fo03 met foutcode "StUF058"
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan zet RINIS het technisch rapport in de verzendmap op "geweigerd" met foutcode "StUF058"
    En heeft RINIS het technisch rapport maar één keer aan het GGk aangeboden
    En staat er nog geen technisch rapport klaar in het downloadgebied van de gemeente

  @hop:ggk-rinis
  Scenario: Blijft RINIS hangen, dan geeft het GGk het na zijn time-out op en biedt het bericht opnieuw aan
    Gegeven het GGk wacht hoogstens 1 seconde op een antwoord van zijn buren
    En RINIS blijft hangen op het volgende bericht
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan heeft het GGk het bericht opnieuw verstuurd
    En is de storing bij RINIS 1 keer opgetreden
    En heeft RINIS het bestand maar één keer doorgezet naar het CBS
    En staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En is de boekhouding van de keten sluitend

  @hop:ggk-rinis @fout:GGK-FO01-NA-BV03
  Scenario: Weigert het GGk een rapport na het Bv03 met een Fo01, dan zet RINIS het in de verzendmap op geweigerd
    Gegeven het GGk antwoordt op het volgende bericht met een Fo01 met foutcode "StUF058"
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    Dan zet RINIS het technisch rapport in de verzendmap op "geweigerd" met foutcode "StUF058"
    En heeft RINIS het technisch rapport maar één keer aan het GGk aangeboden
    En is de boekhouding van de keten sluitend
