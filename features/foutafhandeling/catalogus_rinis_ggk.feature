# language: nl
@foutafhandeling @hop:ggk-rinis @harness-speelt-partij
Functionaliteit: Foutcatalogus RINIS → GGk: het GGk weigert een rapportbericht dat niet deugt
  De harness speelt RINIS en biedt het GGk telkens een rapport voor gemeente 0363 aan met
  precies één gebrek. Het GGk controleert de envelop zoals RINIS dat doet en antwoordt direct
  met een Fo03; een Du01 moet bovendien verwijzen naar een aanlevering die het GGk kent.

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016

  @ernst:kritiek @rol:ggk
  Abstract Scenario: Het GGk weigert een rapport <gebrek> direct met een Fo03 <foutcode>
    Als RINIS het GGk een bericht stuurt <gebrek>
    Dan weigert het GGk het bericht met een Fo03 met foutcode "<foutcode>" en plek "<plek>"

    Voorbeelden:
      | fout                     | gebrek                                                            | foutcode | plek   |
      | GGK-GEEN-XML             | dat geen XML is                                                   | StUF055  | client |
      | GGK-DOCTYPE              | met een DOCTYPE                                                   | StUF055  | client |
      | GGK-XXE                  | met een externe entiteit                                          | StUF055  | client |
      | GGK-SCHEMA               | dat niet aan het StUF-schema voldoet                              | StUF055  | client |
      | GGK-VERSIE               | in StUF-versie 02.04                                              | StUF001  | server |
      | GGK-BERICHTCODE-ONBEKEND | met berichtcode "Xx99"                                            | StUF022  | client |
      | GGK-BERICHTCODE-NIET     | met berichtcode "Bv01"                                            | StUF025  | server |
      | GGK-UUID                 | met een referentienummer dat geen UUID is                         | IB009    | client |
      | GGK-ONTVANGER            | aan onbekende ontvanger 9999                                      | StUF010  | client |
      | GGK-ZENDER               | van onbekende zender 9999                                         | StUF013  | client |
      | GGK-TE-GROOT             | van meer dan 25 MB                                                | IB007    | client |
      | GGK-BASE64               | met een inhoud die geen base64 is                                 | StUF055  | client |
      | GGK-BESTANDSNAAM         | met een bestandsnaam met een spatie                               | StUF055  | client |
      | GGK-XMLBESTAND           | met het bestand als xmlBestand                                    | StUF055  | client |
      | GGK-CROSSREF             | met een onbekend crossRefnummer                                   | StUF043  | client |
      | GGK-DUBBEL-ANDERS        | met een referentienummer dat al voor een ander bericht is gebruikt | StUF016  | client |

  @fout:GGK-DUBBEL-ZELFDE @rol:ggk
  Scenario: Het GGk beantwoordt hetzelfde rapportbericht nog eens met hetzelfde Bv03 en zet het rapport één keer klaar
    Als RINIS het GGk een bericht stuurt dat het al eerder stuurde
    Dan beantwoordt het GGk het herhaalde bericht met hetzelfde Bv03 en verwerkt het één keer
