"""Time `gaps` on a built workspace: for the country and for places, with the gaps each finds.

    python benchmarks/gaps_time.py /tmp/dutygraph-bench/n3200 三亚市 中山市 [--country] [--again] [--out FILE]

Each place runs in a new process (nothing cached between them), as `dutygraph gaps --jurisdiction`
would; the line printed per place gives the seconds, the gaps found and the duties without a unit
among them (since 0.19 their suggestions are the build's, read for the place) and the SHA-256 of
the gaps as JSON (to compare two versions' answers). The store is asked
every time (no answer kept); with ``--again`` each place is then asked twice more in new processes
where answers are kept (graph/answers/ emptied first): the first of these keeps the answers that
took a second or more, the second reads them back (``again_s``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _one(workspace: str, place: str | None, out, cache: bool = False) -> None:
    from dutygraph import Workspace
    from dutygraph.analysis import gaps

    ws = Workspace(workspace, cache=cache)
    t = time.perf_counter()
    found = gaps(ws, [place] if place else [])
    seconds = round(time.perf_counter() - t, 1)
    digest = hashlib.sha256(json.dumps(found, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    out.put({"place": place or "the country", "seconds": seconds, "gaps": len(found),
             "unattributed": sum(g["kind"] == "unattributed-duty" for g in found), "sha256": digest[:16]})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace")
    ap.add_argument("places", nargs="*")
    ap.add_argument("--country", action="store_true", help="also time the whole country's gaps")
    ap.add_argument("--again", action="store_true", help="also time each asked again where answers are kept")
    ap.add_argument("--out", help="also write the lines as one JSON list here")
    a = ap.parse_args()
    lines = []
    for place in a.places + ([None] if a.country else []):
        found = in_new_process(a.workspace, place, cache=False)
        if a.again:
            shutil.rmtree(Path(a.workspace, "graph", "answers"), ignore_errors=True)
            found["first_kept_s"] = in_new_process(a.workspace, place, cache=True)["seconds"]
            again = in_new_process(a.workspace, place, cache=True)
            if again["gaps"] != found["gaps"]:
                raise SystemExit(f"{found['place']}: {again['gaps']} gaps asked again, {found['gaps']} from the store")
            found["again_s"] = again["seconds"]
        print(json.dumps(found, ensure_ascii=False), flush=True)
        lines.append(found)
    if a.out:
        Path(a.out).write_text(json.dumps({"at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "gaps": lines},
                                          indent=2, ensure_ascii=False) + "\n")


def in_new_process(workspace: str, place: str | None, cache: bool) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_one, args=(workspace, place, q, cache))
    p.start()
    found = q.get()
    p.join()
    return found


if __name__ == "__main__":
    main()
