"""How the GGk talks to RINIS: every message it sends there, built once and sent identical
on every retry, and what a refusal by RINIS (Fo03) becomes for the gemeente.

The GGk answers hop by hop: a gemeente never sees RINIS's Fo03, but a Fo01 from IB with
the ISD-keten code where one fits (``simulators/stuf/isd.py``) and RINIS's own code in the
details. The defect ``geen-isd-code`` passes RINIS's code on instead (docs/conformiteit.md).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass

from lxml import etree

from .. import stuf
from ..clock import Clock
from ..courier import Courier
from ..stuf.isd import code_voor_gemeente
from . import messages


@dataclass(frozen=True)
class Refusal:
    """What RINIS's refusal of a Di01 becomes: the gemeente's Fo01, and the melding of the item."""

    fo01: bytes
    melding: str


class RinisLink:
    """Sending to RINIS (``/stuf/ontvang``), and reading its refusals for the gemeente."""

    def __init__(self, *, courier: Courier, clock: Clock, url: Callable[[str], str],
                 outgoing: Callable[[str, Callable[[], etree._Element]], etree._Element],
                 defecten: Container[str]) -> None:
        self.courier, self.clock, self.url, self.outgoing = courier, clock, url, outgoing
        self.defecten = defecten

    def send(self, key: str, build: Callable[[], etree._Element], *, correlatie: str | None = None,
             bestandsnaam: str | None = None) -> tuple[etree._Element, stuf.Antwoord]:
        """Send the message kept under ``key`` (built by ``build`` the first time); the message
        as sent and RINIS's answer (Bv03 or Fo03)."""
        element = self.outgoing(key, build)
        answer = self.courier.send_stuf("rinis", self.url("rinis") + "/stuf/ontvang", element,
                                        correlatie=correlatie, bestandsnaam=bestandsnaam)
        return element, answer

    def refusal(self, gemeentecode: str, referentienummer: str, functie: str, refused: etree._Element,
                answer: stuf.Antwoord) -> Refusal:
        """RINIS answered the Di01 ``referentienummer`` with a Fo03: the gemeente's Fo01."""
        fout = answer.fout
        code = fout.code if "geen-isd-code" in self.defecten else code_voor_gemeente(fout.code)
        details = f"{functie}-00010000"
        if code != fout.code:  # the ISD-keten code for the gemeente; RINIS's own code kept
            details += f"; RINIS antwoordde Fo03 {fout.code}"
        fo01 = messages.fo01_from_fo03(gemeentecode, referentienummer, self.clock.stuf_tijdstip(), code,
                                       fout, details, refused)
        return Refusal(fo01, f"{code}: {fout.omschrijving}")

    def send_fault_fo01(self, zender: list[str], referentienummer: str, code: str, functie: str) -> None:
        """An armed ``fo01`` fault: refuse the acknowledged message ``referentienummer`` of
        ``zender`` with a Fo01 via RINIS (a task: retried until RINIS takes it)."""
        _sent, answer = self.send(f"fo01:{referentienummer}", lambda: messages.fo01_to_rinis(
            zender, referentienummer, self.clock.stuf_tijdstip(), code, functie))
        if not answer.bevestigd:
            raise RuntimeError(f"RINIS weigerde de Fo01: {answer.fout.code} {answer.fout.omschrijving}")
