"""Break one check at a time in a copy of HEAD and run the foutafhandeling scenarios:
each mutation must turn the scenarios of its fault red (and only those).

Run by hand (about 20 s per mutation): ``.venv/bin/python bench/mutaties.py``. It is the
proof behind "breaking the simulator's check turns its scenario red" for a sample of the
catalogue in docs/foutcodes.md; the scenarios themselves run in the test suite.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTATIONS = [  # (what breaks, file, text, replacement)
    ("UUID-controle weg", "simulators/receiver.py", "            _check_uuids(sg)\n", ""),
    ("ISD-code StUF013→IB213 weg", "simulators/stuf/isd.py", '    "StUF013": "IB213",', ""),
    ("stuurtekens in bestandsnamen toegestaan", "simulators/ggk/uploads.py",
     'if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):', "if False:"),
    ("autorisatie bij RINIS weg", "simulators/rinis/backend.py",
     '        if sg.functie not in self.mappen["inbox"]:', "        if False:"),
    ("StUF016 wordt een Bv03", "simulators/receiver.py",
     '                if seen["sha256"] == digest:', "                if True:"),
    ("IB103-blokkade genegeerd", "simulators/receiver.py",
     "            if sg.functie and self.geblokkeerd(sg.functie):", "            if False:"),
]


def main() -> int:
    pytest = Path(sys.executable).with_name("pytest")
    ok = True
    for naam, pad, oud, nieuw in MUTATIONS:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / "tree"
            tree.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"],
                                     capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
            target = tree / pad
            text = target.read_text(encoding="utf-8")
            if oud not in text:
                print(f"## {naam}: de te breken tekst staat niet (meer) in {pad}")
                ok = False
                continue
            target.write_text(text.replace(oud, nieuw, 1), encoding="utf-8")
            env = os.environ | {"KETENTEST_FEATURES": "foutafhandeling"}
            run = subprocess.run([str(pytest), "-q", "-p", "no:allure_pytest", "tests/test_features.py"],
                                 cwd=tree, capture_output=True, text=True, env=env)
            rood = re.findall(r"FAILED tests/test_features.py::(\S+)", run.stdout)
            print(f"## {naam}: {len(rood)} scenario's rood")
            for test in rood:
                print(f"   {test[:150]}")
            ok &= bool(rood)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
