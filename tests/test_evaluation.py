"""The theme tagger against the hand-checked sample: a floor that catches a regression."""
from pathlib import Path

from dutygraph.evaluation import theme_scores

GOLD = Path(__file__).parent / "eval" / "themes-gold.yaml"


def test_theme_tagging_quality_on_the_hand_checked_sample(seed_ws):
    scores = theme_scores(seed_ws, GOLD)
    assert scores["micro"]["statements"] == 60
    assert scores["micro"]["precision"] >= 0.85 and scores["micro"]["recall"] >= 0.85
    per = {r["theme"]: r for r in scores["per_theme"]}
    assert per["anti-trafficking"]["recall"] == 1.0
