"""The repository itself: its committed graph is what the build writes from its corpus, and the
corpus holds the seed documents byte for byte."""
from pathlib import Path

import pytest

from dutygraph import Workspace

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def test_committed_graph_is_up_to_date():
    summary = Workspace(ROOT).build(check=True)
    assert not summary.changed, "graph/dutygraph.trig is stale: run 'dutygraph build' and commit graph/"


def test_corpus_holds_the_seeds_byte_for_byte():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for seed in sorted(SEEDS.glob("*.txt")):
        assert (ROOT / "corpus" / seed.name).read_bytes() == seed.read_bytes()
