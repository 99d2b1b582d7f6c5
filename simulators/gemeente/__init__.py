"""The gemeente simulator: ``create_app(config)`` gives its Flask app."""

from flask import Flask

from ..party import PartyConfig, make_app
from .backend import Gemeente
from .views import ENDPOINTS, bp


def create_app(config: PartyConfig) -> Flask:
    return make_app(Gemeente(config), ENDPOINTS, bp)


__all__ = ["Gemeente", "create_app"]
