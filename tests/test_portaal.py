"""The GGk portal (docs/portaal.md) over real HTTP in a running chain: pages read with
lxml.html and forms submitted as a browser without JavaScript would (steps.portaal_http.Browser)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from simulators.chain import Chain
from simulators.clock import SimulatedClock
from simulators.ggk.backend import Ggk
from steps.drivers import Keten
from steps.portaal_http import Browser

START = datetime(2016, 8, 15, 9, 0)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with Chain(tmp_path_factory.mktemp("portaal"), SimulatedClock(START),
               options={"ggk": {"portaal_max_uren": 1}}) as chain:
        yield chain


@pytest.fixture
def keten(running) -> Keten:
    keten = Keten(running.urls)
    keten.reset()
    keten.set_clock(START)
    return keten


def browser(keten, gemeente="0363", persoon="medewerker", niveau="EH3") -> Browser:
    b = Browser(keten.urls["ggk"])
    b.inloggen(gemeente, persoon, niveau)
    return b


def audit(keten, **filters) -> list[tuple[str, str, str]]:
    return [(r["wie"], r["actie"], r["resultaat"])
            for r in keten.get("ggk", "/_beheer/audit", params=filters).json()]


def test_login_eh3_opens_cbs_tab_and_eh2_is_refused_with_audit_line(keten):
    assert browser(keten).pagina.response.url.endswith("/portaal/cbs")
    refused = browser(keten, niveau="EH2+")
    assert refused.pagina.status == 403 and "EH3 of hoger" in refused.pagina.tekst
    assert audit(keten, gemeente="0363") == [("0363:medewerker", "inloggen", "gelukt"),
                                             ("0363:medewerker", "inloggen", "geweigerd")]
    [regel] = keten.get("ggk", "/_beheer/audit", params={"actie": "inloggen", "na": 1}).json()
    assert regel["herkomst"] == "127.0.0.1" and regel["tijdstip"].startswith("2016-08-15T09:00")


def test_login_csrf_and_unknown_person_refused(keten):
    b = Browser(keten.urls["ggk"])
    b.open("/portaal/inloggen")
    form = b.formulier("/portaal/inloggen")
    assert b.verstuur(form, {"csrf": "vals", "gemeente": "0363", "persoon": "medewerker"}).status == 400
    b.open("/portaal/inloggen")
    assert b.verstuur(b.formulier("/portaal/inloggen"),
                      {"gemeente": "0363", "persoon": "gebruiker:niemand@x.nl"}).status == 403
    assert [a[1:] for a in audit(keten)] == [("inloggen", "geweigerd"), ("inloggen", "geweigerd")]


def test_registered_ggk_user_can_log_in_without_cbs_role(keten):
    keten.post("ggk", "/api/v1/gemeenten/0363/gebruikers",
               json={"email": "henk@amsterdam.nl", "naam": "Henk"})
    b = browser(keten, persoon="gebruiker:henk@amsterdam.nl")
    assert b.pagina.status == 403 and "CBS-rol" in b.pagina.tekst


def test_session_expires_when_idle_and_after_the_absolute_limit(keten):
    b = browser(keten)
    keten.set_clock(START + timedelta(minutes=14), terug=False)
    assert b.open("/portaal/cbs").status == 200
    keten.set_clock(START + timedelta(minutes=30), terug=False)  # 16 minutes idle
    assert "/portaal/inloggen" in b.open("/portaal/cbs").response.url and "te lang niets" in b.pagina.tekst
    b = browser(keten)
    for minuten in (40, 50, 60, 70, 80, 91):  # never idle for 15 minutes; 1 hour absolute (option)
        keten.set_clock(START + timedelta(minutes=minuten), terug=False)
        pagina = b.open("/portaal/cbs")
    assert "/portaal/inloggen" in pagina.response.url and "te lang ingelogd" in pagina.tekst
    assert [a[1:] for a in audit(keten) if a[1] == "sessie"] == [("sessie", "verlopen")] * 2


def test_logout_ends_the_session(keten):
    b = browser(keten)
    b.verstuur(b.formulier("/portaal/uitloggen"))
    assert "U bent uitgelogd" in b.pagina.tekst
    assert "/portaal/inloggen" in b.open("/portaal/cbs").response.url


def test_post_without_csrf_token_refused(keten):
    b = browser(keten)
    response = b.session.post(keten.urls["ggk"] + "/portaal/upload", files=[("bestand", ("a.csv", b"x"))])
    assert response.status_code == 400 and "CSRF" in response.text
    assert ("0363:medewerker", "csrf", "geweigerd") in audit(keten)


def test_upload_shows_reference_per_csv_file_travels_and_report_downloads(keten):
    b = browser(keten)
    data = keten.post("gemeente", "/api/v1/aanleveringen", json={"gemeentecode": "0088", "rijen": 3})
    assert data.status_code == 201  # someone else's delivery: not on 0363's page
    from simulators.gmsd import generator
    csv = generator.generate("WMO", "0363", 2016, 1, START, rows=5, seed=5)
    b.open("/portaal/upload")
    b.verstuur(b.formulier("/portaal/upload"), bestanden=[("WMO_H12016_pagina.csv", csv)])
    [(naam, referentie)] = b.referenties().items()
    assert naam == "WMO_H12016_pagina.csv" and referentie.startswith("20160815-0900")
    keten.wait_idle()
    assert any(a["bestandsnaam"] == "WMO_H12016_pagina_0363.csv" for a in keten.cbs_deliveries())
    b.open("/portaal/downloads")
    links = [a.get("href") for a in b.pagina.doc.find_class("download")]
    assert len(links) >= 1 and all("CBS_" in a.text_content() for a in b.pagina.doc.find_class("download"))
    pagina = b.open(links[0])
    assert pagina.response.content[:2] == b"PK"
    # the portal's own lines (the gemeente simulator's fetch through the web service is audited too)
    regels = keten.get("ggk", "/_beheer/audit", params={"gemeente": "0363"}).json()
    acties = [(r["actie"], r["resultaat"]) for r in regels if not r["herkomst"].startswith("webservice")]
    assert acties[-2:] == [("upload", "gelukt"), ("download", "gelukt")]


def test_upload_refusal_shows_dutch_message(keten):
    b = browser(keten)
    b.open("/portaal/upload")
    b.verstuur(b.formulier("/portaal/upload"), bestanden=[("rapport.pdf", b"%PDF")])
    assert "Upload geweigerd" in b.pagina.tekst and ".zip" in b.pagina.tekst
    assert ("0363:medewerker", "upload", "geweigerd") in audit(keten)


def test_other_gemeente_download_refused_with_audit(keten):
    keten.post("gemeente", "/api/v1/aanleveringen", json={"gemeentecode": "0546", "rijen": 3})
    [item, *_] = keten.wait_for_download("0546", 0, lambda d: True, "rapport") and keten.downloads("0546")
    b = browser(keten)
    pagina = b.open(f"/portaal/downloads/{item['id']}")
    assert pagina.status == 403 and "hoort niet bij uw gemeente" in pagina.tekst
    assert ("0363:medewerker", "download", "geweigerd") in audit(keten, gemeente="0363")


def test_administrator_grants_and_revokes_cbs_role_only_in_own_gemeente(keten):
    beheerder = browser(keten, persoon="beheerder")
    assert beheerder.pagina.response.url.endswith("/portaal/rollen")  # no CBS role: the roles page
    rij = beheerder.pagina.doc.xpath("//tr[@data-identiteit='0363:nieuw']//form")[0]
    beheerder.verstuur(rij)
    assert "toegekend" in beheerder.pagina.tekst
    assert browser(keten, persoon="nieuw").pagina.response.url.endswith("/portaal/cbs")
    rij = beheerder.pagina.doc.xpath("//tr[@data-identiteit='0363:nieuw']//form")[0]
    beheerder.verstuur(rij)
    assert browser(keten, persoon="nieuw").pagina.status == 403
    beheerder.verstuur(rij, {"identiteit": "0546:nieuw", "actie": "toekennen"})
    assert beheerder.pagina.status == 403 and "eigen gemeente" in beheerder.pagina.tekst
    medewerker = browser(keten)
    assert medewerker.open("/portaal/rollen").status == 403
    rollen = [a[1:] for a in audit(keten, gemeente="0363") if a[1].startswith("rol")]
    assert rollen == [("rol toekennen", "gelukt"), ("rol intrekken", "gelukt"), ("rol", "geweigerd")]


def test_optin_split_screen_and_fresh_login_rule(keten):
    keten.post("gemeente", "/api/v1/aanleveringen", json={"rijen": 10, "seed": 1})
    keten.wait_idle()
    b = browser(keten)
    b.open("/portaal/optin")
    koppen = [h.text_content() for h in b.pagina.doc.xpath("//section[contains(@class,'kolom')]/h2")]
    assert koppen == ["H1 2016 — huidige periode", "H2 2015 — vorige periode"]
    # H2 2015 has no op-orde rapport: its half is closed and says why
    assert b.pagina.doc.xpath("//section[contains(@class,'gesloten')]//p[@class='reden']")
    keten.set_clock(START + timedelta(minutes=6), terug=False)
    b.verstuur(b.formulier("/portaal/optin", "H12016"), {"besluit_WMO": "opt-in"})
    assert b.pagina.status == 403 and "Opnieuw inloggen" in b.pagina.tekst
    b.open(b.pagina.doc.xpath("//a[text()='Opnieuw inloggen']")[0].get("href"))
    b.verstuur(b.formulier("/portaal/inloggen"))  # identity preselected, back to the form
    assert b.pagina.response.url.endswith("/portaal/optin")
    b.verstuur(b.formulier("/portaal/optin", "H12016"), {"besluit_WMO": "opt-in", "besluit_SBO": "opt-out"})
    assert "ontvangen" in b.pagina.alle("ok")[0]
    [optin] = keten.get("ggk", "/api/v1/gemeenten/0363/optin").json()
    assert optin["besluiten"] == {"WMO": "opt-in", "SBO": "opt-out"} and optin["naam"] == "Henk de Vries"


def test_withdrawal_needs_confirmation_and_can_be_cancelled(keten):
    b = browser(keten)
    b.open("/portaal/intrekken")
    b.verstuur(b.formulier("/portaal/intrekken", "H12016"), {"soort": ["WMO", "JEUGD"]})
    assert "WMO, JEUGD" in b.pagina.tekst
    b.verstuur(b.formulier("/portaal/intrekken/bevestigen"), {"bevestig": "nee"})
    assert "niets ingetrokken" in b.pagina.tekst
    assert keten.get("ggk", "/api/v1/gemeenten/0363/optin").json() == []
    b.verstuur(b.formulier("/portaal/intrekken", "H12016"), {"soort": ["SBO"]})
    b.verstuur(b.formulier("/portaal/intrekken/bevestigen"), {"bevestig": "ja"})
    assert "ingetrokken" in b.pagina.alle("ok")[0]
    [intrekking] = keten.get("ggk", "/api/v1/gemeenten/0363/optin").json()
    assert intrekking["soort"] == "intrekking" and intrekking["besluiten"] == {"SBO": "ingetrokken"}
    assert [a[2] for a in audit(keten) if a[1] == "intrekken"] == ["geannuleerd", "gelukt"]


def test_partnership_uitvoerder_uploads_for_member_and_member_sees_it(keten):
    keten.session.put(keten.url("ggk", "/_beheer/samenwerkingsverbanden"), json=[
        {"naam": "Holland Rijnland", "uitvoerder": "0546", "leden": ["0547", "0579"]}])
    leiden = browser(keten, gemeente="0546")
    leiden.open("/portaal/upload")
    form = leiden.formulier("/portaal/upload")
    opties = [o.get("value") for o in form.xpath(".//select[@name='namens']/option")]
    assert opties == ["0546", "0547", "0579"]
    leiden.verstuur(form, {"namens": "0547"}, [("WMO_H12016_lid.csv", b"a;b\r\n")])
    assert list(leiden.referenties()) == ["WMO_H12016_lid.csv"]
    leiden.verstuur(leiden.formulier("/portaal/upload"), {"namens": "0363"}, [("WMO_H12016_x.csv", b"a\r\n")])
    assert "mag niet aanleveren namens 0363" in leiden.pagina.tekst
    oegstgeest = browser(keten, gemeente="0579")
    oegstgeest.open("/portaal/downloads")
    [lid] = [s for s in oegstgeest.pagina.doc.find_class("partner") if "(0547)" in s.text_content()]
    assert "WMO_H12016_lid.csv" in lid.text_content() and "door 0546" in lid.text_content()


def test_cbs_tab_shows_timeline_periods_or_says_there_is_none(keten):
    b = browser(keten)
    assert "geen tijdlijn geladen" in b.pagina.tekst
    from simulators.tijdlijn import laad
    keten.apply_timeline(laad("H1 2016").to_json())
    tekst = b.open("/portaal/cbs").tekst
    assert "H1 2016 (huidige periode) — open" in tekst, tekst
    assert "Tussentijdse deadline 19 september 2016" in tekst, tekst


def test_audit_log_is_append_only(running, keten):
    browser(keten)
    ggk: Ggk = running.party("ggk")
    for sql in ("UPDATE portaal_audit SET resultaat = 'x'", "DELETE FROM portaal_audit"):
        with pytest.raises(sqlite3.IntegrityError, match="alleen aan te vullen"):
            ggk.store.execute(sql)
    assert len(audit(keten)) == 1
    keten.reset()  # the harness's reset is the one way to empty it
    assert audit(keten) == []


def test_session_survives_a_restart(keten):
    b = browser(keten)
    keten.restart("ggk")
    assert b.open("/portaal/cbs").status == 200


def test_portal_time_option_checked_at_start(make_party):
    with pytest.raises(ValueError, match="portaal_inactief_minuten"):
        make_party(Ggk, {"portaal_inactief_minuten": "nul"})
