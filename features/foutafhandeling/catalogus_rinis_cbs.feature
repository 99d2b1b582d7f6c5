# language: nl
@foutafhandeling @hop:rinis-cbs @harness-speelt-partij
Functionaliteit: Foutcatalogus RINIS ↔ CBS: de map-API van RINIS weigert wat niet klopt
  Het CBS haalt bestanden uit zijn inbox bij RINIS en zet rapporten in de verzendmap. Wat
  daar niet mag, krijgt direct een HTTP 4xx met een Nederlandse melding en wordt niet bewaard;
  een rapport dat RINIS wel aanneemt maar nergens kan afleveren, ziet het CBS als
  "onbestelbaar" met de reden.

  Achtergrond:
    Gegeven het is maandag 15 augustus 2016

  @rol:rinis
  Abstract Scenario: RINIS weigert het CBS dat <gebrek> met HTTP <status>
    Als het CBS bij RINIS <gebrek>
    Dan weigert RINIS het verzoek van het CBS met HTTP <status> en een melding met "<melding>"

    Voorbeelden:
      | fout                 | gebrek                                                | status | melding           |
      | MAP-INBOX            | een rapport in de inbox zet                           | 403    | inbox             |
      | MAP-ONBEKEND         | een rapport in een onbekende map zet                  | 404    | bestaat niet      |
      | MAP-NAAM             | een rapport met een spatie in de naam in de verzendmap zet | 400 | A-Z a-z 0-9    |
      | MAP-LEEG             | een leeg rapport in de verzendmap zet                 | 400    | is leeg           |
      | MAP-WEIGEREN-ONBEKEND | een onbekend bestand als onleesbaar weigert          | 404    | staat niet in     |

  @fout:MAP-RAPPORTNAAM @rol:rinis
  Scenario: Een rapport waarvan de naam geen bekende gemeente noemt, staat in de verzendmap op onbestelbaar
    Als het CBS bij RINIS een rapport in de verzendmap zet waarvan de naam geen gemeente noemt
    Dan zet RINIS het rapport in de verzendmap op "onbestelbaar" met een melding met "rapportconventie"
