"""Binds every Gherkin suite under features/ (bound once, here; steps live in steps/).

``KETENTEST_FEATURES`` (folders, separated by the path separator) binds other feature
folders instead: the test of ``ketentest run`` itself uses it to run a scenario that
is broken on purpose.
"""

import os
from pathlib import Path

from pytest_bdd import scenarios

FEATURES = Path(__file__).resolve().parent.parent / "features"
_given = os.environ.get("KETENTEST_FEATURES")
scenarios(*(_given.split(os.pathsep) if _given else
            sorted(str(d) for d in FEATURES.iterdir() if d.is_dir() and not d.name.startswith("."))))
