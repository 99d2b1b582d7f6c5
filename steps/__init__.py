"""The reusable step vocabulary of the ketentest suites, by domain.

Steps talk to the parties only over HTTP, through :mod:`steps.drivers`, so the same
scenario runs against the embedded simulators or a partner's real endpoint.
"""
