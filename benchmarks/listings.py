"""Time the contract's listings — what `dutygraph duties|laws|tasks|members|validate` waits for, where
a library query is one of its parts (`duties` also asks `legal-bases` for the duties it found).

    python benchmarks/listings.py /tmp/dutygraph-bench/n3200 [OTHER_WORKSPACE…] [--place CODE] [--rounds 2]
                                  [--ignore FIELD…] [--out FILE]

Each listing runs in a new process per round and workspace, asked twice with no answer kept
(``cache=False``): the second time is the one given (the store's caches warm and its worker processes
started, as for every question after a session's first). Several workspaces — the same graph with
another ``queries/`` — are asked in turn within each round, so a machine that slows down slows them
alike; their answers must be the same (but for the fields ``--ignore`` names, such as one a version
adds), or the script stops.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LISTINGS = {   # the listings a researcher asks of the country, with the parameters the suite uses
    "duties (one theme)": ("duties", {"theme": ["anti-trafficking"]}),
    "duties (one unit type)": ("duties", {"agency_type": ["civil-affairs"]}),
    "duties (one target group)": ("duties", {"target_group": ["children"]}),
    "laws": ("laws", {}),
    "validate (warnings)": ("validate", {"severity": "Warning"}),
}

CHILD = r"""
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from dutygraph import Workspace
ws = Workspace(sys.argv[2], cache=False)
method, params, ignore = json.loads(sys.argv[3])
getattr(ws, method)(**params)
t = time.perf_counter()
rows = getattr(ws, method)(**params)
s = time.perf_counter() - t
rows = [{k: v for k, v in r.items() if k not in ignore} for r in rows]
print(json.dumps([s, len(rows), hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]]))
"""


def place_listings(place: str) -> dict[str, tuple[str, dict]]:
    return {"duties (one place)": ("duties", {"jurisdiction": [place]}),
            "tasks (one place)": ("tasks", {"jurisdiction": [place]}),
            "members (one place)": ("members", {"jurisdiction": [place]}),
            "laws (one place)": ("laws", {"jurisdiction": [place]})}


def ask(workspace: str, method: str, params: dict, ignore=()) -> tuple[float, int, str]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "src"), workspace, json.dumps([method, params, list(ignore)])],
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{method} {params} on {workspace}: {out.stderr.strip().splitlines()[-1]}")
    seconds, rows, digest = json.loads(out.stdout)
    return seconds, rows, digest


def timings(workspaces: list[str], rounds: int, listings: dict, ignore=()) -> dict:
    result = {}
    for label, (method, params) in listings.items():
        seconds = {w: [] for w in workspaces}
        answers = set()
        for _ in range(rounds):
            for w in workspaces:
                s, rows, digest = ask(w, method, params, ignore)
                seconds[w].append(round(s, 3))
                answers.add((rows, digest))
        if len(answers) > 1:
            raise SystemExit(f"{label}: the workspaces answer differently {sorted(answers)}")
        (rows, digest), = answers
        result[label] = {"rows": rows, "sha256": digest, "seconds": seconds}
        print(label, rows, json.dumps(seconds), flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspaces", nargs="+")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--place", help="also ask about this place (a code or name)")
    ap.add_argument("--only", nargs="+", metavar="LABEL", help="only these listings")
    ap.add_argument("--ignore", nargs="+", default=[], metavar="FIELD", help="fields left out when the answers are compared")
    ap.add_argument("--out", help="write the timings here as JSON")
    a = ap.parse_args()
    listings = {**LISTINGS, **(place_listings(a.place) if a.place else {})}
    if a.only:
        listings = {k: v for k, v in listings.items() if k in a.only}
    result = {"workspaces": a.workspaces, "rounds": a.rounds, "place": a.place,
              "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "ignored": a.ignore, "listings": timings(a.workspaces, a.rounds, listings, a.ignore)}
    if a.out:
        Path(a.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
