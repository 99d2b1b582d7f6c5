"""The chain's books: per hop, what was sent, acknowledged, delivered, lost or doubled.

"Nothing lost" is checked from both ends of every hop: the sender's journal says what
left and which Bv03 came back, the receiver's what arrived and what it accepted. After
the chain has drained (no task open), a run passes when, on every hop,
``verloren == gedupliceerd == onverwacht == open == 0``.

Definitions (per hop, counted over distinct messages: a StUF message by its
referentienummer, a file or report by its name):

* ``verzonden``: distinct messages the sender sent; ``pogingen`` every attempt, so
  ``herhaald = pogingen - verzonden`` are the retries;
* ``bevestigd``: sent messages the sender got a Bv03 for (StUF hops; for file hops a
  hand-over counts as acknowledged);
* ``afgeleverd``: distinct messages the receiver journalled as received;
* ``dubbel_onderdrukt``: receipts beyond the first of one message (a resend the
  receiver recognised), ``gedupliceerd``: a message the receiver *handled* twice (for
  StUF: answered with two different answers; for files: placed more often than sent; for
  reports, whose name carries the GGk reference and so names one report: placed twice,
  however often CBS offered it);
* ``verloren``: acknowledged by the receiver's answer but absent from its journal, or sent
  and never received once the chain drained while the sender did not give up on it (a
  message whose sender gave up after its deadline is surfaced, as an alarm and an error
  report: it counts as ``mislukt``, not lost); ``onverwacht``: received but never sent
  by the other side;
* ``geweigerd``: answered with Fo03 (StUF hops), ``open``/``mislukt``: the sender's
  tasks still open, or failed or given up after their deadline (``verlopen``),
  ``gemeld``: Fo01 error reports that reached a gemeente.

It works on the JSON that ``GET /journal`` and ``GET /_beheer/taken`` give, so it judges
simulators and (where they offer a journal) real partners alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from html import escape

HOPS: tuple[tuple[str, str, str], ...] = (
    # (sender, receiver, what travels)
    ("gemeente", "ggk", "upload"),
    ("ggk", "rinis", "stuf"),
    ("rinis", "cbs", "bestand"),
    ("cbs", "rinis", "rapport"),
    ("rinis", "ggk", "stuf"),
)
STUF = ("Di01", "Du01", "Fo01")
NUL_VEREIST = ("verloren", "gedupliceerd", "onverwacht", "open")


@dataclass
class Hop:
    van: str
    naar: str
    soort: str
    verzonden: int = 0
    pogingen: int = 0
    bevestigd: int = 0
    afgeleverd: int = 0
    dubbel_onderdrukt: int = 0
    gedupliceerd: int = 0
    verloren: int = 0
    onverwacht: int = 0
    geweigerd: int = 0
    open: int = 0
    mislukt: int = 0

    @property
    def naam(self) -> str:
        return f"{self.van}→{self.naar}"

    @property
    def herhaald(self) -> int:
        return self.pogingen - self.verzonden

    @property
    def sluitend(self) -> bool:
        return all(getattr(self, veld) == 0 for veld in NUL_VEREIST)


@dataclass
class Boeken:
    hops: list[Hop]
    gemeld: int = 0

    @property
    def sluitend(self) -> bool:
        return all(hop.sluitend for hop in self.hops)

    def afwijkingen(self) -> list[str]:
        return [f"{hop.naam} ({hop.soort}): {veld} = {getattr(hop, veld)}"
                for hop in self.hops for veld in NUL_VEREIST if getattr(hop, veld)]

    def als_tabel(self) -> str:
        kolommen = ("verzonden", "herhaald", "bevestigd", "afgeleverd", "dubbel_onderdrukt", "gedupliceerd",
                    "verloren", "onverwacht", "geweigerd", "open", "mislukt")
        regels = ["hop              " + " ".join(f"{k[:10]:>10}" for k in kolommen)]
        for hop in self.hops:
            waarden = [hop.herhaald if k == "herhaald" else getattr(hop, k) for k in kolommen]
            regels.append(f"{hop.naam:<16} " + " ".join(f"{w:>10}" for w in waarden))
        regels.append(f"foutrapporten bij gemeenten: {self.gemeld}")
        regels.append("sluitend" if self.sluitend else "NIET sluitend: " + "; ".join(self.afwijkingen()))
        return "\n".join(regels)

    def als_html(self) -> str:
        """The books as an HTML table (the Allure report shows it as a table); deviations red."""
        kolommen = ("verzonden", "herhaald", "bevestigd", "afgeleverd", "dubbel_onderdrukt", "gedupliceerd",
                    "verloren", "onverwacht", "geweigerd", "open", "mislukt")
        kop = "".join(f"<th>{k.replace('_', ' ')}</th>" for k in kolommen)
        regels = []
        for hop in self.hops:
            cellen = []
            for k in kolommen:
                waarde = hop.herhaald if k == "herhaald" else getattr(hop, k)
                fout = k in NUL_VEREIST and waarde
                cellen.append(f"<td style='text-align:right{';color:#c00;font-weight:bold' if fout else ''}'>"
                              f"{waarde}</td>")
            regels.append(f"<tr><th style='text-align:left'>{escape(hop.naam)} ({hop.soort})</th>"
                          f"{''.join(cellen)}</tr>")
        oordeel = "sluitend" if self.sluitend else "NIET sluitend: " + "; ".join(self.afwijkingen())
        return ("<!DOCTYPE html><html lang='nl'><meta charset='utf-8'><title>Boekhouding per hop</title>"
                "<style>table{border-collapse:collapse;font:13px sans-serif}td,th{border:1px solid #ccc;"
                "padding:2px 6px}</style><table><tr><th>hop</th>" + kop + "</tr>" + "".join(regels)
                + f"</table><p>foutrapporten bij gemeenten: {self.gemeld}</p><p><b>{escape(oordeel)}</b></p>"
                "</html>")

    def als_json(self) -> dict:
        return {"sluitend": self.sluitend, "gemeld": self.gemeld,
                "hops": [asdict(hop) | {"hop": hop.naam, "herhaald": hop.herhaald} for hop in self.hops]}


def boeken(journalen: Mapping[str, list[dict]], taken: Mapping[str, list[dict]] | None = None,
           nu: datetime | None = None) -> Boeken:
    """The books of a chain from each party's journal (and task list, for open/failed work).

    With ``nu`` (the chain's clock), work scheduled for later (a report due on a
    timeline date) is not counted as open: only work that is due and not done is.
    """
    taken = taken or {}
    grens = nu.astimezone(UTC).isoformat() if nu is not None else None
    hops = []
    for van, naar, soort in HOPS:
        if van not in journalen or naar not in journalen:
            continue
        onbeantwoord = 0  # StUF messages never answered and never received
        if soort == "stuf":
            hop, onbeantwoord = _stuf_hop(van, naar, journalen)
        else:
            hop = _bestand_hop(van, naar, soort, journalen)
        statussen = Counter(t["status"] for t in taken.get(van, [])
                            if grens is None or not t.get("niet_voor") or t["niet_voor"] <= grens)
        opgegeven = statussen.get("mislukt", 0) + statussen.get("verlopen", 0)
        hop.open, hop.mislukt = statussen.get("open", 0), opgegeven
        hop.verloren += max(0, onbeantwoord - opgegeven)  # unless the sender gave up on it
        hops.append(hop)
    gemeld = sum(1 for e in journalen.get("gemeente", [])
                 if e["richting"] == "in" and e["soort"] == "foutrapport")
    return Boeken(hops, gemeld)


def _stuf_hop(van: str, naar: str, journalen: Mapping[str, list[dict]]) -> tuple[Hop, int]:
    """The hop's books, and how many messages were never answered and never received."""
    hop = Hop(van, naar, "stuf")
    uit = [e for e in journalen[van] if e["richting"] == "uit" and e["peer"] == naar
           and e["berichtcode"] in STUF]
    antwoorden = [e for e in journalen[van] if e["richting"] == "in" and e["peer"] == naar
                  and e["berichtcode"] in ("Bv03", "Fo03")]
    binnen = [e for e in journalen[naar] if e["richting"] == "in" and e["peer"] == van
              and e["berichtcode"] in STUF]
    gegeven = [e for e in journalen[naar] if e["richting"] == "uit" and e["peer"] == van
               and e["berichtcode"] in ("Bv03", "Fo03")]
    verzonden = {e["referentienummer"] for e in uit}
    hop.verzonden, hop.pogingen = len(verzonden), len(uit)
    bv03 = {e["crossRefnummer"] for e in antwoorden if e["berichtcode"] == "Bv03"}
    hop.bevestigd = len(verzonden & bv03)
    hop.geweigerd = len(verzonden & {e["crossRefnummer"] for e in antwoorden if e["berichtcode"] == "Fo03"}
                        - bv03)
    ontvangen = Counter(e["referentienummer"] for e in binnen)
    hop.afgeleverd = len(ontvangen)
    hop.dubbel_onderdrukt = sum(n - 1 for n in ontvangen.values())
    per_bericht: dict[str, set[str]] = {}
    for e in gegeven:  # two different answers to one message: handled twice
        per_bericht.setdefault(e["crossRefnummer"], set()).add(e["berichtcode"])
    hop.gedupliceerd = sum(1 for codes in per_bericht.values() if len(codes) > 1)
    beantwoord = bv03 | {e["crossRefnummer"] for e in antwoorden}
    hop.verloren = len((verzonden & beantwoord) - set(ontvangen))
    hop.onverwacht = len(set(ontvangen) - verzonden)
    return hop, len(verzonden - beantwoord - set(ontvangen))


def _bestand_hop(van: str, naar: str, soort: str, journalen: Mapping[str, list[dict]]) -> Hop:
    """A hand-over of files (upload, folder fetch, report placement), by file name."""
    hop = Hop(van, naar, soort)
    uit = Counter(e["bestandsnaam"] for e in journalen[van]
                  if e["richting"] == "uit" and e["peer"] == naar and e["soort"] == soort)
    binnen = Counter(e["bestandsnaam"] for e in journalen[naar]
                     if e["richting"] == "in" and e["peer"] == van and e["soort"] == soort)
    hop.verzonden, hop.pogingen = len(uit), sum(uit.values())
    hop.bevestigd = hop.afgeleverd = len(binnen)
    hop.dubbel_onderdrukt = 0
    if soort == "rapport":  # a retried placement the receiver stored again is still a double
        hop.gedupliceerd = sum(1 for n in binnen.values() if n > 1)
    else:  # the same name may be a new file (a gemeente delivers again): only more than sent
        hop.gedupliceerd = sum(1 for naam, n in binnen.items() if n > max(1, uit.get(naam, 0)))
    niet_aangekomen = len(set(uit) - set(binnen))
    if soort == "upload":  # a refused upload (4xx) is answered, not lost: the answer has no reference
        hop.geweigerd = sum(1 for e in journalen[van] if e["richting"] == "in" and e["peer"] == naar
                            and e["soort"] == "upload-antwoord" and not e["correlatie"])
    hop.verloren = max(0, niet_aangekomen - hop.geweigerd)
    hop.onverwacht = len(set(binnen) - set(uit))
    return hop
