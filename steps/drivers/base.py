"""What every party's driver has: its address, the session it shares with the chain, and the
control API every simulated party serves (``/_beheer``, ``/journal``, ``/health``: see
``simulators/beheer/api.py`` and ``simulators/party.py``).

A driver knows URLs and endpoints; a step knows the business. A partner's real endpoint
answers only its own business paths: the harness never calls its control API. On a TLS chain
a driver also knows which party the harness plays on each path (``ROLES``), and shows that
party's certificate there (``tls.py``).

A failed check says which of two things went wrong, so a partner knows what to do about it:
:class:`NoAnswerError` (nothing came within the wait, or the connection failed: a
``requests`` time-out or connection error of any driver call becomes one) or
:class:`WrongAnswerError` (something came, and it was not what the check expects).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

import requests

from ketentest.rerun import WACHTTIJD
from simulators.stuf import CONTENT_TYPE

from .tls import HARNESS, Certificates

KLOK = "/_beheer/klok"
TIJDLIJN = "/_beheer/tijdlijn"
RESET = "/_beheer/reset"
HERSTART = "/_beheer/herstart"
COURIER = "/_beheer/courier"
STORING = "/_beheer/storing"
TAKEN = "/_beheer/taken"
LATER = "/_beheer/taken/later"
ALARMEN = "/_beheer/alarmen"
WACHT = "/_beheer/wacht"
TOEGANG = "/_beheer/toegang"
JOURNAL = "/journal"
JOURNAL_STAND = "/journal/stand"
HEALTH = "/health"
STUF_ONTVANG = "/stuf/ontvang"


MEER_TIJD = (f"Geef meer tijd met 'ketentest run --wachttijd SECONDEN' (of de omgevingsvariabele "
             f"{WACHTTIJD}).")


def wachttijd() -> float:
    """The harness's wait for an answer, in seconds: ``KETENTEST_WACHTTIJD`` or 10."""
    return float(os.environ.get(WACHTTIJD) or 10.0)


class ChainError(AssertionError):
    """A party answered something a scenario did not expect."""


class NoAnswerError(ChainError):
    """Nothing came: no answer, message, file or report within the wait (``seconden``), or
    the connection failed. The message says what was awaited and how to wait longer."""

    def __init__(self, wat: str, seconden: float | None = None) -> None:
        self.wat, self.seconden = wat, seconden
        if seconden is None:
            super().__init__(f"geen antwoord: {wat}")
        else:
            super().__init__(f"geen antwoord binnen {seconden:g} s: {wat}. {MEER_TIJD}")


class WrongAnswerError(ChainError):
    """Something came, and it was not what the check expects: the message says what was
    expected and what was received."""

    def __init__(self, wat: str, verwacht: object = None, ontvangen: object = None, detail: str = "") -> None:
        self.wat, self.verwacht, self.ontvangen = wat, verwacht, ontvangen
        tekst = f"verkeerd antwoord: {wat}"
        if verwacht is not None or ontvangen is not None:
            tekst += f" (verwacht: {verwacht}; ontvangen: {ontvangen})"
        super().__init__(tekst + (f"\n{detail}" if detail else ""))


def the_one(kandidaten: Iterable[dict], wat: str, toon: str = "naam") -> dict:
    """The one item of this scenario among ``kandidaten`` (already narrowed to this scenario's
    reference or mark); two or more is ambiguous, and the check says so instead of guessing."""
    lijst = list(kandidaten)
    if len(lijst) > 1:
        raise WrongAnswerError(f"{len(lijst)} kandidaten voor {wat}, verwacht één",
                               1, [item.get(toon, item.get("id")) for item in lijst])
    if not lijst:
        raise NoAnswerError(wat)
    return lijst[0]


class PartyDriver:
    """One party over HTTP: its business endpoints (in subclasses) and the control API."""

    name: ClassVar[str]
    INGANG: ClassVar[str]
    """Where the party's neighbours' messages come in: the path a fault on them is armed on."""
    ROLES: ClassVar[tuple[tuple[str, str], ...]] = ()
    """On a TLS chain: per path (and what lies under it), the party whose certificate the
    harness shows there, the one it plays; elsewhere it shows its own (``harness``)."""

    def __init__(self, base: str, session: requests.Session, timeout: float = 10.0,
                 tls: Certificates | None = None) -> None:
        self.base = base.rstrip("/")
        self.session = session
        self.timeout = timeout
        self.tls = tls

    def __repr__(self) -> str:  # short: Allure prints step arguments with repr()
        return f"{type(self).__name__}({self.base})"

    # ------------------------------------------------------------- raw HTTP

    def url(self, path: str) -> str:
        return self.base + path

    def role(self, path: str) -> str:
        """Whom the harness plays on ``path`` (a TLS chain): a party, a gemeentecode, or itself."""
        return next((role for prefix, role in self.ROLES
                     if path == prefix or path.startswith(prefix.rstrip("/") + "/")), HARNESS)

    def request(self, method: str, path: str, *, als: str | None = None, **kwargs) -> requests.Response:
        """One HTTP call; a time-out or a failed connection is :class:`NoAnswerError`. On a TLS
        chain it shows the certificate of ``als`` (a party or gemeentecode), by default of whom
        the harness plays on this path."""
        kwargs.setdefault("timeout", self.timeout + 5 if method in ("GET", "POST") else self.timeout)
        if self.tls is not None:
            kwargs.setdefault("verify", self.tls.ca)
            kwargs.setdefault("cert", self.tls.cert(als or self.role(path.split("?", 1)[0])))
        try:
            return self.session.request(method, self.url(path), **kwargs)
        except requests.Timeout:
            raise NoAnswerError(f"{self.name} ({self.base}) beantwoordde {method} {path} niet",
                                kwargs["timeout"]) from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise NoAnswerError(f"de verbinding met {self.name} ({self.base}) voor {method} {path} "
                                f"mislukte: {_reden(exc)}") from None

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    # ----------------------------------------------------------- every party

    def health(self, timeout: float | None = None) -> dict[str, Any]:
        """What the party says of itself (name, version); raises when it does not answer JSON."""
        return self.get(HEALTH, **({"timeout": timeout} if timeout else {})).json()

    # ------------------------------------------------------- clock, timeline

    def clock(self) -> datetime:
        return datetime.fromisoformat(self.get(KLOK).json()["klok"])

    def set_clock(self, moment: datetime, terug: bool = True) -> None:
        """``terug`` allows setting it back, as a new scenario does."""
        response = self.put(KLOK, json={"klok": moment.isoformat(), "opnieuw": terug})
        if response.status_code != 200:
            raise ChainError(f"klok van {self.name} niet gezet: {response.text}")

    def next_due(self) -> datetime | None:
        """The earliest moment this party has work waiting for (None: nothing waits)."""
        response = self.get(LATER)
        if response.status_code == 200 and response.json():
            return datetime.fromisoformat(response.json()[0]["niet_voor"])
        return None

    def apply_timeline(self, tijdlijn: dict) -> None:
        response = self.put(TIJDLIJN, json=tijdlijn)
        if response.status_code != 200:
            raise ChainError(f"{self.name} nam de tijdlijn niet aan: {response.text[:300]}")

    # ------------------------------------------------- state, tasks, journal

    def reset(self) -> None:
        response = self.post(RESET)
        if response.status_code != 200:
            raise ChainError(f"{self.name} kon niet worden leeggemaakt: {response.text[:300]}")

    def tasks(self) -> list[dict]:
        """The party's task list: every send and job, open or done."""
        return self.get(TAKEN).json()

    def alarms(self) -> list[dict]:
        """Work that failed or ran past its deadline."""
        return self.get(ALARMEN).json()

    def wait_idle(self, seconds: float, limit: float) -> None:
        """Wait at most ``seconds`` until the party has no open task, or fail naming its tasks
        (``limit``: the whole wait the caller allowed, for the message)."""
        response = self.post(WACHT, params={"seconden": seconds}, timeout=seconds + 5)
        if response.status_code != 200:
            raise NoAnswerError(f"{self.name} is nog niet klaar met zijn werk: {self.get(TAKEN).text[:500]}",
                                limit)

    def journal_mark(self) -> int:
        """The id of the party's last journal entry."""
        return self.get(JOURNAL_STAND).json()["laatste"]

    def journal(self, na: int = 0, inhoud: bool = False) -> list[dict[str, Any]]:
        """The party's journal entries after id ``na``: every message it sent or received; with
        ``inhoud`` each carries its raw bytes (base64, ``inhoud``) in the same answer."""
        return self.get(JOURNAL, params={"na": na, **({"inhoud": 1} if inhoud else {})}).json()

    def access_log(self, na: int = 0) -> list[dict]:
        """What the party refused on a caller's certificate (a TLS chain), oldest first."""
        response = self.get(TOEGANG, params={"na": na})
        response.raise_for_status()
        return response.json()

    # ------------------------------------------------------- faults, restart

    def arm_fault(self, storing: dict | list[dict]) -> dict:
        """Arm one fault (or a list); the answer lists every fault armed here."""
        response = self.put(STORING, json=storing)
        if response.status_code != 201:
            raise ChainError(f"{self.name} nam de storing {storing} niet aan: HTTP {response.status_code} "
                             f"{response.text[:300]}")
        return response.json()

    def clear_faults(self, pad: str | None = None) -> int:
        """Clear the faults (only those on ``pad``, when given); returns how many."""
        if pad is None:
            response = self.delete(STORING)
            if response.status_code != 200:
                raise ChainError(f"{self.name} hief zijn storingen niet op: {response.text[:300]}")
            return response.json()["opgeheven"]
        gone = 0
        for storing in self.faults()["storingen"]:
            if storing["pad"] == pad:  # 404: used up meanwhile, which is as good
                gone += self.delete(f"{STORING}/{storing['id']}").status_code == 200
        return gone

    def faults(self) -> dict:
        """The faults armed here and what they did (``voorvallen``)."""
        return self.get(STORING).json()

    def restart(self) -> dict:
        """Restart in place; the answer says which tasks the party found open."""
        response = self.post(HERSTART, timeout=self.timeout + 30)
        if response.status_code != 200:
            raise ChainError(f"{self.name} startte niet opnieuw op: HTTP {response.status_code} "
                             f"{response.text[:300]}")
        return response.json()

    def set_courier_timeout(self, seconds: float) -> None:
        """How long the party waits for its neighbours, until the next reset."""
        response = self.put(COURIER, json={"timeout": seconds})
        if response.status_code != 200:
            raise ChainError(f"{self.name} nam de time-out {seconds} s niet aan: {response.text[:300]}")


class StufPartyDriver(PartyDriver):
    """A party that receives StUF messages from its neighbour (the GGk, RINIS)."""

    INGANG = "/stuf/"
    SENDER: ClassVar[str]
    """The neighbour whose StUF messages come in here: whom the harness plays when it sends."""

    def send_stuf(self, body: bytes, action: str, **tls) -> requests.Response:
        """POST one SOAP message with this SOAPAction, as the neighbour would (``tls``: on a
        TLS chain, ``cert`` to show another certificate than the neighbour's)."""
        return self.post(STUF_ONTVANG, data=body, headers={"Content-Type": CONTENT_TYPE,
                                                           "SOAPAction": f'"{action}"'}, als=self.SENDER, **tls)


def _reden(exc: Exception) -> str:
    """Why a connection failed, in one phrase (requests nests the cause several levels deep)."""
    tekst = str(exc)
    for sleutel, reden in (("Connection refused", "verbinding geweigerd"),
                           ("RemoteDisconnected", "verbinding verbroken zonder antwoord"),
                           ("Connection aborted", "verbinding verbroken"),
                           ("IncompleteRead", "antwoord halverwege afgebroken"),
                           ("Name or service not known", "onbekende hostnaam")):
        if sleutel in tekst:
            return reden
    return tekst[:200]
