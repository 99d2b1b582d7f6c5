# language: nl
@pilot @hop:gemeente-ggk
Functionaliteit: Herinneringen voor de toestemmingen: vóór de opt-in-deadline en vóór het intrekken sluit
  De werknotities (seed 003) vragen notificaties met herinneringen, ook als er toestemmingen
  gegeven moeten worden. Het GGk herinnert drie werkdagen vóór de opt-in-deadline wie een
  op-orde rapport heeft en nog niet besloot, en drie werkdagen voordat het intrekvenster
  sluit. Het telt werkdagen: een feestdag telt niet mee.

  Scenario: Drie werkdagen vóór de opt-in-deadline komt een herinnering, Koningsdag niet meegeteld
    Gegeven de tijdlijn "H2 2016 werknotities"
    En gemeente Amsterdam (0363)
    En medewerker "Henk de Vries" (henk@amsterdam.nl, 020-1234567) van de gemeente
    Als de klok naar maandag 2 januari 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_regulier.csv"
    En de klok naar vrijdag 21 april 2017 gaat
    Dan heeft henk@amsterdam.nl nog geen e-mail over "uiterlijk 28 april 2017"
    Als de klok naar maandag 24 april 2017 gaat
    Dan ontvangt henk@amsterdam.nl een e-mail over "uiterlijk 28 april 2017 uw opt-in" op maandag 24 april 2017

  Scenario: Wie zijn opt-in al gaf, krijgt geen herinnering
    Gegeven de tijdlijn "H2 2016 werknotities"
    En gemeente Amsterdam (0363)
    En medewerker "Henk de Vries" (henk@amsterdam.nl, 020-1234567) van de gemeente
    Als de klok naar maandag 2 januari 2017 gaat
    En de gemeente een Wmo-bestand aanlevert als "WMO_H22016_regulier.csv"
    En de klok naar maandag 3 april 2017 gaat
    En de medewerker voor H22016 een opt-in geeft voor Wmo
    Dan neemt het GGk het besluit aan
    Als de klok naar dinsdag 25 april 2017 gaat
    Dan heeft henk@amsterdam.nl nog geen e-mail over "uiterlijk 28 april 2017"

  Scenario: Drie werkdagen voordat het intrekken sluit, herinnert het GGk eraan
    Gegeven de tijdlijn "pilot fase II 2018"
    En gemeente Amsterdam (0363)
    En medewerker "Anna Jansen" (anna@amsterdam.nl, 020-7654321) van de gemeente
    Als de klok naar maandag 19 maart 2018 gaat
    Dan heeft anna@amsterdam.nl nog geen e-mail over "intrekken kan"
    Als de klok naar dinsdag 20 maart 2018 gaat
    Dan ontvangt anna@amsterdam.nl een e-mail over "intrekken kan tot en met 23 maart 2018" op dinsdag 20 maart 2018
