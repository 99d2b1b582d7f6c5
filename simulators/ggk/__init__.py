"""The GGk portal simulator: ``create_app(config)`` gives its Flask app: the JSON web
service (``views``) and the portal's pages for people (``portaal``, docs/portaal.md)."""

from flask import Flask

from ..party import PartyConfig, make_app
from .backend import Ggk
from .portaal import views as portaal
from .views import ENDPOINTS, bp

UPLOAD_MAX_BYTES = 64 * 1024 * 1024
"""Largest request the GGk reads (option ``upload_max_bytes``): above it the answer is 413
before the body is read, so no one can make the portal swallow gigabytes. A file in an
upload may be 25 MB (the envelope's limit, checked per file with its own 413 message)."""


def create_app(config: PartyConfig) -> Flask:
    app = make_app(Ggk(config), ENDPOINTS | portaal.ENDPOINTS, bp, portaal.bp)
    app.config["MAX_CONTENT_LENGTH"] = int(config.options.get("upload_max_bytes", UPLOAD_MAX_BYTES))
    return app


__all__ = ["Ggk", "create_app"]
