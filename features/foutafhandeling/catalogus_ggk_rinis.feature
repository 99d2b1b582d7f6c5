# language: nl
@foutafhandeling @hop:ggk-rinis @harness-speelt-partij
Functionaliteit: Foutcatalogus GGk → RINIS: RINIS weigert wat niet deugt, met de juiste foutcode
  De harness speelt het GGk en biedt RINIS telkens een bericht aan met precies één gebrek.
  Een fout in de envelop beantwoordt RINIS direct met een Fo03 (StUF 03.01 tabel 4.1, in een
  SOAP-fault); een fout die RINIS pas bij het verwerken vindt, krijgt eerst een Bv03 en daarna
  een Fo01 aan het GGk, dat hem doorgeeft aan de gemeente. Elke regel hoort bij een fout in
  docs/foutcodes.md (kolom "fout").

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016

  @ernst:kritiek @rol:rinis
  Abstract Scenario: RINIS weigert een bericht <gebrek> direct met een Fo03 <foutcode>
    Als het GGk RINIS een bericht stuurt <gebrek>
    Dan weigert RINIS het bericht met een Fo03 met foutcode "<foutcode>" en plek "<plek>"

    Voorbeelden:
      | fout                       | gebrek                                                            | foutcode | plek   |
      | RINIS-GEEN-XML             | dat geen XML is                                                   | StUF055  | client |
      | RINIS-DOCTYPE              | met een DOCTYPE                                                   | StUF055  | client |
      | RINIS-XXE                  | met een externe entiteit                                          | StUF055  | client |
      | RINIS-SCHEMA               | dat niet aan het StUF-schema voldoet                              | StUF055  | client |
      | RINIS-VERSIE               | in StUF-versie 02.04                                              | StUF001  | server |
      | RINIS-BERICHTCODE-ONBEKEND | met berichtcode "Xx99"                                            | StUF022  | client |
      | RINIS-BERICHTCODE-NIET     | met berichtcode "Du01"                                            | StUF025  | server |
      | RINIS-UUID                 | met een referentienummer dat geen UUID is                         | IB009    | client |
      | RINIS-ONTVANGER            | aan onbekende ontvanger SVB                                       | StUF010  | client |
      | RINIS-ZENDER               | van onbekende zender 9999                                         | StUF013  | client |
      | RINIS-FUNCTIE              | met functie "GMSD-ONBEKEND"                                       | StUF034  | client |
      | RINIS-TE-GROOT             | van meer dan 25 MB                                                | IB007    | client |
      | RINIS-BASE64               | met een inhoud die geen base64 is                                 | StUF055  | client |
      | RINIS-BESTANDSNAAM         | met een bestandsnaam met een spatie                               | StUF055  | client |
      | RINIS-GEEN-BESTAND         | zonder bestand                                                    | StUF055  | client |
      | RINIS-XMLBESTAND           | met het bestand als xmlBestand                                    | StUF055  | client |
      | RINIS-DUBBEL-ANDERS        | met een referentienummer dat al voor een ander bericht is gebruikt | StUF016  | client |

  @fout:RINIS-GEBLOKKEERD
  Scenario: RINIS weigert een bericht met een tijdelijk geblokkeerde functie direct met een Fo03 IB103
    Als het GGk RINIS een bericht stuurt terwijl de functie tijdelijk geblokkeerd is
    Dan weigert RINIS het bericht met een Fo03 met foutcode "IB103" en plek "server"

  @rol:rinis
  Abstract Scenario: RINIS bevestigt een bericht <gebrek> en weigert het daarna met een Fo01 <foutcode>
    Als het GGk RINIS een bericht stuurt <gebrek>
    Dan bevestigt RINIS het bericht met een Bv03 en weigert het daarna met een Fo01 met foutcode "<foutcode>" en plek "client"

    Voorbeelden:
      | fout                     | gebrek                      | foutcode |
      | RINIS-LEEG-BESTAND       | met een leeg bestand        | RIN001   |
      | RINIS-NIET-GEAUTORISEERD | met functie "GMSD-RAPPORT"  | IB234    |
      | RINIS-META-SCHEMA        | met metagegevens die niet aan hun schema voldoen | StUF055 |
      | RINIS-META-GEMEENTE      | met metagegevens van een andere gemeente         | StUF055 |

  @fout:RINIS-DUBBEL-ZELFDE @rol:rinis
  Scenario: RINIS beantwoordt hetzelfde bericht nog eens met hetzelfde Bv03 en plaatst het bestand één keer
    Als het GGk RINIS een bericht stuurt dat het al eerder stuurde
    Dan beantwoordt RINIS het herhaalde bericht met hetzelfde Bv03 en verwerkt het één keer

  @fout:RINIS-OPTIN-NAAM @rol:rinis
  Scenario: RINIS weigert een opt-in waarvan de naam niet bij de zender past, na het Bv03, met een Fo01 RIN001
    Als het GGk RINIS een bericht stuurt met een opt-in met een verkeerde bestandsnaam
    Dan bevestigt RINIS het bericht met een Bv03 en weigert het daarna met een Fo01 van RINIS met foutcode "RIN001"

  @fout:CBS-OPTIN-ONLEESBAAR @hop:rinis-cbs @rol:rinis
  Scenario: Kan het CBS een opt-in niet lezen, dan gaat een Fo01 van het CBS via RINIS terug naar het GGk
    Als het GGk RINIS een bericht stuurt met een opt-in die het CBS niet kan lezen
    Dan bevestigt RINIS het bericht met een Bv03 en krijgt het GGk daarna een Fo01 van het CBS met foutcode "StUF055"
