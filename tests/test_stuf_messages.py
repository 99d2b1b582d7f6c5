"""StUF 03.01 / GGk 0210 messages: the official examples, building, reading, validating,
safe parsing, and the StUF timestamps of the simulated clock."""

from __future__ import annotations

import base64
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree

from simulators import stuf
from simulators.clock import SimulatedClock
from simulators.stuf.model import GGK_NS, STUF_NS

VOORBEELDEN = (Path(__file__).resolve().parent.parent / "simulators" / "schemas" / "stuf"
               / "ggk0210" / "voorbeeldberichten")
NS = {"StUF": STUF_NS, "GGK": GGK_NS}
PAYLOAD = "Gemeente;Periode\r\n0363;H12016\r\nCafé;ß\r\n".encode()
VERSIES = stuf.Versies("0004", "0003", "0002", "0002")


def _stuurgegevens(clock: SimulatedClock, berichtcode: str = "Di01",
                   **changes) -> stuf.Stuurgegevens:
    fields = {
        "berichtcode": berichtcode,
        "zender": stuf.Systeem("0363", "GGKWebservice", "Amsterdam"),
        "ontvanger": stuf.Systeem("CBS", "GGk"),
        "referentienummer": stuf.new_referentienummer(),
        "tijdstipBericht": clock.stuf_tijdstip(),
        "functie": "GMSD-AANLEVERING",
    }
    if berichtcode == "Du01":
        fields |= {"zender": stuf.Systeem("CBS", "CBS-GMSD"),
                   "ontvanger": stuf.Systeem("0363", "GGk"),
                   "crossRefnummer": stuf.new_referentienummer(),
                   "functie": "GMSD-RAPPORT"}
    return stuf.Stuurgegevens(**(fields | changes))


def _envelop(clock: SimulatedClock, berichtcode: str = "Di01",
             bestand: stuf.Bestand | None = None) -> stuf.Envelop:
    return stuf.Envelop(_stuurgegevens(clock, berichtcode),
                        bestand or stuf.Bestand(PAYLOAD, "WMO_H12016_regulier_0363.csv"), VERSIES)


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


# ------------------------------------------------------------- official examples


@pytest.mark.parametrize("naam", [
    "envelopHeenbericht-ggk_Di01_v21-tekst.xml",
    "envelopHeenbericht-ggk_Di01_v21-xml.xml",
    "envelopRetourbericht-ggk_Du01-v21.xml",
    "Fo01.xml",
])
def test_official_example_message_valid(naam):
    element = stuf.parse_xml((VOORBEELDEN / naam).read_bytes())
    assert stuf.schema_errors(element) == [], f"official example {naam} should validate"


def test_official_examples_all_covered():
    found = sorted(p.name for p in VOORBEELDEN.glob("*.xml"))
    assert len(found) == 4, f"expected the four official example messages, found {found}"


# --------------------------------------------------------------- envelopes Di01/Du01


@pytest.mark.parametrize("berichtcode", ["Di01", "Du01"])
def test_build_envelop_valid(clock, berichtcode):
    element = stuf.build_envelop(_envelop(clock, berichtcode))
    assert stuf.schema_errors(element) == [], f"a built {berichtcode} should validate"


@pytest.mark.parametrize("berichtcode", ["Di01", "Du01"])
def test_envelop_wrap_unwrap_round_trip_identical(clock, berichtcode):
    envelop = _envelop(clock, berichtcode)
    soap = stuf.wrap(stuf.build_envelop(envelop))
    message = stuf.unwrap(soap)
    back = stuf.read_envelop(message)
    assert back.stuurgegevens == envelop.stuurgegevens, "stuurgegevens changed in the round trip"
    assert back.bestand.inhoud == PAYLOAD, "payload bytes changed in the round trip"
    assert back.bestand.bestandsnaam == envelop.bestand.bestandsnaam, "bestandsnaam changed"
    assert back.versies == VERSIES, "versions changed in the round trip"
    assert back == envelop, "the envelope read back differs from the one built"


@pytest.mark.parametrize("berichtcode", ["Di01", "Du01"])
def test_envelop_payload_base64_in_tekstbestand_with_bestandsnaam(clock, berichtcode):
    message = stuf.unwrap(stuf.wrap(stuf.build_envelop(_envelop(clock, berichtcode))))
    nodes = message.findall("GGK:parameters/GGK:bericht/*", NS)
    assert [n.tag for n in nodes] == [f"{{{GGK_NS}}}tekstBestand"], "one tekstBestand expected"
    node = nodes[0]
    assert node.get("bestandsnaam") == "WMO_H12016_regulier_0363.csv", "bestandsnaam attribute"
    assert base64.b64decode(node.text, validate=True) == PAYLOAD, "tekstBestand is not base64"


def test_envelop_xmlbestand_round_trip_without_name(clock):
    envelop = _envelop(clock, bestand=stuf.Bestand(b"<meta/>"))
    element = stuf.build_envelop(envelop)
    assert stuf.schema_errors(element) == [], "a Di01 with xmlBestand should validate"
    assert element.find("GGK:parameters/GGK:bericht/GGK:xmlBestand", NS) is not None
    back = stuf.read_envelop(stuf.unwrap(stuf.wrap(element)))
    assert back.bestand == stuf.Bestand(b"<meta/>", None), "xmlBestand payload changed"
    assert not back.bestand.is_tekst, "an xmlBestand has no bestandsnaam"


def test_build_envelop_other_berichtcode_refused(clock):
    with pytest.raises(ValueError, match="Di01 or Du01"):
        stuf.build_envelop(stuf.Envelop(_stuurgegevens(clock, "Lk01"), stuf.Bestand(b"x", "x.csv")))


# ----------------------------------------------------------------- Bv03, Fo01, Fo03


def _answer_sg(clock: SimulatedClock, berichtcode: str, cross: str) -> stuf.Stuurgegevens:
    return stuf.Stuurgegevens(berichtcode, stuf.Systeem("CBS", "GGk"),
                              stuf.Systeem("0363", "GGKWebservice"), stuf.new_referentienummer(),
                              clock.stuf_tijdstip(), crossRefnummer=cross)


def test_build_bv03_valid_and_read_back(clock):
    sg = _answer_sg(clock, "Bv03", stuf.new_referentienummer())
    element = stuf.build_antwoord("Bv03", sg)
    assert element.tag == f"{{{STUF_NS}}}Bv03Bericht"
    assert stuf.schema_errors(element) == [], "a built Bv03 should validate"
    antwoord = stuf.read_antwoord(stuf.unwrap(stuf.wrap(element)))
    assert antwoord.bevestigd, "a Bv03 reads as bevestigd"
    assert antwoord.fout is None, "a Bv03 has no foutbericht"
    assert antwoord.stuurgegevens == sg, "Bv03 stuurgegevens changed in the round trip"


@pytest.mark.parametrize("berichtcode,plek", [("Fo01", "client"), ("Fo03", "server")])
def test_build_fout_valid_and_read_back_code_plek_omschrijving(clock, berichtcode, plek):
    sg = _answer_sg(clock, berichtcode, stuf.new_referentienummer())
    fout = stuf.Foutbericht("StUF058", plek, "Proces voor afhandelen bericht geeft fout",
                            details="GMSD-AANLEVERING-04030202")
    element = stuf.build_antwoord(berichtcode, sg, fout)
    assert element.tag == f"{{{STUF_NS}}}{berichtcode}Bericht"
    assert stuf.schema_errors(element) == [], f"a built {berichtcode} should validate"
    antwoord = stuf.read_antwoord(stuf.unwrap(stuf.wrap(element)))
    assert not antwoord.bevestigd, f"a {berichtcode} is not a confirmation"
    assert (antwoord.fout.code, antwoord.fout.plek, antwoord.fout.omschrijving) == (
        "StUF058", plek, "Proces voor afhandelen bericht geeft fout"), "code/plek/omschrijving"
    assert antwoord.fout.details == "GMSD-AANLEVERING-04030202", "details lost"
    assert antwoord.stuurgegevens == sg, f"{berichtcode} stuurgegevens changed in the round trip"


def test_build_fo01_with_detailsxml_carries_original_message(clock):
    envelop = _envelop(clock)
    original = stuf.build_envelop(envelop)
    fout = stuf.Foutbericht("StUF055", "client",
                            "Berichtbody is niet conform schema in sectormodel",
                            details="GMSD-AANLEVERING-04030202", detailsXML=stuf.to_bytes(original))
    fo01 = stuf.build_antwoord(
        "Fo01", _answer_sg(clock, "Fo01", envelop.stuurgegevens.referentienummer), fout)
    assert stuf.schema_errors(fo01) == [], "a Fo01 with detailsXML should validate"
    inside = fo01.find("StUF:body/StUF:detailsXML", NS)
    assert len(inside) == 1, "detailsXML should hold exactly the original message"
    assert inside[0].tag == original.tag, "detailsXML should hold the Di01 envelope"
    antwoord = stuf.read_antwoord(stuf.unwrap(stuf.wrap(fo01)))
    carried = stuf.read_envelop(stuf.parse_xml(antwoord.fout.detailsXML))
    assert carried == envelop, "the original message read from detailsXML differs"


def test_build_fout_without_foutbericht_refused(clock):
    with pytest.raises(ValueError, match="foutbericht"):
        stuf.build_antwoord("Fo03", _answer_sg(clock, "Fo03", stuf.new_referentienummer()))


# ----------------------------------------------------------- malformed envelopes


def _set_text(path: str, value: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        root.find(path, NS).text = value
    return mutate


def _set_bestandsnaam(value: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        root.find("GGK:parameters/GGK:bericht/GGK:tekstBestand", NS).set("bestandsnaam", value)
    return mutate


def _remove(path: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        node = root.find(path, NS)
        node.getparent().remove(node)
    return mutate


def _add_xmlbestand(root: etree._Element) -> None:
    bericht = root.find("GGK:parameters/GGK:bericht", NS)
    etree.SubElement(bericht, f"{{{GGK_NS}}}xmlBestand").text = "PG1ldGEvPg=="


MALFORMED = [
    pytest.param("Di01",
                 lambda rf: _set_text("GGK:stuurgegevens/StUF:referentienummer", rf.upper()),
                 "referentienummer", id="referentienummer-upper-case"),
    pytest.param("Di01", lambda rf: _set_text("GGK:stuurgegevens/StUF:referentienummer",
                                              "9c0f7b90-5c69-11e5-a837-0800200c9a66"),
                 "referentienummer", id="referentienummer-uuid-v1"),
    pytest.param("Di01", lambda rf: _set_bestandsnaam("WMO H12016.csv"), "bestandsnaam",
                 id="bestandsnaam-with-space"),
    pytest.param("Di01", lambda rf: _set_bestandsnaam("a.c"), "bestandsnaam",
                 id="bestandsnaam-shorter-than-4"),
    pytest.param("Di01", lambda rf: _remove("GGK:stuurgegevens/StUF:functie"), "functie",
                 id="functie-missing"),
    pytest.param("Du01", lambda rf: _remove("GGK:stuurgegevens/StUF:crossRefnummer"),
                 "crossRefnummer", id="du01-without-crossrefnummer"),
    pytest.param("Di01", lambda rf: _set_text("GGK:parameters/GGK:applicatieVersie", "4"),
                 "applicatieVersie", id="versienr-not-4-digits"),
    pytest.param("Di01", lambda rf: _add_xmlbestand, "xmlBestand",
                 id="tekstbestand-and-xmlbestand"),
]


@pytest.mark.parametrize("berichtcode,mutation,named", MALFORMED)
def test_require_valid_malformed_envelop_stuf055_naming_problem(clock, berichtcode, mutation,
                                                                named):
    envelop = _envelop(clock, berichtcode)
    element = _copy(stuf.build_envelop(envelop))
    stuf.require_valid(element)  # the starting point is valid: only the mutation breaks it
    mutation(envelop.stuurgegevens.referentienummer)(element)
    with pytest.raises(stuf.StufError) as caught:
        stuf.require_valid(element)
    fout = caught.value.foutbericht
    assert caught.value.code == "StUF055", f"expected StUF055, got {caught.value.code}"
    assert named in fout.omschrijving, (
        f"the Fo03 omschrijving should name {named!r}, got {fout.omschrijving!r}")
    assert len(fout.omschrijving) <= 200, "omschrijving longer than the schema's 200"
    assert named in (fout.details or ""), f"the details should name {named!r}"


def test_require_valid_reason_fits_in_valid_fo03(clock):
    element = _copy(stuf.build_envelop(_envelop(clock)))
    _remove("GGK:stuurgegevens/StUF:functie")(element)
    with pytest.raises(stuf.StufError) as caught:
        stuf.require_valid(element)
    fo03 = stuf.build_antwoord("Fo03", _answer_sg(clock, "Fo03", "x"), caught.value.foutbericht)
    assert stuf.schema_errors(fo03) == [], "the refusal should fit in a valid Fo03"


# ---------------------------------------------------------------- safe parsing

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<x>&e;</x>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd">
<x/>"""
UTF16_DOCTYPE = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "y">]><x>&e;</x>'


@pytest.mark.parametrize("data", [
    pytest.param(XXE, id="external-entity"),
    pytest.param(LAUGHS, id="billion-laughs"),
    pytest.param(EXTERNAL_DTD, id="external-dtd"),
    pytest.param(UTF16_DOCTYPE.encode("utf-16"), id="doctype-in-utf16"),
])
def test_parse_xml_doctype_refused_unsafe(data):
    with pytest.raises(stuf.UnsafeXmlError):
        stuf.parse_xml(data)


@pytest.mark.parametrize("data", [b"dit is geen XML", b"", b"<a><b></a>", b"\x89PNG\r\n\x1a\n"])
def test_parse_xml_not_xml_refused(data):
    with pytest.raises(stuf.NotXmlError):
        stuf.parse_xml(data)


def test_unwrap_doctype_in_soap_refused_unsafe(clock):
    soap = stuf.wrap(stuf.build_envelop(_envelop(clock)))
    declaration, rest = soap.split(b"?>", 1)
    with pytest.raises(stuf.UnsafeXmlError):
        stuf.unwrap(declaration + b'?><!DOCTYPE soap:Envelope [<!ENTITY e "y">]>' + rest)


def test_unwrap_soap_fault_gives_fo03(clock):
    fo03 = stuf.build_antwoord("Fo03", _answer_sg(clock, "Fo03", stuf.new_referentienummer()),
                               stuf.Foutbericht("StUF010", "client", "onbekend"))
    message = stuf.unwrap(stuf.wrap_fault(fo03, "onbekend"))
    assert message.tag == f"{{{STUF_NS}}}Fo03Bericht", "unwrap should return the Fo03 in detail"


# ------------------------------------------------------------------------ clock


def test_stuf_tijdstip_frozen_clock_strictly_increasing_17_digits(clock):
    values = [clock.stuf_tijdstip() for _ in range(50)]
    assert all(len(v) == 17 and v.isdigit() for v in values), f"not 17 digits: {values[:3]}"
    assert all(a < b for a, b in pairwise(values)), "not strictly increasing"
    assert values[0] == "20160815090000000", f"the first value is the clock's start: {values[0]}"
    assert all(v.startswith("20160815090000") for v in values), "left the frozen second"


def test_fault_code_follows_plek():
    from lxml import etree as _etree

    from simulators.stuf import wrap_fault
    for plek, expected in (("client", "soap:Client"), ("server", "soap:Server")):
        fo03 = _etree.Element("{http://www.egem.nl/StUF/StUF0301}Fo03Bericht")
        envelope = _etree.fromstring(wrap_fault(fo03, "tekst", plek))
        assert envelope.findtext(".//faultcode") == expected, plek
