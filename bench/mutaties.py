"""Break one rule at a time in a copy of the project and run only the scenarios of that rule:
every deliberate break (a *mutant*) must turn at least one of them red (be *killed*).

Each mutant is the kind of mistake a developer makes (a ``>`` for ``>=``, calendar days for
working days, a forgotten check, a typo in a timeline), made by replacing one piece of text
in one file of a copy of the source (``git archive HEAD``, or the working files with
``--werkboom``). It names the rule it breaks (the ids of docs/regels.md), the suite and the
scenarios that show that rule; only those run, so one mutant takes seconds. A mutant that
survives means a scenario to strengthen.

Run from the repository root::

    .venv/bin/python bench/mutaties.py [--alleen M01,M07] [--werkboom] [--json PATH] [--controle]

``--json PATH`` writes ``{"mutanten": [{"id", "regel", "gedood", "rood": [scenario's], ...}]}``;
``--controle`` first runs each mutant's scenarios on the unbroken copy (they must be green, so
a red one proves the mutant, not a flaky scenario); ``--lijst`` prints the mutants. Exit code 0
when every mutant was killed (and, with ``--controle``, every selection was green unbroken).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEATURES_TEST = "tests/test_features.py"
FAILED = re.compile(r"^(?:FAILED|ERROR) tests/test_features\.py::(.*?)(?: - .*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Mutant:
    id: str
    regel: str          # the rule it breaks (docs/regels.md)
    wat: str            # the mistake, in Dutch
    pad: str            # the file it breaks
    oud: str            # the text replaced (its first occurrence)
    nieuw: str
    suite: str          # the suite marker the scenarios are in
    scenarios: tuple[str, ...]  # pieces of the scenario (test) names that show the rule


def m(id_: str, regel: str, wat: str, pad: str, oud: str, nieuw: str, suite: str, *scenarios: str) -> Mutant:
    return Mutant(id_, regel, wat, pad, oud, nieuw, suite, tuple(s.lower() for s in scenarios))


MUTANTEN: tuple[Mutant, ...] = (
    # --- periods, calendar, timelines
    m("M01", "R-PER-10", "de werkdagenkalender kent geen feestdagen", "simulators/kalender.py",
      "return dag.weekday() < 5 and dag not in _feestdagen(dag.year, self.regel)", "return dag.weekday() < 5",
      "pilot", "hemelvaart", "koningsdag"),
    m("M02", "R-AANL-02", "het CBS telt de vertraging van het technisch rapport een werkdag te ruim",
      "simulators/cbs/backend.py",
      "dag = tijdlijn.kalender.plus_werkdagen(ontvangen, tijdlijn.sla.technisch_rapport_vertraging)",
      "dag = tijdlijn.kalender.plus_werkdagen(ontvangen, tijdlijn.sla.technisch_rapport_vertraging + 1)",
      "pilot", "derde_werkdag_na_hemelvaartsdag", "binnen_3_werkdagen"),
    m("M03", "R-AANL-04",
      "het op-orde rapport telt zijn werkdagen vanaf de upload in plaats van de goedkeuring",
      "simulators/cbs/backend.py", "goedgekeurd = technisch or ontvangen", "goedgekeurd = ontvangen",
      "pilot", "goedkeuring"),
    m("M04", "R-PER-06", "het CBS vergeet de datum van spiegelrapport I in de tijdlijn",
      "simulators/cbs/backend.py", "if dates is None or dates.spiegelrapport_1 is None:", "if True:",
      "pilot", "3_oktober", "16_september"),
    m("M05", "R-AANL-06", "het CBS plant spiegelrapport II niet op de datum van de tijdlijn",
      "simulators/cbs/backend.py", "            if periode.spiegelrapport_2:", "            if False:",
      "pilot", "7_november"),
    m("M06", "R-PER-05", "het GGk markeert een aanlevering na de tussentijdse deadline niet als te laat",
      "simulators/ggk/uploads.py", "                late = True", "                late = False",
      "pilot", "na_de_tussentijdse_deadline", "levert_te_laat_aan"),
    m("M07", "R-PER-05", "de correctiedeadline telt niet mee (> wordt >=)", "simulators/ggk/uploads.py",
      "if periode.laat_tot and today > periode.laat_tot:",
      "if periode.laat_tot and today >= periode.laat_tot:",
      "pilot", "op_de_correctiedeadline", "laatste_dag_van_het_gepubliceerde"),
    m("M08", "R-PER-02", "zonder openingsdatum in de tijdlijn is de aanlevering altijd open",
      "simulators/tijdlijn.py",
      'object.__setattr__(self, "levering_open", eerste_na_periode(self.code))', "pass",
      "pilot", "laatste_dag_van_de_verslagperiode"),
    m("M09", "R-PER-02", "de aanlevering opent een dag te laat (de tweede van de maand)",
      "simulators/tijdlijn.py",
      "else date(jaar + 1, 1, 1)", "else date(jaar + 1, 1, 2)",
      "pilot", "eerste_van_de_maand_na_de_verslagperiode"),
    m("M10", "R-PER-08", "het GGk kent de burentestweken niet", "simulators/ggk/uploads.py",
      "if periode.in_burentest(today):", "if False:", "pilot", "burentestweken"),
    m("M11", "R-PER-08", "de burentest loopt door tot de opening", "fixtures/timelines/pilot-2017.toml",
      "burentest_sluit = 2017-01-20", "burentest_sluit = 2017-01-31", "pilot", "na_de_burentestweken"),
    m("M12", "R-PER-09", "pilot fase II kent de vorige periode niet (tikfout in de tijdlijn)",
      "fixtures/timelines/pilot-fase-2-2018.toml", 'code = "H12017"', 'code = "H12018"',
      "pilot", "vorige_periode_h1_2017"),
    m("M13", "R-PER-07", "het gepubliceerde venster sluit een dag te vroeg (tikfout in de tijdlijn)",
      "fixtures/timelines/h1-2016-gepubliceerd.toml", "levering_sluit = 2016-09-30",
      "levering_sluit = 2016-09-29", "pilot", "laatste_dag_van_het_gepubliceerde"),
    m("M14", "R-PER-01", "de vorige periode is het vorige jaar in plaats van het vorige halfjaar",
      "simulators/gmsd/periodes.py",
      "return code_uitvraag(op.year, 1), code_uitvraag(op.year - 1, 2)",
      "return code_uitvraag(op.year, 1), code_uitvraag(op.year - 1, 1)",
      "ketentest", "h22015"),
    m("M15", "R-PER-03", "het GGk plant geen mail bij de opening van de aanlevering",
      "simulators/ggk/mail.py",
      "        if periode.levering_open:\n", "        if False:\n", "pilot",
      "mailt_het_ggk_dat_de_aanlevering"),
    m("M16", "R-PER-04", "een herinnering vóór een deadline telt kalenderdagen", "simulators/ggk/mail.py",
      "            dag_ = werkdagen_voor(kalender, deadline, werkdagen)",
      "            dag_ = deadline - timedelta(days=werkdagen)", "pilot", "vóór_de_tussentijdse_deadline"),
    # --- opt-in, withdrawal, reminders
    m("M17", "R-OPTIN-05", "het opt-in-verzoek gaat ook naar wie geen op-orde rapport heeft",
      "simulators/ggk/mail.py", "if has_oporde(db, c, periode)]", "if True]", "pilot", "op_9_november"),
    m("M18", "R-OPTIN-09", "de herinnering vóór de opt-in-deadline gaat ook naar wie al besloot",
      "simulators/ggk/mail.py", "if has_oporde(db, c, periode) and not _has_decided(db, c, periode)]",
      "if has_oporde(db, c, periode)]", "pilot", "opt-in_al_gaf", "optin_al_gaf"),
    m("M19", "R-OPTIN-09", "de herinnering vóór de opt-in-deadline telt kalenderdagen",
      "simulators/ggk/mail.py",
      "dag_ = werkdagen_voor(kalender, periode.optin_deadline, werkdagen)",
      "dag_ = periode.optin_deadline - timedelta(days=werkdagen)", "pilot", "koningsdag"),
    m("M20", "R-OPTIN-13", "geen herinnering voordat het intrekken sluit", "simulators/ggk/mail.py",
      "        if periode.intrekken_sluit:\n", "        if False:\n", "pilot", "voordat_het_intrekken_sluit"),
    m("M21", "R-OPTIN-03", "een opt-in zonder op-orde rapport wordt aangenomen", "simulators/ggk/optin.py",
      "if not has_oporde(db, gemeentecode, periode):", "if False:", "pilot", "zonder_oporde_rapport"),
    m("M22", "R-OPTIN-04", "de opt-in-deadline telt zelf niet mee (> wordt >=)", "simulators/ggk/optin.py",
      "if tot and today > tot:", "if tot and today >= tot:", "pilot", "één_formulier"),
    m("M23", "R-OPTIN-06", "het GGk zet geen kopregel in de opt-in-CSV", "simulators/ggk/optin.py",
      "rows = [KOLOMMEN] + [", "rows = [", "pilot", "één_formulier"),
    m("M24", "R-OPTIN-10", "het GGk vergeet de begindatum van het intrekvenster", "simulators/ggk/optin.py",
      "else (found.intrekken_open, found.intrekken_sluit))", "else (None, found.intrekken_sluit))",
      "pilot", "vóór_het_intrekvenster"),
    m("M25", "R-OPTIN-11", "een gemeente die haar levering delegeerde kan toch intrekken",
      "simulators/ggk/optin.py", "        if verband is not None:\n            raise IntrekkingRefused(",
      "        if False:\n            raise IntrekkingRefused(", "pilot", "delegeerde"),
    m("M26", "R-OPTIN-12", "het portaal trekt al in bij de eerste stap, vóór de bevestiging",
      "simulators/ggk/portaal/backend.py",
      "        self.sessions.set_pending(sessie, wacht)\n        return True",
      "        self.sessions.set_pending(sessie, wacht)\n"
      '        self.intrekken_bevestigen(sessie, True, Origin("portaal", "stap 1"))\n        return True',
      "portaal", "pas_na_bevestiging"),
    m("M27", "R-OPTIN-07", "het CBS aanvaardt een besluit zonder handtekening",
      "simulators/gmsd/ondertekening.py",
      "    if xml is None:\n        raise SignatureError(", "    if False:\n        raise SignatureError(",
      "portaal", "zonder handtekening"),
    # --- files and the technical check
    m("M28", "R-BEST-10", "type maatwerkarrangement 18 ontbreekt in de codelijst (range tot 18)",
      "simulators/cbs/check/kolommen.py",
      'PRODUCTCATEGORIEEN = frozenset(f"{code:02d}" for code in range(1, 19))',
      'PRODUCTCATEGORIEEN = frozenset(f"{code:02d}" for code in range(1, 18))', "ketentest",
      "maatwerkarrangement"),
    m("M29", "R-BEST-12", "de SBO-drempel laat 20.000 inwoners nog toe (>= wordt >)",
      "simulators/cbs/check/regels_velden.py", "toets.inwoners >= toets.drempel",
      "toets.inwoners > toets.drempel",
      "ketentest", "sbobestand_van_een_gemeente_met"),
    m("M30", "R-BEST-12", "de SBO-drempel vergeet de Iv3-levering", "simulators/cbs/check/regels_velden.py",
      "    if toets.iv3:\n", "    if False:\n", "ketentest", "iv3informatie"),
    m("M31", "R-BEST-08", "de 11-proef weegt het laatste cijfer met +1 in plaats van -1",
      "simulators/cbs/check/waarden.py", "som -= b[8] + 48 * 43", "som += b[8] - 48 * 45",
      "ketentest", "verbeterd_en_opnieuw"),
    m("M32", "R-BEST-09", "BSN staat als facultatief in de kolommen", "simulators/cbs/check/kolommen.py",
      "Kolom(BSN, True, 9),", "Kolom(BSN, False, 9),", "ketentest", "verplicht-veld-leeg"),
    m("M33", "R-BEST-03", "een SBO-naam mag vrije tekst hebben (alleen JEUGD wordt getoetst)",
      "simulators/cbs/check/bestandsnaam.py", 'if soort != "WMO" and not vrije_tekst_sbo_jeugd:',
      'if soort == "JEUGD" and not vrije_tekst_sbo_jeugd:', "ketentest", "sbo_h12016_extra"),
    m("M34", "R-BEST-04", "de tekens ] en [ mogen in de bestandsnaam", "simulators/cbs/check/bestandsnaam.py",
      "VERBODEN_TEKENS = ':\\\\/?;*\"><|]['", "VERBODEN_TEKENS = ':\\\\/?;*\"><|'",
      "ketentest", "[concept]"),
    m("M35", "R-BEST-07", "Aanmaakdatum bestand wordt alleen bij SBO en Jeugd vergeleken",
      "simulators/cbs/check/catalogus.py", "        _GEKEND,\n        tc14_aanmaakdatum,",
      "        _SBO_JEUGD,\n        tc14_aanmaakdatum,", "ketentest", "aanmaakdatum-wisselt"),
    m("M36", "R-AANL-01", "een nieuwe levering vervangt de vorige, maar die krijgt de status niet",
      "simulators/cbs/leveringen.py", "self._set(db, current[\"id\"], GECORRIGEERD,",
      "self._set(db, current[\"id\"], OPORDE_VERZONDEN,", "ketentest", "vervangt_de_vorige"),
    m("M37", "R-BEST-02", "het CBS zet de gemeentecode niet achter de namen uit een ZIP",
      "simulators/cbs/backend.py", 'suffix = "_" + meta.gemeentecode', 'suffix = ""',
      "ketentest", "zip_met_een_wmo"),
    m("M38", "R-ENV-03", "het GGk zet een naam met spaties ongewijzigd in de envelop",
      "simulators/ggk/uploads.py",
      'mapped = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:255]', "mapped = name",
      "ketentest", "gestuurd door henk"),
    m("M39", "R-BEST-15", "de metagegevens noemen de gemeente als gebruiker", "simulators/ggk/messages.py",
      'gemeentecode=upload["gemeentecode"], gebruiker=upload["gebruiker"],',
      'gemeentecode=upload["gemeentecode"], gebruiker=upload["gemeentecode"],', "ketentest", "metagegevens"),
    m("M40", "R-ENV-04", "de grens van 25 MB rekent base64 andersom (4/3 in plaats van 3/4)",
      "simulators/ggk/uploads.py", "MAX_FILE_BYTES = (stuf.MAX_MESSAGE_BYTES - 16 * 1024) * 3 // 4",
      "MAX_FILE_BYTES = (stuf.MAX_MESSAGE_BYTES - 16 * 1024) * 4 // 3", "foutafhandeling", "ws-te-groot"),
    m("M41", "R-BEST-01", "het GGk neemt ook .xlsx aan", "simulators/ggk/uploads.py",
      'ALLOWED_EXTENSIONS = (".csv", ".txt", ".zip")',
      'ALLOWED_EXTENSIONS = (".csv", ".txt", ".zip", ".xlsx")',
      "foutafhandeling", "ws-extensie"),
    m("M42", "R-BEST-14", "twee CSV's in dezelfde seconde krijgen hetzelfde referentienummer",
      "simulators/ggk/referenties.py", 'return f"{prefix}-{used + 1:03d}"', 'return f"{prefix}-001"',
      "burentest", "eigen_referentienummer"),
    # --- reports, mail, audit, portal, partnerships
    m("M43", "R-RAPP-02", "het GGk mailt niet dat een rapport klaarstaat", "simulators/ggk/downloads.py",
      "            self.mail_ready(row)\n", "            pass\n", "pilot", "als_een_rapport_klaarstaat"),
    m("M44", "R-VEIL-04", "het GGk vergeet wie via de webservice een rapport ophaalde",
      "simulators/ggk/backend.py",
      'self.audit.schrijf(gebruiker.strip() or "onbekend", gemeentecode, "download", "gelukt",',
      'self.audit.schrijf("onbekend", gemeentecode, "download", "gelukt",', "ketentest", "wie_het_ophaalde"),
    m("M45", "R-VEIL-04", "een geweigerde upload via de webservice komt niet in het auditlog",
      "simulators/ggk/backend.py",
      '            self.audit.schrijf(wie, code, "upload", "geweigerd", f"{namen}: {exc}", herkomst)\n', "",
      "ketentest", "geweigerde_upload_via_de_webservice"),
    m("M46", "R-VEIL-01", "het portaal laat inloggen met EH2 toe", "simulators/ggk/portaal/identities.py",
      'MINIMUM_NIVEAU = "EH3"', 'MINIMUM_NIVEAU = "EH2"', "portaal", "eh2"),
    m("M47", "R-VEIL-02", "het CBS-tabblad zonder CBS-rol", "simulators/ggk/portaal/backend.py",
      "if rol == CBS_ROL and not self.has_cbs_role(sessie.identiteit):", "if False:", "portaal",
      "zonder_cbsrol"),
    m("M48", "R-VEIL-05", "een medewerker kan de bestanden van een andere gemeente openen",
      "simulators/ggk/portaal/backend.py", "        if owner != code:", "        if owner is None:",
      "portaal", "andere_gemeente"),
    m("M49", "R-VEIL-06", "de inactiviteitstermijn gebruikt de maximale sessieduur",
      "simulators/ggk/portaal/sessions.py", 'nu - datetime.fromisoformat(row["laatst"]) > inactief',
      'nu - datetime.fromisoformat(row["laatst"]) > maximaal', "portaal", "kwartier"),
    m("M50", "R-SAM-01", "één bestand voor meerdere leden wordt als één gemeente gelezen",
      "simulators/ggk/samenwerking.py", "if namens.lower() == ALLE or len(codes) > 1:",
      "if namens.lower() == ALLE:", "pilot", "alle_leden"),
    m("M51", "R-SAM-02", "een lid ziet niet wat een ander lid aanleverde", "simulators/ggk/backend.py",
      '"uploads": self.upload_desk.seen_by_partners(code),', '"uploads": [],', "pilot", "leden_zien_dat"),
    # --- transport and errors (the first six are the catalogue's original mutants)
    m("M52", "R-ENV-02", "de UUID-controle van het referentienummer ontbreekt", "simulators/receiver.py",
      "            _check_uuids(sg)\n", "", "foutafhandeling", "uuid"),
    m("M53", "R-FOUT-01", "StUF013 wordt niet omgezet naar IB213", "simulators/stuf/isd.py",
      '    "StUF013": "IB213",', "", "foutafhandeling", "ggk-fo01-zender"),
    m("M54", "R-FOUT-05", "stuurtekens in bestandsnamen toegestaan", "simulators/ggk/uploads.py",
      'if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):', "if False:",
      "foutafhandeling", "ws-stuurteken"),
    m("M55", "R-FOUT-03", "RINIS controleert niet welke functie een gemeente mag sturen",
      "simulators/rinis/backend.py", '        if sg.functie not in self.mappen["inbox"]:',
      "        if False:",
      "foutafhandeling", "niet-geautoriseerd"),
    m("M56", "R-KETEN-02", "een ander bericht met een bekend referentienummer krijgt een Bv03",
      "simulators/receiver.py", '                if seen["sha256"] == digest:', "                if True:",
      "foutafhandeling", "dubbel-anders"),
    m("M57", "R-FOUT-01", "een tijdelijke blokkade van RINIS wordt genegeerd", "simulators/receiver.py",
      "            if sg.functie and self.geblokkeerd(sg.functie):", "            if False:",
      "foutafhandeling", "geblokkeerd"),
    m("M58", "R-KETEN-04", "het GGk probeert twintig werkdagen in plaats van twee",
      "simulators/ggk/uploads.py",
      'dagen = int(self.options.get("aflevertermijn_werkdagen", 2))',
      'dagen = int(self.options.get("aflevertermijn_werkdagen", 20))', "foutafhandeling", "aflevertermijn"),
    m("M59", "R-KETEN-01", "een taak met een termijn geeft het bij de eerste storing op",
      "simulators/tasks.py",
      "if deadline is not None and self._now() >= deadline:", "if deadline is not None:",
      "foutafhandeling", "twee_keer_http_503"),
    m("M60", "R-RAPP-01", "het CBS zet zijn rapporten in zijn inbox in plaats van de verzendmap",
      "simulators/cbs/backend.py", "answer = self.rinis.put(self.verzend, row[\"naam\"], pdf)",
      "answer = self.rinis.put(self.inbox, row[\"naam\"], pdf)", "burentest",
      "technisch_rapport_met_de_ggkreferentie"),
    # --- the gemeente's answers: spiegelrapport response, third opt-in choice, a correction withdrawn
    m("M61", "R-AANL-07", "het CBS legt een akkoord op een spiegelrapport vast als terugmelding",
      "simulators/cbs/optin.py", '"akkoord": lv.GEACCORDEERD', '"akkoord": lv.TERUGMELDING',
      "portaal", "akkoord_op_het_oporde"),
    m("M62", "R-AANL-07", "het GGk neemt een terugmelding zonder toelichting aan", "simulators/ggk/optin.py",
      'if conclusie == "terugmelding" and not toelichting.strip():', "if False:",
      "portaal", "zonder_toelichting"),
    m("M63", "R-OPTIN-14", "het opt-in-formulier kent de correctielevering niet als keuze",
      "simulators/ggk/optin.py", 'BESLUITEN = ("opt-in", "opt-out", "correctielevering")',
      'BESLUITEN = ("opt-in", "opt-out")', "portaal", "derde_keuze"),
    m("M64", "R-OPTIN-15", "na het intrekken van de correctie wordt de vorige levering niet weer actueel",
      "simulators/cbs/leveringen.py",
      '"UPDATE leveringen SET actueel = 1, vervangen_door = NULL WHERE id = ?"',
      '"UPDATE leveringen SET vervangen_door = NULL WHERE id = ?"', "pilot", "alleen_haar_correctielevering"),
    m("M65", "R-OPTIN-15", "het GGk trekt de hele levering in als alleen de correctie wordt gevraagd",
      "simulators/ggk/optin.py", "conclusie = CORRECTIE_INGETROKKEN if alleen_correctie else INGETROKKEN",
      "conclusie = INGETROKKEN", "pilot", "alleen_haar_correctielevering"),
    m("M66", "R-OPTIN-02", "een opt-in voor een deel van een set wordt aangenomen", "simulators/ggk/optin.py",
      "            if besluit not in BESLUITEN:", "            if str(besluit).split()[0] not in BESLUITEN:",
      "pilot", "deel_van_de_wmoset"),
    m("M67", "R-BEST-16", "het CBS ziet niet dat een ZIP twee bestanden van dezelfde set en periode bevat",
      "simulators/cbs/backend.py", "for (soort, periode), n in sorted(geteld.items()) if n > 1)",
      "for (soort, periode), n in sorted(geteld.items()) if n > 2)", "ketentest", "twee_wmobestanden"),
)


def source_tree(target: Path, werkboom: bool) -> None:
    """A copy of the project: HEAD (``git archive``) or the working files (tracked and new)."""
    target.mkdir()
    if not werkboom:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        return
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())


def collected(tree: Path, suite: str, cache: dict[str, list[str]]) -> list[str]:
    """The scenario test ids of a suite in the copy (collected once per suite)."""
    if suite not in cache:
        run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p",
      "no:allure_pytest",
                              "-p", "no:cacheprovider", "-m", suite, FEATURES_TEST],
                             cwd=tree, capture_output=True, text=True)
        cache[suite] = [line.split("::", 1)[1] for line in run.stdout.splitlines()
                        if line.startswith(FEATURES_TEST + "::")]
    return cache[suite]


def select(mutant: Mutant, ids: list[str]) -> list[str]:
    return [i for i in ids if any(s in i.lower() for s in mutant.scenarios)]


def run_scenarios(tree: Path, ids: list[str]) -> tuple[int, list[str], str]:
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:allure_pytest", "-p",
      "no:cacheprovider",
                          *(f"{FEATURES_TEST}::{i}" for i in ids)], cwd=tree, capture_output=True, text=True,
                         timeout=900)
    return run.returncode, FAILED.findall(run.stdout), run.stdout[-3000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alleen", help="komma-gescheiden mutant-ids (standaard: alle)")
    parser.add_argument("--werkboom", action="store_true", help="breek de werkbestanden, niet HEAD")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--controle", action="store_true", help="eerst elke selectie ongebroken draaien")
    parser.add_argument("--lijst", action="store_true")
    args = parser.parse_args()
    gekozen = [x for x in MUTANTEN if not args.alleen or x.id in args.alleen.split(",")]
    if args.lijst:
        for x in gekozen:
            print(f"{x.id} {x.regel:<11} {x.suite:<15} {x.wat}")
        print(f"{len(gekozen)} mutanten over {len({x.regel for x in gekozen})} regels")
        return 0
    uitkomsten, ok = [], True
    with tempfile.TemporaryDirectory() as tmp:
        schoon = Path(tmp) / "schoon"
        source_tree(schoon, args.werkboom)
        cache: dict[str, list[str]] = {}
        for x in gekozen:
            ids = select(x, collected(schoon, x.suite, cache))
            bron = (schoon / x.pad).read_text(encoding="utf-8")
            fout = ("de te breken tekst staat niet (meer) in " + x.pad if x.oud not in bron
                    else "geen scenario's gevonden voor " + ", ".join(x.scenarios) if not ids else "")
            uitkomst = {"id": x.id, "regel": x.regel, "wat": x.wat, "bestand": x.pad, "suite": x.suite,
                        "scenarios": ids, "gedood": False, "rood": []}
            if fout:
                print(f"## {x.id} {x.regel}: {fout}")
                uitkomst["fout"] = fout
                uitkomsten.append(uitkomst)
                ok = False
                continue
            start = time.perf_counter()
            if args.controle:
                code, rood, staart = run_scenarios(schoon, ids)
                uitkomst["controle_groen"] = code == 0
                if code:
                    print(f"## {x.id}: de scenario's zijn ongebroken al rood: {rood}\n{staart}")
                    ok = False
            tree = Path(tmp) / x.id
            source_tree(tree, args.werkboom)
            (tree / x.pad).write_text(bron.replace(x.oud, x.nieuw, 1), encoding="utf-8")
            code, rood, staart = run_scenarios(tree, ids)
            uitkomst |= {"gedood": code not in (0, 5) and bool(rood), "rood": rood,
                         "seconden": round(time.perf_counter() - start, 1)}
            if code not in (0, 1, 5):  # a collection or start-up error: killed, but say so
                uitkomst["gedood"] = True
                uitkomst["rood"] = rood or [f"(de scenario's konden niet draaien: pytest-code {code})"]
            print(f"## {x.id} {x.regel} {'gedood' if uitkomst['gedood'] else 'OVERLEEFT'} "
                  f"({len(uitkomst['rood'])}/{len(ids)} rood, {uitkomst['seconden']} s): {x.wat}")
            if not uitkomst["gedood"]:
                print(staart)
            ok &= uitkomst["gedood"]
            uitkomsten.append(uitkomst)
            subprocess.run(["rm", "-rf", str(tree)], check=False)
    gedood = sum(u["gedood"] for u in uitkomsten)
    regels = len({u["regel"] for u in uitkomsten})
    print(f"{gedood} van {len(uitkomsten)} mutanten gedood, over {regels} regels")
    if args.json:
        args.json.write_text(json.dumps({"mutanten": uitkomsten}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
