"""Time the national queries written in parts three ways, in turn, in one process: answered whole,
in parts on threads (0.21's way), and in parts each in a process of its own (0.22's way).

    python benchmarks/parts.py /tmp/dutygraph-bench/n3200 [--rounds 3] [--out FILE]

The three ways alternate within each round, so a machine that slows down during the run slows all
of them alike. No answer is kept (``cache=False``); each query is asked once before it is timed.
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
}


def timings(workspace: str, rounds: int) -> dict[str, dict[str, list[float]]]:
    from dutygraph import Workspace
    import dutygraph.store as store

    in_processes = store._in_processes
    ways = {"whole": (1, in_processes), "threads": (None, lambda *_: None), "processes": (None, in_processes)}
    out: dict[str, dict[str, list[float]]] = {}
    for label, (name, params) in ASKS.items():
        out[label] = {way: [] for way in ways}
        expected = Workspace(workspace, cache=False).run(name, **params)   # and the store's caches warmed
        for _ in range(rounds):
            for way, (threads, parts) in ways.items():
                store._in_processes = parts   # one that gives None: the parts are answered on threads
                ws = Workspace(workspace, threads=threads, cache=False)
                t = time.perf_counter()
                rows = ws.run(name, **params)
                out[label][way].append(round(time.perf_counter() - t, 2))
                if rows != expected:
                    raise SystemExit(f"{label}: answered {way}, the rows differ")
        store._in_processes = in_processes
        print(label, json.dumps(out[label]), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", help="write the timings here as JSON")
    a = ap.parse_args()
    result = {"workspace": a.workspace, "rounds": a.rounds, "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "seconds": timings(a.workspace, a.rounds)}
    if a.out:
        Path(a.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
