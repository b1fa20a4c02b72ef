"""Precision and recall of the theme tagger against a hand-checked sample (tests/eval/themes-gold.yaml)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from .errors import DutygraphError

SPACE = re.compile(r"\s+")
# how each field of a gold file reads; a field the file does not state is not scored (a synthetic
# document states no themes: its words are drawn at random)
GOLD = {"units": lambda v: {(u, t) for u, t in v}, "members": lambda v: {tuple(m) for m in v},
        "tasks": lambda v: {(n, tuple(lead), tuple(sup)) for n, lead, sup in v}, "themes": set}


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


# ---------------------------------------------------------------- the evaluation set of new documents
def _prf(pred: set, gold: set) -> tuple[int, int, int]:
    return len(pred & gold), len(pred - gold), len(gold - pred)


def evaluation_set(docs_dir: Path, workspace: Path) -> dict:
    """Ingest every document of the set into a fresh workspace (genres detected, not given), build,
    and score units (name and type), members (person, unit, post), tasks (number, leads, supports)
    and the themes each document's duties speak of, per genre: each where the gold states it."""
    import shutil

    from .api import Workspace
    from .ingest import ingest

    root = Path(__file__).resolve().parents[2]
    workspace = Path(workspace)
    for name in ("ontology", "queries"):
        if not (workspace / name).exists():
            shutil.copytree(root / name, workspace / name)
    ws = Workspace(workspace)
    golds = []
    for meta in sorted(Path(docs_dir).glob("*.yaml")):
        gold = yaml.safe_load(meta.read_text(encoding="utf-8"))
        r = ingest(ws, Path(docs_dir) / gold["file"], str(gold["jurisdiction"]), level=gold.get("level"), build=False)
        golds.append((gold, r["path"], r.get("genres", [])))
    ws.build()
    ws = Workspace(workspace)
    duties, members, tasks = ws.duties(), ws.members(), ws.tasks()
    scores: dict[str, dict[str, Counter]] = {}
    details = []
    for gold, path, genres in golds:
        mine = [d for d in duties if d["source"] == path]
        units = {(SPACE.sub("", d["agency"]), d["agency_type"]) for d in mine if d["agency"] and "/agency/" in (d["agency_iri"] or "")}
        mem = [m for m in members if m["source"] == path]
        units |= {(SPACE.sub("", m["agency"]), m["agency_type"]) for m in mem if m["agency"]}
        got = {
            "units": units,
            "members": {(m["person"], SPACE.sub("", m["agency"] or ""), m["post"]) for m in mem if m["person"]},
            "tasks": {(t["number"], tuple(t["lead"]), tuple(t["support"])) for t in tasks if t["source"] == path},
            "themes": {t for d in mine for t in d["themes"]},
        }
        want = {key: read(gold[key]) for key, read in GOLD.items() if key in gold}
        per = scores.setdefault(gold["genre"], {})
        for key in want:
            c = per.setdefault(key, Counter())
            tp, fp, fn = _prf(got[key], want[key])
            c.update({"tp": tp, "fp": fp, "fn": fn})
        stated = want.get("units", got["units"])
        details.append({"file": gold["file"], "genre": gold["genre"], "detected": genres,
                        "missed_units": sorted(map(str, stated - got["units"])),
                        "extra_units": sorted(map(str, got["units"] - stated))})
    rows = []
    totals: dict[str, Counter] = {}
    for genre in sorted(scores):
        for key, c in scores[genre].items():
            totals.setdefault(key, Counter()).update(c)
            rows.append(_score_row(genre, key, c))
    rows += [_score_row("all", key, c) for key, c in totals.items()]
    return {"rows": rows, "details": details, "documents": len(golds)}


def _score_row(genre: str, key: str, c: Counter) -> dict:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {"genre": genre, "what": key, "tp": tp, "fp": fp, "fn": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None}
