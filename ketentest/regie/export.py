"""A delivery for scripts: the JSON of ``/api/leveringen`` and its CSV, field by field.

JSON, per delivery: ``referentie`` (the GGk reference of the CSV), ``upload`` (of the upload
it came in: differs only for a ZIP's members), ``gemeentecode``, ``gemeente``, ``bestandsnaam``,
``geupload_als`` (the uploaded file, e.g. the ZIP), ``soort``, ``periode``, ``toestand`` and
``toestand_tekst``, ``oordeel`` (of the technical report), ``laatst`` (the time of the
furthest step), ``stappen`` (every step of :data:`~ketentest.regie.leveringen.STAPPEN`:
``null`` when not reached, else ``partij``, ``tijdstip`` on that party's clock, or null
when no journal shows it, ``tekst`` and ``bron``, the journal line's payload), ``fouten``
(``berichtcode``, ``foutcode``, ``omschrijving``, ``afzender``, ``tijdstip``, ``gemeld``,
``bron``) and ``sla`` (``naam``, ``termijn``, ``stand``, ``werkdagen``, ``gereed``).

The CSV has one line per delivery, ``;``-separated (as the GMSD files), with the same
scalar fields, one column per step (its time; ``ja`` for a step done whose time no journal
shows), the faults and the SLA clocks as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .leveringen import STAPPEN, TOESTANDEN, Levering
from .sla import SlaKlok

__all__ = ["CSV_KOLOMMEN", "as_csv", "levering_json"]

VELDEN = ("referentie", "upload", "gemeentecode", "gemeente", "bestandsnaam", "geupload_als", "soort",
          "periode")
CSV_KOLOMMEN = (*VELDEN, "toestand", "oordeel", *(key for key, _, _ in STAPPEN), "fouten", "sla")


def levering_json(lev: Levering, klokken: Iterable[SlaKlok]) -> dict:
    stappen = {}
    for key, _, _ in STAPPEN:
        stap = lev.stappen.get(key)
        stappen[key] = None if stap is None else {
            "partij": stap.partij, "tijdstip": stap.tijdstip, "tekst": stap.tekst, "bron": stap.bron}
    return {veld: getattr(lev, veld) for veld in VELDEN} | {
        "toestand": lev.toestand, "toestand_tekst": TOESTANDEN[lev.toestand], "oordeel": lev.oordeel,
        "laatst": lev.laatst, "stappen": stappen,
        "fouten": [{"berichtcode": f.berichtcode, "foutcode": f.foutcode, "omschrijving": f.omschrijving,
                    "afzender": f.afzender, "tijdstip": f.tijdstip, "gemeld": f.gemeld, "bron": f.bron}
                   for f in lev.fouten],
        "sla": [klok.als_json() for klok in klokken],
    }


def as_csv(rijen: Iterable[tuple[Levering, Iterable[SlaKlok]]]) -> str:
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    schrijver.writerow(CSV_KOLOMMEN)
    for lev, klokken in rijen:
        stappen = [("ja" if not lev.stappen[k].tijdstip else lev.stappen[k].tijdstip) if k in lev.stappen
                   else "" for k, _, _ in STAPPEN]
        schrijver.writerow([getattr(lev, veld) or "" for veld in VELDEN] + [lev.toestand, lev.oordeel or ""]
                           + stappen + [" | ".join(f.tekst for f in lev.fouten),
                                        " | ".join(k.tekst for k in klokken)])
    return uit.getvalue()
