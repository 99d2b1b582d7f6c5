"""Reading a delivered file's bytes into an Aanlevering, once for all rules.

This module owns how CBS turns a name and bytes into rows: the decoding, the CSV
records with their line numbers, and which rows the field rules may read.

Where the simulator chooses (the real check was not published):

* only UTF-8 is accepted (TC03), with or without a BOM; the other rules read a byte
  that is no UTF-8 as Windows-1252 (the usual cause), so a Windows export is reported
  once, by TC03, and not again by TC04 for its header "Reden beëindiging";
* line numbers are physical lines counted from 1, the header being line 1; blank
  lines at the very end of a file are ignored, blank lines in between are rows;
* quotes follow the csv module's lenient default (``"x"y`` reads as ``xy``);
* :attr:`Aanlevering.rijen` holds only rows with as many fields as the header, and
  none when TC04 rejects the header (see :mod:`.regels_velden`).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from functools import cached_property
from itertools import count
from operator import itemgetter

from .bestandsnaam import read_bestandsnaam, soort_from_prefix
from .kolommen import KOLOMMEN, KOPREGELS, SEPARATOR


@dataclass(frozen=True)
class Aanlevering:
    """One delivered file and what CBS knows about it, read once for all rules."""

    bestandsnaam: str
    inhoud: bytes
    gemeentecode: str
    verslagperiodes: frozenset[str] | None
    naam: dict | None
    naamfout: str
    soort: str
    records: tuple[tuple[int, tuple[str, ...]], ...]
    csv_fout: str = ""
    csv_fout_regel: int = 0
    kop: tuple[str, ...] = ()
    """The specified header when the file has it (TC04 passes), else empty."""
    rijen: tuple[tuple[int, tuple[str, ...]], ...] = ()
    """The data rows the field rules read: those with as many fields as :attr:`kop`."""
    zipweigering: str = ""
    """Why CBS refused to unpack this ZIP (soort ZIP, TC00), in Dutch; else empty."""
    sbo: SboToets | None = None
    """What CBS knows of the gemeente for the SBO threshold (TC18); None: nothing known."""

    @cached_property
    def regelnummers(self) -> tuple[int, ...]:
        return tuple(map(itemgetter(0), self.rijen))

    @cached_property
    def _waarden(self) -> dict[str, tuple[str, ...]]:
        if not self.rijen:
            return {}
        return dict(zip(self.kop, zip(*map(itemgetter(1), self.rijen), strict=True), strict=True))

    @cached_property
    def _verschillend(self) -> dict[str, frozenset[str]]:
        return {naam: frozenset(waarden) for naam, waarden in self._waarden.items()}

    def kolom(self, naam: str) -> tuple[str, ...]:
        """The values of column ``naam`` in :attr:`rijen` order (empty without rows)."""
        return self._waarden.get(naam, ())

    def verschillend(self, naam: str) -> frozenset[str]:
        """The distinct values of column ``naam``: rules judge each value once."""
        return self._verschillend.get(naam, frozenset())

    @cached_property
    def max_lengte(self) -> dict[str, int]:
        return {kolom.naam: kolom.max_lengte for kolom in KOLOMMEN.get(self.soort, ())}


@dataclass(frozen=True)
class SboToets:
    """What the SBO threshold (TC18) reads: the gemeente's inhabitants on 1 January of the
    reference year (None: not in CBS's table), whether it reports Iv3 to CBS, the threshold."""

    inwoners: int | None
    iv3: bool = False
    drempel: int = 20_000


def read_aanlevering(
    bestandsnaam: str,
    inhoud: bytes,
    gemeentecode: str,
    verslagperiodes: set[str] | None,
    vrije_tekst_sbo_jeugd: bool = False,
    sbo: SboToets | None = None,
) -> Aanlevering:
    """The file as every rule reads it: its name's parts, its records, its data rows."""
    naam, naamfout = read_bestandsnaam(bestandsnaam, gemeentecode, vrije_tekst_sbo_jeugd)
    soort = naam["soort"] if naam else soort_from_prefix(bestandsnaam)
    tekst = inhoud.decode("utf-8-sig", errors=_ALS_WINDOWS_1252)
    records, csv_fout, csv_fout_regel = _read_records(tekst)
    kop: tuple[str, ...] = ()
    rijen: tuple[tuple[int, tuple[str, ...]], ...] = ()
    verwacht = KOPREGELS.get(soort)
    if verwacht and not csv_fout and records and kopregel(records) == verwacht:
        kop = verwacht
        rijen = records[1:]
        if set(map(len, map(itemgetter(1), rijen))) - {len(kop)}:
            rijen = tuple(record for record in rijen if len(record[1]) == len(kop))
    return Aanlevering(
        bestandsnaam=bestandsnaam,
        inhoud=inhoud,
        gemeentecode=gemeentecode,
        verslagperiodes=None if verslagperiodes is None else frozenset(verslagperiodes),
        naam=naam,
        naamfout=naamfout,
        soort=soort,
        records=records,
        csv_fout=csv_fout,
        csv_fout_regel=csv_fout_regel,
        kop=kop,
        rijen=rijen,
        sbo=sbo,
    )


def _as_windows_1252(fout: UnicodeError) -> tuple[str, int]:
    """Read bytes that are no UTF-8 as Windows-1252, their usual cause (TC03 reports them)."""
    if not isinstance(fout, UnicodeDecodeError):
        raise fout
    return fout.object[fout.start : fout.end].decode("cp1252", errors="replace"), fout.end


_ALS_WINDOWS_1252 = "cbs-als-windows-1252"
codecs.register_error(_ALS_WINDOWS_1252, _as_windows_1252)


def _read_records(tekst: str) -> tuple[tuple[tuple[int, tuple[str, ...]], ...], str, int]:
    """(line number, fields) per record; trailing blank lines dropped; a CSV error if any."""
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=SEPARATOR)
    records: list[tuple[int, tuple[str, ...]]] = []
    try:
        if '"' not in tekst and tekst.count("\r") == tekst.count("\r\n"):
            records = list(zip(count(1), map(tuple, reader)))  # a record is a line: 3x faster
        else:
            eerste_regel = 1
            for velden in reader:
                records.append((eerste_regel, tuple(velden)))
                eerste_regel = reader.line_num + 1
    except csv.Error as fout:
        return tuple(records), f"regel {reader.line_num}: {fout}", reader.line_num
    while records and not records[-1][1]:
        records.pop()
    return tuple(records), "", 0


def kopregel(records: tuple[tuple[int, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """The first record's names without surrounding spaces, as TC04 compares them."""
    return tuple(veld.strip() for veld in records[0][1])
