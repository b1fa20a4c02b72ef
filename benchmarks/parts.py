"""Time the queries written in parts three ways, in turn, in one process: answered whole, in parts
on threads (0.21's way), and in parts each answered by a worker process that keeps the store open
(0.22's way, ``store.Workers``).

    python benchmarks/parts.py /tmp/dutygraph-bench/n3200 [--rounds 3] [--place CODE] [--out FILE]

The three ways alternate within each round, so a machine that slows down during the run slows all
of them alike. No answer is kept (``cache=False``); each way asks the query once before it is timed
(the store's caches warm, the worker processes started, as for every question after a session's
first). ``--place CODE`` adds the same questions about one place, whose answers are small.
Each way must give the same rows, or the script stops.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

ASKS = {   # the suite's national queries written in parts (labels as in scale.py)
    "duties (one theme)": ("duties", {"theme": ["anti-trafficking"]}),
    "duties (one unit type)": ("duties", {"unit_type": ["civil-affairs"]}),
    "duties (one target group)": ("duties", {"target_group": ["children"]}),
    "duties-without-basis": ("duties-without-basis", {}),
    "validation (warnings)": ("validation", {"only": ["Warning"]}),
    "laws": ("laws", {}),
}


def place_asks(place: str) -> dict[str, tuple[str, dict]]:
    """The same kind of questions about one place: small answers, where starting a process would show."""
    return {"duties (one place)": ("duties", {"place": [place]}),
            "duties-without-basis (one place)": ("duties-without-basis", {"place": [place]}),
            "laws (one place)": ("laws", {"place": [place]})}


def timings(workspace: str, rounds: int, asks: dict[str, tuple[str, dict]]) -> dict[str, dict[str, list[float]]]:
    from dutygraph import Workspace
    import dutygraph.store as store

    answer = store.Workers.answer
    ways = {"whole": (1, answer), "threads": (None, lambda *_: None), "processes": (None, answer)}
    out: dict[str, dict[str, list[float]]] = {}
    for label, (name, params) in asks.items():
        out[label] = {way: [] for way in ways}
        spaces = {way: Workspace(workspace, threads=threads, cache=False) for way, (threads, _) in ways.items()}
        expected = spaces["whole"].run(name, **params)   # the store's caches warmed
        for way, ws in spaces.items():
            ws.run(name, **params)   # the workers started, as for every question after a session's first
        for _ in range(rounds):
            for way, (_threads, parts) in ways.items():
                store.Workers.answer = parts   # one that gives None: the parts are answered on threads
                t = time.perf_counter()
                rows = spaces[way].run(name, **params)
                out[label][way].append(round(time.perf_counter() - t, 3))
                store.Workers.answer = answer
                if rows != expected:
                    raise SystemExit(f"{label}: answered {way}, the rows differ")
        print(label, json.dumps(out[label]), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--place", help="also ask about this place (a code or name), beside the country")
    ap.add_argument("--out", help="write the timings here as JSON")
    a = ap.parse_args()
    asks = {**ASKS, **(place_asks(a.place) if a.place else {})}
    result = {"workspace": a.workspace, "rounds": a.rounds, "place": a.place,
              "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "seconds": timings(a.workspace, a.rounds, asks)}
    if a.out:
        Path(a.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
