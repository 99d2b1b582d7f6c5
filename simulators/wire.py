"""The courier's HTTP client: urllib3 straight, one kept-alive pool manager per thread.

Why not ``requests``: on this chain a call costs the client about 0.5 ms of CPU through
``requests`` and half that through urllib3 itself (``bench/README.md``), and a period moves
some 20,000 calls between the parties. The courier needs little of what ``requests`` adds:
no redirects, no cookies, no proxies, no environment. What it needs is here: query
parameters, a body as bytes, a form or JSON, multipart files, a time-out, mutual TLS with a
client certificate per call, and an answer that reads like ``requests``' (:class:`Reply`).

Every transport failure (no connection, a time-out, a connection closed before or during the
answer) is raised as :class:`WireError`; the courier makes it a transient error.
"""

from __future__ import annotations

import json as jsonlib
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import urllib3
from urllib3.exceptions import HTTPError

__all__ = ["HTTPStatusError", "Reply", "Wire", "WireError"]


class WireError(Exception):
    """The call did not get a whole answer: no connection, a time-out or a cut-off answer."""


class HTTPStatusError(Exception):
    """An answer with a 4xx or 5xx status, raised by :meth:`Reply.raise_for_status`."""


class Reply:
    """An HTTP answer, read whole: ``status_code``, ``headers``, ``content``, ``text``, ``json()``."""

    __slots__ = ("content", "headers", "status_code", "url")

    def __init__(self, status_code: int, headers: Mapping[str, str], content: bytes, url: str) -> None:
        self.status_code = status_code
        self.headers = headers  # case-insensitive (urllib3's HTTPHeaderDict)
        self.content = content
        self.url = url

    @property
    def text(self) -> str:
        charset = "utf-8"
        for part in self.headers.get("Content-Type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip('"')
        return self.content.decode(charset, errors="replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise HTTPStatusError(f"HTTP {self.status_code} van {self.url}: {self.text[:200]}")


class Wire:
    """Kept-alive HTTP(S) calls; each thread has its own connections (like a session each).

    ``ca``: the CA bundle to trust on HTTPS; ``cert``/``key``: the client certificate to show
    (a call may show another with ``cert=``); ``user_agent`` names the caller.
    """

    def __init__(self, *, user_agent: str, ca: str | None = None,
                 cert: str | tuple[str, str] | None = None) -> None:
        self.user_agent = user_agent
        self.ca = ca
        self.cert = cert
        self._local = threading.local()

    def _manager(self) -> urllib3.PoolManager:
        manager = getattr(self._local, "manager", None)
        if manager is None:  # one connection per host for this thread, kept alive
            manager = self._local.manager = urllib3.PoolManager(num_pools=16, maxsize=1, block=False)
        return manager

    def request(self, method: str, url: str, *, params: Mapping[str, Any] | None = None,
                data: bytes | str | Mapping[str, Any] | None = None, json: Any = None,
                files: Iterable[tuple[str, tuple[str, bytes]]] | None = None,
                headers: Mapping[str, str] | None = None, timeout: float = 10.0,
                cert: str | tuple[str, str] | None = None) -> Reply:
        """One call; raises :class:`WireError` when it gets no whole answer."""
        parts = urlsplit(url)
        target = parts.path or "/"
        query = [parts.query] if parts.query else []
        if params:
            query.append(urlencode({k: v for k, v in params.items() if v is not None}, doseq=True))
        if query:
            target += "?" + "&".join(q for q in query if q)
        sent = {"User-Agent": self.user_agent, **(headers or {})}
        body = _body(data, json, files, sent)
        pool_kwargs: dict[str, Any] = {}
        if parts.scheme == "https":
            pool_kwargs["ca_certs"] = self.ca
            pool_kwargs["cert_reqs"] = "CERT_REQUIRED"
            shown = cert or self.cert
            if shown:
                pool_kwargs["cert_file"], pool_kwargs["key_file"] = (
                    shown if isinstance(shown, tuple) else (shown, None))
        try:
            pool = self._manager().connection_from_host(
                parts.hostname, parts.port, parts.scheme, pool_kwargs=pool_kwargs or None)
            answer = pool.urlopen(method, target, body=body, headers=sent, retries=False,
                                  redirect=False, timeout=urllib3.Timeout(connect=timeout, read=timeout),
                                  assert_same_host=False)
        except (HTTPError, OSError) as exc:
            raise WireError(f"{method} {url}: {_what_failed(exc)}") from None
        return Reply(answer.status, answer.headers, answer.data, url)


def _what_failed(exc: BaseException) -> str:
    """``Timeout`` or ``ConnectionError`` (the names ``requests`` gave them), and the cause."""
    timeout = isinstance(exc, TimeoutError | urllib3.exceptions.TimeoutError) and not isinstance(
        exc, urllib3.exceptions.NewConnectionError)  # which urllib3 files under time-outs
    label = "Timeout" if timeout else "ConnectionError"
    cause = exc
    if isinstance(exc, urllib3.exceptions.ProtocolError) and len(exc.args) > 1:
        cause = exc.args[1]  # ('Connection aborted.', RemoteDisconnected(...))
    return f"{label} ({cause.__class__.__name__}: {cause})"


def _body(data, json, files, headers: dict[str, str]) -> bytes | None:
    """The request body, setting its Content-Type in ``headers`` unless given."""
    if files is not None:
        fields: list[tuple[str, Any]] = list((data or {}).items())
        fields += [(name, (filename, content)) for name, (filename, content) in files]
        body, content_type = urllib3.encode_multipart_formdata(fields)
        headers["Content-Type"] = content_type
        return body
    if json is not None:
        headers.setdefault("Content-Type", "application/json")
        return jsonlib.dumps(json).encode()
    if isinstance(data, Mapping):
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        return urlencode(data, doseq=True).encode()
    if isinstance(data, str):
        return data.encode()
    return data
