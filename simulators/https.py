"""Serve one WSGI app over HTTPS with mutual TLS, in a background thread (the TLS chain).

waitress, the server of the chain without TLS, has no TLS. cheroot (CherryPy's WSGI server,
pure Python, with Python's own ``ssl``) does, and hands the verified client certificate to
the app as ``SSL_CLIENT_CERT`` in the WSGI environ. :class:`HttpsServedApp` offers what
:class:`simulators.server.ServedApp` offers, so a party is served either way.

The handshake asks every client for a certificate of the test CA (``ssl.CERT_REQUIRED``):
without one, or with one of another CA, the connection ends in the handshake and the app
never sees it; ``on_refused`` is told why (the party writes an audit line). OpenSSL does not
check the certificate's dates (``X509_V_FLAG_NO_CHECK_TIME``): a party checks them on its
own, simulated, clock, as CBS checks a signature (``party.py``).

cheroot does the handshake in its accepting thread, one connection at a time, with the
server's time-out; on loopback a handshake takes about a millisecond, and clients keep their
connections alive.

Two habits of waitress that the chain relies on are kept (:class:`_Gateway`): a request's body
is read to its end even when the app answered without reading it (a 413 or a 403 reaches a
client that is still sending, and the next request on the connection starts clean); and the
fault middleware's ways to break a connection (``simulators/beheer/storingen.py``) work the
same: waitress's ``ClientDisconnected`` closes the connection without an answer, an answer
shorter than its ``Content-Length`` closes it after what was sent.
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable

from cheroot import errors, wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from waitress.channel import ClientDisconnected

logger = logging.getLogger("ketentest.https")

X509_V_FLAG_NO_CHECK_TIME = 0x200000
"""OpenSSL's flag: verify the chain, not the dates (the party checks those on its clock)."""

MAX_DRAINED = 1024 * 1024 * 1024
"""The most of an unread request body read away (waitress's largest request body, 1 GiB)."""

Refused = Callable[[str, str], None]
"""Told of a refused handshake: (the peer's address, why, in Dutch)."""

REASONS = {
    "PEER_DID_NOT_RETURN_A_CERTIFICATE": "geen clientcertificaat aangeboden",
    "CERTIFICATE_VERIFY_FAILED": "certificaat niet uitgegeven door de test-CA van de keten",
    "HTTP_REQUEST": "gewone HTTP op de HTTPS-poort",
}


def server_context(cert: str, key: str, ca: str) -> ssl.SSLContext:
    """TLS 1.2 or newer, this certificate, and a client certificate of ``ca`` required."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    context.load_verify_locations(ca)
    context.verify_mode = ssl.CERT_REQUIRED
    context.verify_flags |= X509_V_FLAG_NO_CHECK_TIME
    return context


def refusal(exc: BaseException) -> str | None:
    """Why a handshake failed, in Dutch; None when the peer merely went away."""
    cause = exc.__cause__ or exc
    if isinstance(exc, errors.NoSSLError):
        return REASONS["HTTP_REQUEST"]
    reason = getattr(cause, "reason", None)
    if reason in REASONS:
        detail = getattr(cause, "verify_message", "")
        return REASONS[reason] + (f" ({detail})" if detail else "")
    return None


class _Adapter(BuiltinSSLAdapter):
    """cheroot's adapter with a ready context (its own parses the certificate files through a
    loopback handshake at every start), telling ``on_refused`` of a refused handshake."""

    def __init__(self, context: ssl.SSLContext, on_refused: Refused | None) -> None:
        super(BuiltinSSLAdapter, self).__init__(None, None)  # noqa: UP008 - skip the file parsing
        self.context = context
        self._server_env = {}
        self.on_refused = on_refused

    def wrap(self, sock):
        try:
            peer = "%s:%s" % sock.getpeername()[:2]  # noqa: UP031
        except OSError:
            peer = "onbekend"
        try:
            return super().wrap(sock)
        except (errors.FatalSSLAlert, errors.NoSSLError) as exc:
            why = refusal(exc)
            if why is not None and self.on_refused is not None:
                try:
                    self.on_refused(peer, why)
                except Exception:  # an audit that fails must not stop the server accepting
                    logger.exception("weigering niet vastgelegd")
            raise


class _Gateway(wsgi.Gateway_10):
    """cheroot's WSGI gateway with waitress's habits (see the module's docstring)."""

    written = 0

    def write(self, chunk: bytes) -> None:
        super().write(chunk)
        self.written += len(chunk)

    def respond(self) -> None:
        try:
            super().respond()
        except ClientDisconnected:
            if not self.req.sent_headers:
                raise errors.FatalSSLAlert("verbinding verbroken zonder antwoord") from None
            self.req.close_connection = True
            return
        declared = self.remaining_bytes_out  # cheroot keeps the Content-Length here
        if declared is not None and self.written < declared:  # a cut-off answer: the client sees it end
            self.req.close_connection = True
        self._drain()

    def _drain(self) -> None:
        rfile, drained = self.req.rfile, 0
        while drained < MAX_DRAINED:
            chunk = rfile.read(64 * 1024)
            if not chunk:
                return
            drained += len(chunk)
        self.req.close_connection = True


class _Server(wsgi.Server):
    """cheroot's WSGI server, logging through :mod:`logging` (a refused handshake is normal
    here: it is audited, not printed)."""

    keep_alive_conn_limit = None  # the couriers' and the harness's sessions stay connected

    def error_log(self, msg="", level=logging.INFO, traceback=False) -> None:
        logger.log(level, "%s", msg, exc_info=traceback)


class HttpsServedApp:
    """One WSGI app on ``host:port`` over HTTPS (port 0: any free port, read back in :attr:`port`),
    requiring a client certificate issued by ``ca``."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, *, cert: str, key: str, ca: str,
                 threads: int = 8, on_refused: Refused | None = None) -> None:
        self.app = app
        self.host = host
        self._server = _Server((host, port), app, numthreads=threads, max=64, request_queue_size=64,
                               server_name="ketentest", timeout=30, shutdown_timeout=5)
        self._server.gateway = _Gateway
        self._server.ssl_adapter = _Adapter(server_context(cert, key, ca), on_refused)
        self._server.prepare()  # binds: the port is known from here on
        self.port = int(self._server.bind_addr[1])
        self._thread = threading.Thread(target=self._server.serve, name=f"cheroot:{self.port}", daemon=True)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}"

    def start(self) -> HttpsServedApp:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._server.stop()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> HttpsServedApp:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
