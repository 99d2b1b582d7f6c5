"""ketentest, the harness: drives the simulated parties (and partners' endpoints) over HTTP,
runs the Gherkin suites against them and judges and reports what it saw.

It never imports a party's internals; ``simulators.chain`` is the only door to start them.
"""

from simulators import __version__

__all__ = ["__version__"]
