# language: nl
@beveiliging @tls @harness-speelt-partij
Functionaliteit: Alleen wie erbij hoort komt binnen
  Op de keten met TLS toont elke aanroeper een clientcertificaat van de test-CA van de harness,
  zoals in productie een PKIoverheid-certificaat over Digikoppeling, met de organisatie erin
  (GM<code> voor een gemeente, het OIN voor een partij). Het GGk haalt de gemeente uit dat
  certificaat, RINIS neemt StUF alleen aan van het GGk en zijn mappen alleen van het CBS.
  Wie er niet bij hoort, krijgt niets, er wordt niets opgeslagen, en de weigering staat in het
  toegangslog van de partij.

  @hop:gemeente-ggk
  Scenario: Met haar eigen certificaat levert de gemeente aan en haalt ze haar rapport op
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente "WMO_H12016_regulier.csv" uploadt bij het GGk
    Dan krijgt de gemeente voor elk CSV-bestand een eigen GGk-referentienummer
    En staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    En staat er niets in het toegangslog van het GGk

  @hop:gemeente-ggk
  Scenario: Zonder certificaat weigert het GGk de verbinding
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente "WMO_H12016_regulier.csv" uploadt bij het GGk met geen certificaat
    Dan weigert het GGk de verbinding al in de TLS-handshake
    En heeft het GGk niets opgeslagen
    En staat de weigering in het toegangslog van het GGk met "geen clientcertificaat"

  @hop:gemeente-ggk
  Scenario: Met het certificaat van een andere gemeente kan niemand als Amsterdam aanleveren
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente "WMO_H12016_regulier.csv" uploadt bij het GGk met het certificaat van gemeente Utrecht (0344)
    Dan weigert het GGk het verzoek met HTTP 403 en een melding met "gemeente Utrecht (GM0344)"
    En heeft het GGk niets opgeslagen
    En staat de weigering in het toegangslog van het GGk met "gemeente Utrecht (GM0344)"

  @hop:gemeente-ggk
  Scenario: Met het certificaat van een andere gemeente haalt niemand het rapport van Amsterdam op
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    En de gemeente heeft "WMO_H12016_regulier.csv" met haar eigen certificaat bij het GGk geüpload
    Als met het certificaat van gemeente Utrecht (0344) het technisch rapport van de gemeente uit het downloadgebied wordt gehaald
    Dan weigert het GGk het verzoek met HTTP 403 en een melding met "een bestand downloaden voor gemeente 0363"
    En krijgt de aanroeper geen bestand en geen lijst te zien
    En staat de weigering in het toegangslog van het GGk met "gemeente Utrecht (GM0344)"

  @hop:gemeente-ggk
  Scenario: Met het certificaat van een andere gemeente ziet niemand het downloadgebied van Amsterdam
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als met het certificaat van gemeente Utrecht (0344) het downloadgebied van de gemeente bij het GGk wordt opgevraagd
    Dan weigert het GGk het verzoek met HTTP 403 en een melding met "het downloadgebied inzien"
    En krijgt de aanroeper geen bestand en geen lijst te zien
    En staat de weigering in het toegangslog van het GGk met "gemeente Utrecht (GM0344)"

  @hop:gemeente-ggk
  Scenario: Een certificaat dat op de gesimuleerde datum verlopen is, weigert het GGk
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente "WMO_H12016_regulier.csv" uploadt bij het GGk met een certificaat van gemeente Amsterdam (0363) dat op 31 december 2015 verliep
    Dan weigert het GGk het verzoek met HTTP 403 en een melding met "niet geldig op 15-08-2016"
    En heeft het GGk niets opgeslagen
    En staat de weigering in het toegangslog van het GGk met "niet geldig op 15-08-2016"

  @hop:gemeente-ggk
  Scenario: Een certificaat van een andere CA weigert het GGk al in de handshake
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente "WMO_H12016_regulier.csv" uploadt bij het GGk met een certificaat van gemeente Amsterdam (0363) van een andere CA
    Dan weigert het GGk de verbinding al in de TLS-handshake
    En heeft het GGk niets opgeslagen
    En staat de weigering in het toegangslog van het GGk met "niet uitgegeven door de test-CA"

  @hop:gemeente-ggk
  Scenario: Met het certificaat van een partij levert niemand als gemeente aan bij het GGk
    Gegeven het is maandag 15 augustus 2016
    En gemeente Amsterdam (0363)
    Als de gemeente "WMO_H12016_regulier.csv" uploadt bij het GGk met het certificaat van RINIS
    Dan weigert het GGk het verzoek met HTTP 403 en een melding met "alleen voor een gemeente"
    En heeft het GGk niets opgeslagen
    En staat de weigering in het toegangslog van het GGk met "BKWI (RINIS)"

  @hop:rinis-cbs
  Scenario: Met het certificaat van het GGk komt niemand in de mappen van het CBS bij RINIS
    Gegeven het is maandag 15 augustus 2016
    Als met het certificaat van het GGk de inbox van het CBS bij RINIS wordt opgevraagd
    Dan weigert RINIS het verzoek met HTTP 403 en een melding met "alleen voor de partij cbs"
    En krijgt de aanroeper geen bestand en geen lijst te zien
    En staat de weigering in het toegangslog van RINIS met "Inlichtingenbureau (GGk)"

  @hop:ggk-rinis
  Scenario: Een zender die niet bij het certificaat past, weigert RINIS met een Fo03 StUF013
    Gegeven het is maandag 15 augustus 2016
    Als met het certificaat van het CBS een Di01 met het bestand "WMO_H12016_regulier.csv" van gemeente 0363 aan RINIS wordt aangeboden
    Dan weigert RINIS het bericht met een Fo03 met foutcode "StUF013" en plek "client"
    En heeft RINIS niets opgeslagen
    En staat de weigering in het toegangslog van RINIS met "Centraal Bureau voor de Statistiek"

  @hop:gemeente-ggk
  Scenario: De uitvoerder van een samenwerkingsverband ziet met haar eigen certificaat het downloadgebied van een lid
    Gegeven de tijdlijn "pilot fase II 2018"
    En het samenwerkingsverband "Holland Rijnland" met uitvoerder Leiden (0546) en leden Leiderdorp (0547) en Oegstgeest (0579)
    En gemeente Leiderdorp (0547)
    Als met het certificaat van gemeente Leiden (0546) het downloadgebied van de gemeente bij het GGk wordt opgevraagd
    Dan geeft het GGk de lijst van het downloadgebied
    En staat er niets in het toegangslog van het GGk

  @hop:gemeente-ggk
  Scenario: Een lid van een samenwerkingsverband ziet het downloadgebied van een ander lid niet
    Gegeven de tijdlijn "pilot fase II 2018"
    En het samenwerkingsverband "Holland Rijnland" met uitvoerder Leiden (0546) en leden Leiderdorp (0547) en Oegstgeest (0579)
    En gemeente Leiderdorp (0547)
    Als met het certificaat van gemeente Oegstgeest (0579) het downloadgebied van de gemeente bij het GGk wordt opgevraagd
    Dan weigert het GGk het verzoek met HTTP 403 en een melding met "de uitvoerder van haar samenwerkingsverband"
    En krijgt de aanroeper geen bestand en geen lijst te zien
    En staat de weigering in het toegangslog van het GGk met "gemeente Oegstgeest (GM0579)"
