"""CBS's technical check of a delivered GMSD file: the rule catalogue and the verdict.

This package owns what CBS decides about one file as RINIS hands it over (the
gemeentecode appended to the name): each rule of :data:`RULES` gives a
:class:`Bevinding`, and together they make the :class:`Oordeel` that the technical
report prints. It does no I/O and knows no other party: it keeps its own copy of the
columns and code lists of ``docs/bestanden.md`` instead of importing the gemeente's
generator, because CBS and the gemeente's software must be able to disagree.
``docs/controles.md`` lists the catalogue with example messages.

The real check was not published; each module says where the simulator chooses.
A ``.zip`` is not opened here: the caller (``simulators.cbs.zip_safety``) unpacks it and
hands in one CSV file at a time, or, when it refuses the ZIP, hands the reason to
:func:`check_zip`, whose Oordeel is rule TC00 alone.

Modules, each importing only those listed before it:

* :mod:`.kolommen` — the columns and code lists per soort;
* :mod:`.oordeel` — Bevinding and Oordeel, what the check hands back;
* :mod:`.waarden` — whether a value is a date, a moment, a BSN;
* :mod:`.bestandsnaam` — the file name convention (TC01);
* :mod:`.inlezen` — the bytes read into an Aanlevering;
* :mod:`.meldingen` — a rule's Uitkomst and the wording of its message;
* :mod:`.regels_bestand`, :mod:`.regels_velden` — the rules' tests, TC00–TC06 and TC07–TC18;
* :mod:`.catalogus` — Regel, :data:`RULES` and :func:`catalogus`.
"""

from __future__ import annotations

from .bestandsnaam import parse_bestandsnaam
from .catalogus import RULES, Catalogusregel, Regel, catalogus
from .inlezen import Aanlevering, SboToets, read_aanlevering
from .kolommen import (
    JEUGD_HEADER,
    KOLOMMEN,
    KOPREGELS,
    ONBEKEND,
    SBO_HEADER,
    SOORTEN,
    WMO_HEADER,
    ZIP,
    Kolom,
)
from .meldingen import Uitkomst
from .oordeel import FOUT, MAX_REGELS, WAARSCHUWING, Bevinding, Oordeel
from .waarden import bsn_valid


def check_file(
    bestandsnaam: str,
    inhoud: bytes,
    gemeentecode: str,
    verslagperiodes: set[str] | None = None,
    *,
    vrije_tekst_sbo_jeugd: bool = False,
    sbo: SboToets | None = None,
) -> Oordeel:
    """CBS's technical check of one file as received from RINIS.

    ``bestandsnaam`` carries the gemeentecode RINIS appended; ``verslagperiodes``
    holds the codes uitvraag that may be delivered now (current and previous period);
    without it the period is not checked. ``vrije_tekst_sbo_jeugd`` allows free text
    after the code uitvraag in SBO and JEUGD names; ``sbo`` is what CBS knows of the gemeente
    for the SBO threshold (TC18). Each rule that applies to the
    file's soort gives one Bevinding, in catalogue order.
    """
    aanlevering = read_aanlevering(
        bestandsnaam, inhoud, gemeentecode, verslagperiodes, vrije_tekst_sbo_jeugd, sbo
    )
    bevindingen = tuple(regel.pas_toe(aanlevering) for regel in RULES if regel.geldt_voor(aanlevering.soort))
    return Oordeel(bestandsnaam=bestandsnaam, bevindingen=bevindingen)


def check_zip(bestandsnaam: str, weigering: str) -> Oordeel:
    """CBS's verdict on a delivered ZIP it refused to unpack: TC00, with ``weigering`` (the
    Dutch reason ``simulators.cbs.zip_safety`` gave) as its message.

    A ZIP that is unpacked gets no Oordeel of its own: each CSV in it gets
    :func:`check_file`. An empty ``weigering`` gives TC00 voldaan.
    """
    aanlevering = Aanlevering(
        bestandsnaam=bestandsnaam,
        inhoud=b"",
        gemeentecode="",
        verslagperiodes=None,
        naam=None,
        naamfout="",
        soort=ZIP,
        records=(),
        zipweigering=weigering,
    )
    bevindingen = tuple(regel.pas_toe(aanlevering) for regel in RULES if regel.geldt_voor(ZIP))
    return Oordeel(bestandsnaam=bestandsnaam, bevindingen=bevindingen)


__all__ = [
    "FOUT",
    "JEUGD_HEADER",
    "KOLOMMEN",
    "KOPREGELS",
    "MAX_REGELS",
    "ONBEKEND",
    "RULES",
    "SBO_HEADER",
    "SOORTEN",
    "WAARSCHUWING",
    "WMO_HEADER",
    "ZIP",
    "Aanlevering",
    "Bevinding",
    "Catalogusregel",
    "Kolom",
    "Oordeel",
    "Regel",
    "SboToets",
    "Uitkomst",
    "bsn_valid",
    "catalogus",
    "check_file",
    "check_zip",
    "parse_bestandsnaam",
]
