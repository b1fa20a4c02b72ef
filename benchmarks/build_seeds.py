#!/usr/bin/env python3
"""Time `dutygraph build` on the seed corpus (a fresh copy each run), and the read commands.

usage: python benchmarks/build_seeds.py [--runs 3]
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dutygraph import Workspace  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=3)
a = p.parse_args()

builds, reads = [], {}
for _ in range(a.runs):
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("corpus", "ontology", "queries"):
            shutil.copytree(ROOT / name, Path(tmp) / name)
        ws = Workspace(tmp)
        t = time.perf_counter()
        summary = ws.build()
        builds.append(time.perf_counter() - t)
        for cmd in ("duties", "tasks", "members", "laws", "validate"):
            t = time.perf_counter()
            getattr(Workspace(tmp), cmd)()   # a new workspace: includes loading the graph
            reads.setdefault(cmd, []).append(time.perf_counter() - t)
print(f"build of {summary.documents} documents, {summary.triples} triples: "
      f"median {statistics.median(builds):.2f} s over {a.runs} runs (min {min(builds):.2f}, max {max(builds):.2f})")
for cmd, ts in reads.items():
    print(f"{cmd:9s} (load graph + query): median {statistics.median(ts) * 1000:.0f} ms")
