"""The GGk portal simulator: ``create_app(config)`` gives its Flask app."""

from flask import Flask

from ..party import PartyConfig, make_app
from .backend import Ggk
from .views import ENDPOINTS, bp


def create_app(config: PartyConfig) -> Flask:
    return make_app(Ggk(config), ENDPOINTS, bp)


__all__ = ["Ggk", "create_app"]
