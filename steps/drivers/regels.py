"""What the rule scenarios (``steps/regels.py``) ask of a party beyond the party drivers:
a download fetched as a named person, CBS's table of inhabitants. Every path lives here,
as in the other drivers; each function takes the party's driver."""

from __future__ import annotations

from .base import ChainError
from .cbs import CbsDriver
from .ggk import GgkDriver

INWONERS = "/_beheer/inwoners"


def download_as(ggk: GgkDriver, gemeentecode: str, download_id: int, gebruiker: str) -> bytes:
    """One file of the download area, fetched through the web service by ``gebruiker`` (the GGk
    writes who fetched it in its audit log)."""
    response = ggk.get(f"/api/v1/gemeenten/{gemeentecode}/downloads/{download_id}",
                       params={"gebruiker": gebruiker})
    response.raise_for_status()
    return response.content


def optins(ggk: GgkDriver, gemeentecode: str) -> list[dict]:
    """What the gemeente submitted at the GGk (opt-ins and withdrawals), oldest first."""
    response = ggk.get(f"/api/v1/gemeenten/{gemeentecode}/optin")
    response.raise_for_status()
    return response.json()


def set_inwoners(cbs: CbsDriver, inwoners: dict[str, int] | None = None, iv3: list[str] | None = None) -> dict:
    """Tell the CBS simulator the inhabitants of these gemeenten on 1 January 2016 and who
    reports Iv3 (what its SBO threshold reads); kept until the next reset."""
    response = cbs.put(INWONERS, json={"inwoners": inwoners or {}, "iv3": iv3 or []})
    if response.status_code != 200:
        raise ChainError(f"het CBS nam de inwonertallen niet aan: HTTP {response.status_code} "
                         f"{response.text[:300]}")
    return response.json()
