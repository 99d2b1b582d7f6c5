# language: nl
@foutafhandeling
Functionaliteit: Duurtest: honderden aanleveringen door een keten vol storingen
  Tweehonderd gemeenten leveren elk een Wmo-bestand aan, terwijl aan de ontvangende kant van elke
  hop willekeurig storingen optreden: HTTP 503 en 500, verbindingen die voor of na het verwerken
  wegvallen, afgekapte en trage antwoorden en korte uitval. Het storingsplan komt uit een vast
  zaad, zodat een mislukte run met hetzelfde plan te herhalen is. Zijn de storingen voorbij, dan
  loopt de keten leeg en is er niets kwijt, niets dubbel en niets blijven hangen.

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016

  @hop:gemeente-cbs
  Scenario: Tweehonderd aanleveringen komen door willekeurige storingen op elke hop precies één keer aan
    Gegeven willekeurige storingen op elke hop (zaad 2018)
    Als 200 gemeenten elk een Wmo-bestand aanleveren
    En alle storingen voorbij zijn
    Dan is de keten binnen 60 seconden leeggelopen
    En hebben de storingen elke hop geraakt
    En heeft het CBS elk bestand precies één keer ontvangen
    En heeft elke gemeente precies één technisch rapport "goedgekeurd" opgehaald
    En is de boekhouding per hop:
      | hop          | verzonden | afgeleverd | verloren | gedupliceerd | onverwacht | open | mislukt |
      | gemeente-ggk | 200       | 200        | 0        | 0            | 0          | 0    | 0       |
      | ggk-rinis    | 400       | 400        | 0        | 0            | 0          | 0    | 0       |
      | rinis-cbs    | 400       | 400        | 0        | 0            | 0          | 0    | 0       |
      | cbs-rinis    | 400       | 400        | 0        | 0            | 0          | 0    | 0       |
      | rinis-ggk    | 400       | 400        | 0        | 0            | 0          | 0    | 0       |
    En is de boekhouding van de keten sluitend
