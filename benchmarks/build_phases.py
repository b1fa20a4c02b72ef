"""Time a build phase by phase: where a national build spends its time.

    python benchmarks/build_phases.py /tmp/dutygraph-bench/n3200

Runs ``dutygraph.build`` on the workspace (its graph/ is replaced) and prints, on stderr, the
seconds since the start at each step: the end of the documents' phase (the store's child told where
the head ends), the cross-document shapes, the digest, and the store's finish: waiting for the child
to load the head, the findings loaded, the store optimised. The progress line of the build shows
the documents' rate on the way.
"""
from __future__ import annotations

import functools
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dutygraph import build as B  # noqa: E402

T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"{time.perf_counter() - T0:8.1f}s {msg}", file=sys.stderr, flush=True)


def timed(owner, name: str) -> None:
    f = getattr(owner, name)

    @functools.wraps(f)
    def step(*a, **k):
        t = time.perf_counter()
        log(f"{name} starts")
        result = f(*a, **k)
        log(f"{name} took {time.perf_counter() - t:.1f}s")
        return result

    setattr(owner, name, step)


def main() -> None:
    workspace = Path(sys.argv[1])
    for name in ("_shared_findings", "_digest"):
        timed(B, name)
    for name in ("head_end", "finish", "_wait_child", "_load_rest", "_optimise"):
        timed(B.StoreLoader, name)
    shutil.rmtree(workspace / "graph", ignore_errors=True)
    summary = B.build(workspace)
    log("done: " + " | ".join(summary.lines()))


if __name__ == "__main__":
    main()
