"""``ketentest last``: the deadline-day peak on Locust (docs/last.md).

Two sides that never share a process. The harness's side, imported by the command line:
``plan`` (the shape of the day, pure), ``runner`` (chain, faults, Locust, books) and
``summary`` (``last.json`` and the Dutch summary). Locust's side, loaded by Locust alone
because Locust patches its process with gevent: ``locustfile`` with the ``gemeente`` user,
the ``shape`` of the load and the ``roster`` of who plays which gemeente.
"""
