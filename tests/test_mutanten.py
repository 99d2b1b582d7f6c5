"""Every deliberate break of ``bench/mutaties.py`` still finds the text it replaces: a refactor
that moves that text would silently turn a mutant into a no-op the bench reports as an error."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("mutaties", ROOT / "bench" / "mutaties.py")
mutaties = importlib.util.module_from_spec(_spec)
sys.modules["mutaties"] = mutaties  # its dataclasses look their module up there
_spec.loader.exec_module(mutaties)


def test_mutants_at_least_forty_over_thirty_five_rules():
    assert len(mutaties.MUTANTEN) >= 40
    assert len({m.regel for m in mutaties.MUTANTEN}) >= 35


@pytest.mark.parametrize("mutant", mutaties.MUTANTEN, ids=lambda m: m.id)
def test_mutant_finds_the_text_it_breaks(mutant):
    source = (ROOT / mutant.pad).read_text(encoding="utf-8")
    assert mutant.oud in source, f"{mutant.id}: '{mutant.oud[:60]}' is no longer in {mutant.pad}"
    assert mutant.oud != mutant.nieuw
    regels = (ROOT / "docs" / "regels.md").read_text(encoding="utf-8")
    assert mutant.regel in regels, f"{mutant.id} names {mutant.regel}, which docs/regels.md lacks"
