"""Opening a delivered ZIP at CBS without trusting it: refuse before unpacking, in memory.

This module owns how CBS unpacks a ZIP that RINIS handed over (GGk and RINIS pass it on
unopened): :func:`unpack` gives the name and bytes of every CSV/TXT inside, or raises
:class:`UnsafeZipError` with a Dutch reason, which the technical report prints under rule
TC00 (``docs/controles.md``). It reads bytes and writes nothing: a refused ZIP is never
unpacked, a passed one only into memory.

What is judged, in this order, before a single byte is decompressed:

* the number of entries, counted in the central directory without parsing it (zipfile
  spends 1.7 s and ~150 MB on a table of contents of 300,000 entries, a 29 MB ZIP);
* whether zipfile can read the table of contents at all;
* per entry: a name with a NUL, an absolute path (``/x``, ``\\x``, ``C:x``) or a ``..``
  step; a symbolic link (Unix mode bits S_IFLNK in ``external_attr``); encryption; a
  compression method zipfile cannot unpack; a name that occurs twice (entries read by
  their name without folder, in any case, as CBS files them); a ZIP inside the ZIP
  (by name ``.zip``, or by its first bytes once read): refused, never opened;
* overlapping entries (the "better zip bomb"): each entry's local header and data must lie
  in a range of its own before the central directory. Python 3.11.7's zipfile notices
  some overlap only when an entry is opened, and in English; this check needs no opening;
* the sizes the table of contents declares: per entry and in total, the ratio of
  unpacked to packed size, and the unpacked total;
* whether there is a CSV/TXT at all (GGk refuses such a ZIP at upload; CBS says so too,
  so that every delivery gets a report).

Then each CSV/TXT is read in blocks of :data:`BLOCK` bytes, counting: more bytes than
declared, or than the total allows, stops the reading at once (zipfile cuts an entry at
its declared size and then fails its CRC, so a lying size ends as "beschadigd").
"""

from __future__ import annotations

import io
import lzma
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from .check.meldingen import shorten

__all__ = ["BLOCK", "MIB", "Limits", "UnsafeZipError", "unpack"]

MIB = 2**20
BLOCK = MIB
"""An entry is unpacked in blocks of this many bytes, each counted before the next."""

CSV_EXTENSIES = (".csv", ".txt")

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_CENTRAAL = b"PK\x01\x02"
_LOKAAL = b"PK\x03\x04"
_ZIP_BEGIN = (_LOKAAL, _EOCD, b"PK\x07\x08")
"""How a ZIP (or a spanned or empty one) begins: an entry with these first bytes is a ZIP."""

_METHODEN = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
_VERSLEUTELD = 0x1 | 0x40  # flag bit 0: encrypted; bit 6: strong encryption
_STATION = re.compile(r"[A-Za-z]:")
_STUURTEKEN = re.compile(r"[\x00-\x1f\x7f]")

_ONLEESBAAR = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    ValueError,  # UnicodeDecodeError among them: a name flagged UTF-8 that is not
    EOFError,
    OSError,
    struct.error,
    zlib.error,
    lzma.LZMAError,
)
"""What zipfile raises on bytes that are no sound ZIP: all mean unreadable or damaged."""


class UnsafeZipError(Exception):
    """CBS refuses this ZIP; ``reason`` says why in Dutch, for the technical report (TC00).

    Not a ValueError: zipfile's own ValueErrors mean "unreadable" and are caught as such."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """How far CBS goes in unpacking a ZIP; each limit is a CBS party option (``zip_…``)."""

    max_files: int = 100
    """At most this many entries (folders and skipped files included): ``zip_max_bestanden``."""
    max_unpacked: int = 200 * MIB
    """At most this many unpacked bytes, all entries together: ``zip_max_uitgepakt``."""
    max_ratio: float = 100
    """An entry, or the ZIP as a whole, may grow at most this many times: ``zip_max_verhouding``."""
    ratio_from: int = MIB
    """The ratio is judged from this many unpacked bytes on (``zip_verhouding_vanaf``): a small
    file of repeated text compresses a thousandfold and harms no one."""

    @classmethod
    def from_options(cls, opties: Mapping[str, object]) -> Limits:
        """The limits from a CBS party's options, the defaults where an option is absent."""
        standaard = cls()
        return cls(
            max_files=int(opties.get("zip_max_bestanden", standaard.max_files)),
            max_unpacked=int(opties.get("zip_max_uitgepakt", standaard.max_unpacked)),
            max_ratio=float(opties.get("zip_max_verhouding", standaard.max_ratio)),
            ratio_from=int(opties.get("zip_verhouding_vanaf", standaard.ratio_from)),
        )


def unpack(inhoud: bytes, limits: Limits | None = None) -> list[tuple[str, bytes]]:
    """(name as stored, bytes) of each CSV/TXT in the ZIP ``inhoud``, in the ZIP's order.

    Folders and other files are skipped unopened. Raises :class:`UnsafeZipError` with a
    Dutch reason when the ZIP is unreadable, hostile, too large or holds no CSV/TXT.
    """
    limits = limits or Limits()
    if _directory_count(inhoud, limits.max_files) > limits.max_files:
        raise UnsafeZipError(f"het ZIP-bestand bevat meer dan {limits.max_files} bestanden")
    try:
        archive = zipfile.ZipFile(io.BytesIO(inhoud))
    except _ONLEESBAAR:
        raise UnsafeZipError("het bestand is geen leesbaar ZIP-bestand") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_files:
            raise UnsafeZipError(f"het ZIP-bestand bevat meer dan {limits.max_files} bestanden")
        _check_names(entries)
        _check_overlap(inhoud, entries, archive.start_dir)
        _check_sizes(entries, len(inhoud), limits)
        gewenst = [info for info in entries if not info.is_dir() and _is_csv(info.filename)]
        if not gewenst:
            raise UnsafeZipError("het ZIP-bestand bevat geen .csv- of .txt-bestand")
        bestanden, totaal = [], 0
        for info in gewenst:
            data = _read_entry(archive, info, limits.max_unpacked - totaal)
            totaal += len(data)
            bestanden.append((info.filename, data))
    return bestanden


def _is_csv(naam: str) -> bool:
    return naam.lower().endswith(CSV_EXTENSIES)


def _shown(naam: str) -> str:
    """A name as a reason quotes it: cut short, control characters (a NUL) shown as ``?``."""
    return '"' + _STUURTEKEN.sub("?", shorten(naam)) + '"'


# ------------------------------------------------------------------ the table of contents


def _directory_count(inhoud: bytes, maximum: int) -> int:
    """How many records the central directory holds, counted to ``maximum`` + 1 at most.

    Walks the records by their lengths, as zipfile finds them (the directory ends where
    the end record, or the ZIP64 end record, begins) but without building a ZipInfo per
    record. 0 when there is no end record: zipfile then refuses the bytes itself."""
    eocd = inhoud.rfind(_EOCD, max(0, len(inhoud) - 22 - 0xFFFF))
    if eocd < 0 or eocd + 22 > len(inhoud):
        return 0
    (grootte,) = struct.unpack_from("<I", inhoud, eocd + 12)
    einde = eocd
    record = eocd - 20 - 56
    if record >= 0 and inhoud[eocd - 20 : eocd - 16] == _ZIP64_LOCATOR and (
        inhoud[record : record + 4] == _ZIP64_EOCD
    ):
        (grootte,) = struct.unpack_from("<Q", inhoud, record + 40)
        einde = record
    positie, aantal = max(0, einde - grootte), 0
    while aantal <= maximum and positie + 46 <= einde and inhoud[positie : positie + 4] == _CENTRAAL:
        naam, extra, commentaar = struct.unpack_from("<3H", inhoud, positie + 28)
        positie += 46 + naam + extra + commentaar
        aantal += 1
    return aantal


def _check_names(entries: list[zipfile.ZipInfo]) -> None:
    gezien: set[str] = set()
    for info in entries:
        naam = info.orig_filename  # zipfile cuts the name at a NUL; the original keeps it
        getoond = _shown(naam)
        if "\0" in naam:
            raise UnsafeZipError(f"de naam {getoond} in het ZIP-bestand bevat een nulteken")
        if naam.startswith(("/", "\\")) or _STATION.match(naam):
            raise UnsafeZipError(f"{getoond} in het ZIP-bestand heeft een absoluut pad")
        if ".." in re.split(r"[\\/]", naam):
            raise UnsafeZipError(f"{getoond} in het ZIP-bestand verwijst met .. buiten het ZIP-bestand")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeZipError(f"{getoond} in het ZIP-bestand is een symbolische koppeling (symlink)")
        if info.flag_bits & _VERSLEUTELD:
            raise UnsafeZipError(
                f"{getoond} in het ZIP-bestand is versleuteld; CBS pakt geen versleutelde bestanden uit"
            )
        if info.compress_type not in _METHODEN:
            raise UnsafeZipError(
                f"{getoond} in het ZIP-bestand is ingepakt met een methode die CBS niet kan uitpakken "
                f"(methode {info.compress_type}); gebruik deflate"
            )
        if naam.lower().endswith(".zip"):
            raise UnsafeZipError(
                f"{getoond} in het ZIP-bestand is zelf een ZIP-bestand; CBS pakt geen ZIP in een ZIP uit"
            )
        sleutel = (naam if info.is_dir() else naam.rsplit("/", 1)[-1]).casefold()
        if sleutel in gezien:
            raise UnsafeZipError(f"{getoond} komt meer dan eens voor in het ZIP-bestand")
        gezien.add(sleutel)


def _check_overlap(inhoud: bytes, entries: list[zipfile.ZipInfo], centrale_map: int) -> None:
    """Each entry's local header and data lie in a range of their own, before the directory."""
    bereiken = []
    for info in entries:
        begin = info.header_offset
        if begin < 0 or begin + 30 > len(inhoud) or inhoud[begin : begin + 4] != _LOKAAL:
            raise UnsafeZipError(f"{_shown(info.filename)} in het ZIP-bestand is beschadigd")
        naam, extra = struct.unpack_from("<2H", inhoud, begin + 26)
        bereiken.append((begin, begin + 30 + naam + extra + info.compress_size, info.filename))
    bereiken.sort()
    for (_, einde, naam), (begin, _, volgende) in zip(bereiken, bereiken[1:], strict=False):
        if begin < einde:
            raise UnsafeZipError(
                f"de gegevens van {_shown(naam)} en {_shown(volgende)} in het ZIP-bestand "
                "overlappen (kenmerk van een zip-bom)"
            )
    if bereiken and bereiken[-1][1] > centrale_map:
        raise UnsafeZipError(
            f"de gegevens van {_shown(bereiken[-1][2])} lopen door in de inhoudsopgave van het "
            "ZIP-bestand (kenmerk van een zip-bom)"
        )


def _check_sizes(entries: list[zipfile.ZipInfo], ingepakt: int, limits: Limits) -> None:
    """The declared sizes: per entry and in total, the ratio and the unpacked total."""
    for info in entries:
        verhouding = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.ratio_from and verhouding > limits.max_ratio:
            raise UnsafeZipError(
                f"{_shown(info.filename)} in het ZIP-bestand wordt bij uitpakken {verhouding:.0f} keer "
                f"zo groot (ten hoogste {limits.max_ratio:g} toegestaan; kenmerk van een zip-bom)"
            )
    totaal = sum(info.file_size for info in entries)
    if totaal > limits.max_unpacked:
        raise UnsafeZipError(
            f"uitgepakt zou het ZIP-bestand {_mib(totaal)} worden (ten hoogste "
            f"{_mib(limits.max_unpacked)} toegestaan)"
        )
    verhouding = totaal / max(ingepakt, 1)
    if totaal >= limits.ratio_from and verhouding > limits.max_ratio:
        raise UnsafeZipError(
            f"het ZIP-bestand wordt bij uitpakken {verhouding:.0f} keer zo groot (ten hoogste "
            f"{limits.max_ratio:g} toegestaan; kenmerk van een zip-bom)"
        )


def _mib(aantal: int) -> str:
    return f"{aantal / MIB:.1f} MiB".replace(".", ",")


# ------------------------------------------------------------------------------ reading


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ruimte: int) -> bytes:
    """The entry's bytes, read in blocks and counted: never more than declared or ``ruimte``."""
    getoond = _shown(info.filename)
    delen: list[bytes] = []
    gelezen = 0
    try:
        with archive.open(info) as bestand:
            while deel := bestand.read(BLOCK):
                if not delen and deel.startswith(_ZIP_BEGIN):
                    raise UnsafeZipError(
                        f"{getoond} in het ZIP-bestand is zelf een ZIP-bestand; CBS pakt geen ZIP "
                        "in een ZIP uit"
                    )
                gelezen += len(deel)
                if gelezen > info.file_size or gelezen > ruimte:
                    raise UnsafeZipError(
                        f"{getoond} in het ZIP-bestand wordt bij uitpakken groter dan opgegeven "
                        "(kenmerk van een zip-bom)"
                    )
                delen.append(deel)
    except _ONLEESBAAR:
        raise UnsafeZipError(
            f"{getoond} in het ZIP-bestand is beschadigd en kan niet worden uitgepakt"
        ) from None
    return b"".join(delen)
