"""Precision and recall of the theme tagger against a hand-checked sample (tests/eval/themes-gold.yaml)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from .errors import DutygraphError

SPACE = re.compile(r"\s+")


def theme_scores(ws, gold_path: Path) -> dict:
    gold = yaml.safe_load(Path(gold_path).read_text(encoding="utf-8"))
    by_start = {(r["source"], r["start"]): r for r in ws.duties()}
    tp, fp, fn = Counter(), Counter(), Counter()
    for item in gold:
        row = by_start.get((item["source"], item["start"]))
        if row is None or not SPACE.sub("", row["text"]).startswith(item["quote"]):
            raise DutygraphError(f"gold item {item['source']}:{item['start']} ({item['quote']}) matches no statement any more")
        want, got = set(item["themes"]), set(row["themes"])
        for t in got & want:
            tp[t] += 1
        for t in got - want:
            fp[t] += 1
        for t in want - got:
            fn[t] += 1
    rows = []
    for t in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else None
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else None
        rows.append({"theme": t, "tp": tp[t], "fp": fp[t], "fn": fn[t],
                     "precision": None if p is None else round(p, 2), "recall": None if r is None else round(r, 2)})
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro = {"statements": len(gold), "tp": T, "fp": F, "fn": N,
             "precision": round(T / (T + F), 3) if T + F else 0.0, "recall": round(T / (T + N), 3) if T + N else 0.0}
    return {"per_theme": rows, "micro": micro}
