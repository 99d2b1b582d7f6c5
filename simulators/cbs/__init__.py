"""The CBS simulator: ``create_app(config)`` gives its Flask app."""

from flask import Flask

from ..party import PartyConfig, make_app
from .backend import Cbs
from .views import ENDPOINTS, bp


def create_app(config: PartyConfig) -> Flask:
    return make_app(Cbs(config), ENDPOINTS, bp)


__all__ = ["Cbs", "create_app"]
