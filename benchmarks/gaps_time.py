"""Time `gaps` on a built workspace: for the country and for places, with the gaps each finds.

    python benchmarks/gaps_time.py /tmp/dutygraph-bench/n3200 三亚市 中山市 [--country]

Each place runs in a new process (nothing cached between them), as `dutygraph gaps --jurisdiction`
would; the line printed per place gives the seconds, the gaps found and the duties without a unit
among them (since 0.19 their suggestions are the build's, read for the place).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _one(workspace: str, place: str | None, out) -> None:
    from dutygraph import Workspace
    from dutygraph.analysis import gaps

    ws = Workspace(workspace)
    t = time.perf_counter()
    found = gaps(ws, [place] if place else [])
    out.put({"place": place or "the country", "seconds": round(time.perf_counter() - t, 1), "gaps": len(found),
             "unattributed": sum(g["kind"] == "unattributed-duty" for g in found)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace")
    ap.add_argument("places", nargs="*")
    ap.add_argument("--country", action="store_true", help="also time the whole country's gaps")
    a = ap.parse_args()
    ctx = mp.get_context("spawn")
    for place in a.places + ([None] if a.country else []):
        q = ctx.Queue()
        p = ctx.Process(target=_one, args=(a.workspace, place, q))
        p.start()
        print(json.dumps(q.get(), ensure_ascii=False), flush=True)
        p.join()


if __name__ == "__main__":
    main()
