"""The RINIS router simulator: ``create_app(config)`` gives its Flask app."""

from flask import Flask

from ..party import PartyConfig, make_app
from .backend import Rinis
from .views import ENDPOINTS, bp


def create_app(config: PartyConfig) -> Flask:
    return make_app(Rinis(config), ENDPOINTS, bp)


__all__ = ["Rinis", "create_app"]
