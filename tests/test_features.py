"""Binds every Gherkin suite under features/ (bound once, here; steps live in steps/)."""

from pytest_bdd import scenarios

scenarios("ketentest")
