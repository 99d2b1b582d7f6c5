# language: nl
@portaal @hop:gemeente-cbs
Functionaliteit: Het ondertekende opt-in-besluit
  Een opt-in, opt-out of intrekking heeft juridische waarde. Het GGk ondertekent elk besluit
  met het certificaat van de medewerker die besloot: een XML-handtekening met exclusieve
  canonicalisatie, met een certificaat van de test-CA van de keten. Het CBS controleert de
  handtekening op de gesimuleerde datum en weigert een besluit dat niet ondertekend,
  gewijzigd, vreemd, verlopen of herhaald is: met een Fo01 aan de gemeente en een regel in
  zijn auditlog. Zo'n besluit telt niet.

  Achtergrond:
    Gegeven de tijdlijn "H1 2016"
    En gemeente Amsterdam (0363)
    En medewerker "Henk de Vries" (henk.de.vries@amsterdam.nl, 088-0363001) van de gemeente
    Als de gemeente een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    En de klok naar woensdag 9 november 2016 gaat

  Scenario: Het GGk ondertekent het besluit met het certificaat van de medewerker en het CBS aanvaardt het
    Als de medewerker voor H12016 een opt-in geeft voor Wmo
    Dan neemt het GGk het besluit aan
    En is het laatste besluit van Amsterdam (0363) ondertekend door "Henk de Vries" met exclusieve canonicalisatie
    En legt het CBS bij de Wmo-levering voor H12016 "opt-in" vast met de naam van de medewerker
    En staat in het auditlog van het CBS een regel "optin" met resultaat "aanvaard" voor Amsterdam (0363)

  @harness-speelt-partij
  Abstract Scenario: Het CBS weigert een besluit <gebrek>
    Als het GGk RINIS een opt-in voor Wmo van Amsterdam (0363) voor H12016 stuurt <gebrek>
    Dan weigert het CBS het besluit met foutcode "<code>" en een melding met "<melding>"
    En krijgt de gemeente een foutrapport met foutcode "<code>" van het CBS
    En staat in het auditlog van het CBS een regel "optin" met resultaat "geweigerd" voor Amsterdam (0363)
    En legt het CBS voor de Wmo-levering van H12016 geen besluit vast

    Voorbeelden:
      | fout                              | gebrek                                              | code  | melding                         |
      | CBS-ONDERTEKENING-ONTBREEKT       | zonder handtekening                                 | KT101 | niet ondertekend                |
      | CBS-ONDERTEKENING-GEWIJZIGD       | waarvan de CSV na ondertekening is gewijzigd        | KT102 | gewijzigd na ondertekening      |
      | CBS-ONDERTEKENING-VREEMDE-CA      | ondertekend met een certificaat van een vreemde CA  | KT103 | niet uitgegeven door de test-CA |
      | CBS-ONDERTEKENING-ANDERE-GEMEENTE | ondertekend door een medewerker van Leiden (0546)   | KT103 | van gemeente 0546               |
      | CBS-ONDERTEKENING-ANDERE-PERSOON  | ondertekend door een ander dan in de regels staat   | KT103 | de regels noemen                |
      | CBS-ONDERTEKENING-VERLOPEN        | ondertekend met een verlopen certificaat            | KT104 | niet op 09-11-2016              |

  @harness-speelt-partij @fout:CBS-ONDERTEKENING-HERHAALD
  Scenario: Hetzelfde ondertekende besluit nog eens is een herhaling en telt één keer
    Als de medewerker voor H12016 een opt-out geeft voor Wmo
    Dan legt het CBS bij de Wmo-levering voor H12016 "opt-out" vast met de naam van de medewerker
    Als het GGk het laatste ondertekende besluit van Amsterdam (0363) nog eens naar RINIS stuurt
    Dan weigert het CBS het besluit met foutcode "KT105" en een melding met "al op 2016-11-09 ontvangen"
    En krijgt de gemeente een foutrapport met foutcode "KT105" van het CBS
    En staat in het auditlog van het CBS een regel "optin" met resultaat "geweigerd" voor Amsterdam (0363)

  @harness-speelt-partij
  Scenario: Een besluit ondertekend door de medewerker zelf aanvaardt het CBS ook als de harness het stuurt
    Als het GGk RINIS een opt-in voor Wmo van Amsterdam (0363) voor H12016 stuurt ondertekend door de medewerker
    Dan legt het CBS bij de Wmo-levering voor H12016 "opt-in" vast met de naam van de medewerker
