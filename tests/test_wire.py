"""The courier's HTTP client (simulators/wire.py) against a real app on a loopback port: what
it sends, what it reads back, and how it names a call that got no whole answer."""

from __future__ import annotations

import socket

import pytest
from flask import Flask, jsonify, request

from simulators.server import ServedApp
from simulators.wire import HTTPStatusError, Wire, WireError


@pytest.fixture(scope="module")
def echo():
    app = Flask("echo")

    @app.route("/echo", methods=["GET", "POST", "PUT"])
    def echo_():
        return jsonify(
            method=request.method, args=request.args.to_dict(flat=False), form=request.form.to_dict(),
            files={name: [f.filename, f.read().decode()] for name, f in request.files.items()},
            json=request.get_json(silent=True), body=request.get_data().decode() if not request.files else "",
            content_type=request.content_type, agent=request.user_agent.string)

    @app.get("/tekst")
    def tekst():
        return "één".encode("latin-1"), 418, {"Content-Type": "text/plain; charset=latin-1"}

    served = ServedApp(app).start()
    yield served.url
    served.stop()


def test_a_call_sends_query_form_files_and_json_as_asked(echo):
    wire = Wire(user_agent="ketentest-proef")
    got = wire.request("GET", echo + "/echo?a=1", params={"b": ["2", "3"], "c": None}).json()
    assert got["args"] == {"a": ["1"], "b": ["2", "3"]} and got["agent"] == "ketentest-proef"
    got = wire.request("POST", echo + "/echo", data={"gemeentecode": "0363"},
                       files=[("bestand", ("wmo.csv", b"BSN;Type\n1;01\n"))]).json()
    assert got["form"] == {"gemeentecode": "0363"}
    assert got["files"] == {"bestand": ["wmo.csv", "BSN;Type\n1;01\n"]}
    got = wire.request("PUT", echo + "/echo", json={"rijen": 3}).json()
    assert got["json"] == {"rijen": 3} and got["content_type"] == "application/json"
    got = wire.request("POST", echo + "/echo", data=b"<x/>", headers={"Content-Type": "text/xml"}).json()
    assert got["body"] == "<x/>" and got["content_type"] == "text/xml"


def test_an_answer_reads_like_requests(echo):
    reply = Wire(user_agent="t").request("GET", echo + "/tekst")
    assert reply.status_code == 418
    assert reply.text == "één" and reply.headers.get("content-type").startswith("text/plain")
    with pytest.raises(HTTPStatusError, match="HTTP 418"):
        reply.raise_for_status()


def test_no_whole_answer_is_a_wire_error_that_says_which_kind():
    wire = Wire(user_agent="t")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(WireError, match="ConnectionError .*refused"):
        wire.request("GET", f"http://127.0.0.1:{port}/", timeout=2)
    with socket.socket() as silent:  # accepts, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with pytest.raises(WireError, match="Timeout .*timed out"):
            wire.request("GET", f"http://127.0.0.1:{silent.getsockname()[1]}/", timeout=0.3)
