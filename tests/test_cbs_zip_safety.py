"""CBS opens a delivered ZIP without trusting it: each hostile ZIP is refused with its Dutch
reason, in bounded time and memory, and a refused ZIP gives one report, TC00 afgekeurd.

Hostile ZIPs are built here by hand: with zipfile where it can write them, else byte by
byte (:func:`_ruwe_zip`), as zipfile refuses to write a NUL in a name, an encrypted flag
without encrypting, or two directory records for one entry.
"""

from __future__ import annotations

import io
import json
import random
import stat
import struct
import time
import tracemalloc
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime

import pytest

from simulators.cbs import leveringen as lv
from simulators.cbs import zip_safety
from simulators.cbs.backend import Cbs
from simulators.cbs.zip_safety import MIB, Limits, UnsafeZipError, unpack
from simulators.gmsd import generator, metagegevens

AANGEMAAKT = datetime(2016, 8, 15, 10, 15)
GIB = 2**30


def _zip(*entries: tuple[str | zipfile.ZipInfo, bytes], methode: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about a duplicate name
        with zipfile.ZipFile(buffer, "w", methode) as archive:
            for naam, data in entries:
                archive.writestr(naam, data)
    return buffer.getvalue()


def _info(naam: str, **velden) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(naam, date_time=(2016, 8, 15, 10, 15, 0))
    for veld, waarde in velden.items():
        setattr(info, veld, waarde)
    return info


@dataclass
class Ruw:
    """One entry as its bytes go in the ZIP: the name, the data as stored, and the header
    fields, which may lie (``grootte`` unpacked, ``ingepakt`` the data's declared length)."""

    naam: bytes
    data: bytes
    methode: int = zipfile.ZIP_STORED
    vlaggen: int = 0
    crc: int | None = None
    grootte: int | None = None
    ingepakt: int | None = None
    extern: int = 0


def _ruwe_zip(entries: list[Ruw], extra_records: tuple[tuple[bytes, int], ...] = (),
              voor: bytes = b"") -> bytes:
    """The ZIP of ``entries``, byte by byte, with one central record per entry and one per
    ``(name, index)`` in ``extra_records`` pointing at entry ``index``'s local header."""
    uit = bytearray(voor)
    records = []
    for entry in entries:
        crc = zlib.crc32(entry.data) if entry.crc is None else entry.crc
        grootte = len(entry.data) if entry.grootte is None else entry.grootte
        ingepakt = len(entry.data) if entry.ingepakt is None else entry.ingepakt
        velden = (entry.vlaggen, entry.methode, 0, 33, crc, ingepakt, grootte)
        records.append((entry.naam, velden, entry.extern, len(uit) - len(voor)))
        uit += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *velden, len(entry.naam), 0)
        uit += entry.naam + entry.data
    for naam, index in extra_records:
        _, velden, extern, offset = records[index]
        records.append((naam, velden, extern, offset))
    begin = len(uit) - len(voor)
    for naam, velden, extern, offset in records:
        uit += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *velden, len(naam), 0, 0, 0, 0,
                           extern, offset)
        uit += naam
    grootte = len(uit) - len(voor) - begin
    uit += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(records), len(records), grootte, begin, 0)
    return bytes(uit)


def _nullen_deflate(mib: int) -> bytes:
    """A raw deflate stream that unpacks to ``mib`` MiB of zero bytes, in about mib KB:
    after a full flush each MiB compresses to the same bytes, so one is repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    blok = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return blok * mib + compressor.flush()


def _geweigerd(inhoud: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(UnsafeZipError) as refused:
        unpack(inhoud, limits)
    return refused.value.reason


@pytest.fixture
def gelezen(monkeypatch) -> list[int]:
    """The length of every block zipfile hands out while CBS unpacks (ZipExtFile.read)."""
    blokken: list[int] = []
    read = zipfile.ZipExtFile.read

    def tellend(self, n=-1):
        data = read(self, n)
        blokken.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", tellend)
    return blokken


WMO = generator.generate("WMO", "0363", 2016, 1, AANGEMAAKT, rows=25)
SBO = generator.generate("SBO", "0363", 2016, 1, AANGEMAAKT)
JEUGD = generator.generate("JEUGD", "0363", 2016, 1, AANGEMAAKT)


# --- normal ZIPs pass ---------------------------------------------------------------


def test_unpack_gemeente_zip_gives_every_csv_in_order():
    inhoud = generator.zip_bestanden(
        [("WMO_H12016_regulier.csv", WMO), ("SBO_H12016.csv", SBO), ("JEUGD_H12016.TXT", JEUGD)], AANGEMAAKT)
    assert unpack(inhoud) == [
        ("WMO_H12016_regulier.csv", WMO), ("SBO_H12016.csv", SBO), ("JEUGD_H12016.TXT", JEUGD)]


def test_unpack_large_wmo_file_is_no_bomb():
    groot = generator.generate("WMO", "0363", 2016, 1, AANGEMAAKT, rows=20_000)
    assert len(groot) > Limits().ratio_from, "the ratio must be judged for this file"
    inhoud = generator.zip_bestanden([("WMO_H12016_groot.csv", groot)], AANGEMAAKT)
    assert unpack(inhoud) == [("WMO_H12016_groot.csv", groot)]


def test_unpack_folders_other_files_small_repetitive_file_and_stored_pass():
    herhaald = b"a;b\r\n" * 20_000  # compresses ~400-fold, but is only 100 KB
    inhoud = _zip(("map/", b""), ("map/WMO_H12016.csv", WMO), ("leesmij.pdf", b"%PDF-1.4"),
                  ("SBO_H12016.csv", herhaald), methode=zipfile.ZIP_STORED)
    assert [naam for naam, _ in unpack(inhoud)] == ["map/WMO_H12016.csv", "SBO_H12016.csv"]
    inhoud = _zip(("map/WMO_H12016.csv", WMO), ("SBO_H12016.csv", herhaald))
    assert unpack(inhoud)[1] == ("SBO_H12016.csv", herhaald)


def test_unpack_data_descriptors_and_leading_bytes_are_no_overlap():
    class Stroom(io.RawIOBase):  # not seekable: zipfile writes a data descriptor per entry
        def __init__(self):
            self.buffer = bytearray()

        def writable(self):
            return True

        def write(self, data):
            self.buffer += data
            return len(data)

    stroom = Stroom()
    with zipfile.ZipFile(stroom, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("WMO_H12016.csv", WMO)
        archive.writestr("SBO_H12016.csv", SBO)
    inhoud = bytes(stroom.buffer)
    assert zipfile.ZipFile(io.BytesIO(inhoud)).infolist()[0].flag_bits & 0x08
    assert [data for _, data in unpack(inhoud)] == [WMO, SBO]
    zelfuitpakkend = _ruwe_zip([Ruw(b"WMO_H12016.csv", WMO)], voor=b"MZ" + bytes(500))
    assert unpack(zelfuitpakkend) == [("WMO_H12016.csv", WMO)]


# --- hostile ZIPs are refused, each with its reason ---------------------------------

SYMLINK = (stat.S_IFLNK | 0o777) << 16
GEWEIGERD = {
    "onleesbaar": (b"PK\x03\x04 geen zip", "geen leesbaar ZIP-bestand"),
    "leeg": (b"", "geen leesbaar ZIP-bestand"),
    "te-veel-bestanden": (_zip(*((f"{n}.csv", b"x") for n in range(101))), "meer dan 100 bestanden"),
    "absoluut-unix": (_zip(("/etc/WMO_H12016.csv", WMO)),
                      '"/etc/WMO_H12016.csv" in het ZIP-bestand heeft een absoluut pad'),
    "absoluut-backslash": (_zip(("\\WMO_H12016.csv", WMO)), "absoluut pad"),
    "absoluut-windows": (_zip(("C:\\gmsd\\WMO_H12016.csv", WMO)), "absoluut pad"),
    "absoluut-station": (_zip(("c:WMO_H12016.csv", WMO)), "absoluut pad"),
    "traversal": (_zip(("../WMO_H12016.csv", WMO)),
                  '"../WMO_H12016.csv" in het ZIP-bestand verwijst met .. buiten'),
    "traversal-diep": (_zip(("map/../../WMO_H12016.csv", WMO)), "verwijst met .. buiten"),
    "traversal-backslash": (_zip(("map\\..\\..\\WMO_H12016.csv", WMO)), "verwijst met .. buiten"),
    "symlink": (_zip((_info("WMO_H12016.csv", external_attr=SYMLINK, create_system=3), b"/etc/passwd")),
                '"WMO_H12016.csv" in het ZIP-bestand is een symbolische koppeling (symlink)'),
    "dubbele-naam": (_zip(("WMO_H12016.csv", WMO), ("WMO_H12016.csv", WMO)),
                     '"WMO_H12016.csv" komt meer dan eens voor in het ZIP-bestand'),
    "dubbele-naam-andere-map-en-case": (_zip(("a/WMO_H12016.csv", WMO), ("b/wmo_h12016.CSV", WMO)),
                                        "komt meer dan eens voor"),
    "versleuteld": (_ruwe_zip([Ruw(b"WMO_H12016.csv", WMO, vlaggen=0x1)]),
                    '"WMO_H12016.csv" in het ZIP-bestand is versleuteld'),
    "sterk-versleuteld": (_ruwe_zip([Ruw(b"WMO_H12016.csv", WMO, vlaggen=0x41)]), "is versleuteld"),
    "deflate64": (_ruwe_zip([Ruw(b"WMO_H12016.csv", WMO, methode=9)]), "(methode 9); gebruik deflate"),
    "nulteken": (_ruwe_zip([Ruw(b"WMO_H12016.csv\x00.exe", WMO)]),
                 'de naam "WMO_H12016.csv?.exe" in het ZIP-bestand bevat een nulteken'),
    "zip-in-zip-naam": (_zip(("WMO_H12016.csv", WMO), ("binnen.ZIP", _zip(("SBO_H12016.csv", SBO)))),
                        '"binnen.ZIP" in het ZIP-bestand is zelf een ZIP-bestand; CBS pakt geen ZIP in een '
                        "ZIP uit"),
    "zip-in-zip-inhoud": (_zip(("WMO_H12016.csv", _zip(("SBO_H12016.csv", SBO)))),
                          '"WMO_H12016.csv" in het ZIP-bestand is zelf een ZIP-bestand'),
    "geen-csv": (_zip(("leesmij.pdf", b"%PDF-1.4"), ("map/", b"")), "bevat geen .csv- of .txt-bestand"),
    "crc-fout": (_ruwe_zip([Ruw(b"WMO_H12016.csv", WMO, crc=1)]),
                 '"WMO_H12016.csv" in het ZIP-bestand is beschadigd en kan niet worden uitgepakt'),
    "verhouding-per-bestand": (_zip(("WMO_H12016.csv", bytes(2 * MIB))),
                               '"WMO_H12016.csv" in het ZIP-bestand wordt bij uitpakken'),
}


@pytest.mark.parametrize(("inhoud", "reden"), GEWEIGERD.values(), ids=GEWEIGERD.keys())
def test_unpack_hostile_zip_refused_with_its_reason(inhoud, reden):
    assert reden in _geweigerd(inhoud)


def test_unpack_ratio_message_names_ratio_and_limit():
    reden = _geweigerd(_zip(("WMO_H12016.csv", bytes(2 * MIB))))
    assert "keer zo groot (ten hoogste 100 toegestaan; kenmerk van een zip-bom)" in reden


def test_unpack_total_ratio_of_small_entries_refused():
    # each entry stays under the size from which its own ratio counts; together they do not
    inhoud = _zip(*((f"WMO_H12016_{n}.csv", bytes(MIB - 1)) for n in range(4)))
    reden = _geweigerd(inhoud)
    assert reden.startswith("het ZIP-bestand wordt bij uitpakken") and "zip-bom" in reden


def test_unpack_total_size_limit_refused_and_configurable():
    inhoud = _zip(*((f"WMO_H12016_{n}.csv", random.Random(n).randbytes(MIB // 2)) for n in range(3)))
    assert len(unpack(inhoud)) == 3
    reden = _geweigerd(inhoud, Limits(max_unpacked=MIB))
    assert reden == "uitgepakt zou het ZIP-bestand 1,5 MiB worden (ten hoogste 1,0 MiB toegestaan)"


def test_unpack_entry_limit_configurable():
    inhoud = _zip(*((f"WMO_H12016_{n}.csv", WMO) for n in range(4)))
    assert len(unpack(inhoud, Limits(max_files=4))) == 4
    assert _geweigerd(inhoud, Limits(max_files=3)) == "het ZIP-bestand bevat meer dan 3 bestanden"


def test_limits_from_party_options():
    assert Limits.from_options({}) == Limits(100, 200 * MIB, 100, MIB)
    opties = {"zip_max_bestanden": "5", "zip_max_uitgepakt": "1024", "zip_max_verhouding": "10",
              "zip_verhouding_vanaf": 0}
    assert Limits.from_options(opties) == Limits(5, 1024, 10.0, 0)


# --- overlapping entries (the "better zip bomb") --------------------------------------


def test_unpack_two_records_sharing_one_entry_refused():
    inhoud = _ruwe_zip([Ruw(b"WMO_H12016.csv", WMO)], extra_records=((b"SBO_H12016.csv", 0),))
    reden = _geweigerd(inhoud)
    assert reden == ('de gegevens van "SBO_H12016.csv" en "WMO_H12016.csv" in het ZIP-bestand '
                     "overlappen (kenmerk van een zip-bom)")


def test_unpack_entry_whose_data_covers_the_next_entry_refused(gelezen):
    # A small version of Fifield's overlap: A's declared data runs over B's header and data.
    b_lokaal = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 33, zlib.crc32(SBO), len(SBO),
                           len(SBO), len(b"SBO_H12016.csv"), 0) + b"SBO_H12016.csv" + SBO
    a_data = WMO + b_lokaal
    inhoud = _ruwe_zip([Ruw(b"WMO_H12016.csv", a_data)])
    begin_b = 30 + len(b"WMO_H12016.csv") + len(WMO)
    inhoud = _met_extra_record(inhoud, b"SBO_H12016.csv", SBO, begin_b)
    assert "overlappen (kenmerk van een zip-bom)" in _geweigerd(inhoud)
    assert gelezen == [], "refused before anything was unpacked"


def test_unpack_data_running_into_the_directory_refused():
    inhoud = _ruwe_zip([Ruw(b"WMO_H12016.csv", WMO, ingepakt=len(WMO) + 100)])
    assert "lopen door in de inhoudsopgave" in _geweigerd(inhoud)


def _met_extra_record(inhoud: bytes, naam: bytes, data: bytes, offset: int) -> bytes:
    """``inhoud`` with one more central record: ``naam`` (stored ``data``) at ``offset``."""
    eocd = inhoud.rindex(b"PK\x05\x06")
    aantal, grootte, begin = struct.unpack_from("<H2L", inhoud, eocd + 10)
    record = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 33, zlib.crc32(data), len(data),
                         len(data), len(naam), 0, 0, 0, 0, 0, offset) + naam
    eind = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, aantal + 1, aantal + 1, grootte + len(record),
                       begin, 0)
    return inhoud[:eocd] + record + eind


# --- bounded time and memory --------------------------------------------------------


def _bom(mib: int, *, opgegeven: int | None = None) -> bytes:
    """A ZIP with one entry of ``mib`` MiB of zeros (about ``mib`` KB), declaring ``opgegeven``."""
    data = _nullen_deflate(mib)
    grootte = mib * MIB if opgegeven is None else opgegeven
    return _ruwe_zip([Ruw(b"WMO_H12016.csv", data, methode=zipfile.ZIP_DEFLATED, crc=0, grootte=grootte)])


def test_unpack_gigabyte_bomb_refused_fast_without_unpacking(gelezen):
    bom = _bom(1024)
    assert len(bom) < 1.1 * MIB
    begin = time.perf_counter()
    reden = _geweigerd(bom)
    assert time.perf_counter() - begin < 1
    assert "keer zo groot (ten hoogste 100 toegestaan; kenmerk van een zip-bom)" in reden
    assert gelezen == [], "decided on the declared sizes: not one byte unpacked"


def test_unpack_bomb_lying_about_its_size_stops_at_the_declared_size(gelezen):
    bom = _bom(1024, opgegeven=1000)  # declares 1000 bytes, would unpack to 1 GiB
    tracemalloc.start()
    begin = time.perf_counter()
    try:
        reden = _geweigerd(bom)
        piek = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - begin < 1
    assert "is beschadigd en kan niet worden uitgepakt" in reden
    assert sum(gelezen) <= 1000
    assert piek < 16 * MIB, f"peak {piek / MIB:.1f} MiB"


def test_unpack_stream_stops_one_block_past_the_limit(monkeypatch, gelezen):
    # Were the declared sizes not judged (or judged wrong), the counted reading still stops.
    monkeypatch.setattr(zip_safety, "_check_sizes", lambda *args: None)
    reden = _geweigerd(_bom(64), Limits(max_unpacked=4 * MIB))
    assert "wordt bij uitpakken groter dan opgegeven" in reden
    assert sum(gelezen) <= 4 * MIB + zip_safety.BLOCK


def test_unpack_huge_table_of_contents_refused_before_parsing(monkeypatch):
    entries = [Ruw(f"{n}.csv".encode(), b"") for n in range(20_000)]
    inhoud = _ruwe_zip(entries)

    def niet_openen(*args, **kwargs):
        raise AssertionError("zipfile must not parse a table of contents this long")

    monkeypatch.setattr(zip_safety.zipfile, "ZipFile", niet_openen)
    assert _geweigerd(inhoud) == "het ZIP-bestand bevat meer dan 100 bestanden"


# --- at CBS: a refused ZIP is one report, afgekeurd, and never a failed task -----------

ZIPNAAM = "GMSD_H12016_0363.zip"


def _aanlevering(cbs: Cbs, inhoud: bytes, csvs: tuple[str, ...]) -> int:
    meta = metagegevens.Metagegevens(
        referentienummerBestand="f3c0a3a4-2b1e-4c8e-9a57-3f1b2c4d5e6f", bestandsnaam="GMSD_H12016.zip",
        bestandsnaamEnvelop="GMSD_H12016.zip", gemeentecode="0363", gebruiker="henk",
        tijdstipUpload=AANGEMAAKT,
        ggkReferenties=tuple((naam, f"20160815-090000-{n:03d}") for n, naam in enumerate(csvs, 1)))
    with cbs.store.transaction() as db:
        return db.execute(
            "INSERT INTO aanleveringen (map, rinis_id, bestandsnaam, gemeentecode, inhoud, metagegevens,"
            " ontvangen) VALUES (?,?,?,?,?,?,?)",
            ("RGMSD001", 1, ZIPNAAM, "0363", inhoud, metagegevens.to_xml(meta),
             AANGEMAAKT.isoformat())).lastrowid


def _controleer(cbs: Cbs, aanlevering_id: int) -> list[dict]:
    geplaatst: list[dict] = []
    cbs.tasks.handlers["rapport_plaatsen"] = geplaatst.append  # there is no RINIS here
    cbs.tasks.add("controleren", {"aanlevering_id": aanlevering_id})
    cbs.start()
    assert cbs.tasks.wait_idle(20)
    assert cbs.tasks.alarms() == [], "no task failed"
    assert [t["status"] for t in cbs.tasks.listing() if t["soort"] == "controleren"] == ["klaar"]
    return geplaatst


@pytest.mark.parametrize("inhoud", [
    pytest.param(_bom(1024), id="bomb"),
    pytest.param(_zip(("../WMO_H12016_regulier.csv", WMO)), id="traversal"),
    pytest.param(b"PK\x03\x04 geen zip", id="unreadable"),
])
def test_cbs_refused_zip_one_afgekeurd_report_no_failed_task(make_party, inhoud):
    cbs = make_party(Cbs, {"verslagperiodes": ["H12016"]})
    geplaatst = _controleer(cbs, _aanlevering(cbs, inhoud, ("WMO_H12016_regulier.csv",)))
    [rapport] = cbs.store.query("SELECT * FROM rapporten")
    assert (rapport["soort"], rapport["bestand"], rapport["oordeel"]) == ("TECHNISCH", ZIPNAAM, "afgekeurd")
    [bevinding] = json.loads(rapport["bevindingen"])
    assert (bevinding["regel"], bevinding["geslaagd"]) == ("TC00", False)
    assert bevinding["melding"].startswith("Het ZIP-bestand is afgekeurd: ")
    assert rapport["ggk_referentie"] == "20160815-090000-001"
    assert rapport["naam"] == "CBS_TECHNISCH_0363_ONBEKEND_20160815-090000-001.pdf"
    assert geplaatst == [{"rapport_id": rapport["id"]}], "the report goes out to the gemeente"
    [levering] = cbs.store.query("SELECT soort, periode, status, inhoud FROM leveringen")
    assert (levering["soort"], levering["status"]) == ("ONBEKEND", lv.AFGEKEURD)
    assert bytes(levering["inhoud"]) == b"", "nothing of a refused ZIP is stored again"


def test_cbs_gemeente_zip_one_goedgekeurd_report_per_csv(make_party):
    namen = ("WMO_H12016_regulier.csv", "SBO_H12016.csv")
    inhoud = generator.zip_bestanden(list(zip(namen, (WMO, SBO), strict=True)), AANGEMAAKT)
    cbs = make_party(Cbs, {"verslagperiodes": ["H12016"], "oporde_direct": False})
    _controleer(cbs, _aanlevering(cbs, inhoud, namen))
    rapporten = cbs.store.query("SELECT bestand, oordeel, ggk_referentie FROM rapporten ORDER BY id")
    assert [tuple(r) for r in rapporten] == [
        ("WMO_H12016_regulier_0363.csv", "goedgekeurd", "20160815-090000-001"),
        ("SBO_H12016_0363.csv", "goedgekeurd", "20160815-090000-002")]


def test_cbs_zip_limits_from_options(make_party):
    cbs = make_party(Cbs, {"zip_max_bestanden": 1})
    assert cbs.zip_limits.max_files == 1
    inhoud = _zip(("WMO_H12016_regulier.csv", WMO), ("SBO_H12016.csv", SBO))
    _controleer(cbs, _aanlevering(cbs, inhoud, ("WMO_H12016_regulier.csv", "SBO_H12016.csv")))
    [rapport] = cbs.store.query("SELECT bevindingen FROM rapporten")
    assert "meer dan 1 bestanden" in json.loads(rapport["bevindingen"])[0]["melding"]
