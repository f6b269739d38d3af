"""The pack's wording is our own: no run of 8 or more words is shared with the physicians'
answers it takes its facts from (../shared/seeds/, beside the project)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.consult.content.quality import patient_texts

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RUN = 8


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower().replace("’", "'").replace("'", "")).split()


def runs(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


def test_the_check_finds_a_copied_run():
    seed = "the effects only last approximately three to six months in most people"
    assert runs(seed) & runs("Doctors say: The effects only last approximately three to six "
                             "months, in most people!")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside the project")
def test_no_eight_word_run_is_shared_with_the_seeds(pack):
    seed_runs: set[tuple[str, ...]] = set()
    for path in sorted(SEEDS.glob("*.txt")):
        seed_runs |= runs(path.read_text(encoding="utf-8"))
    assert seed_runs
    texts = [t.text for t in patient_texts(pack)]
    texts += [f.question for f in pack.faqs] + [r.title for r in pack.risks]
    shared = {" ".join(r) for t in texts for r in runs(t) & seed_runs}
    assert shared == set()
