"""Time the build's worker on the documents of a workspace, one process: milliseconds a document.

    python benchmarks/worker_time.py /tmp/dutygraph-bench/n1000 [COUNT]

Reads, extracts, writes, checks (SHACL and offsets) and renders the first COUNT documents (300 by
default) after 20 to warm the caches, as a build's worker does; nothing is written to disk. Run it
with an older checkout's ``src`` first on ``PYTHONPATH`` to compare releases. Also says the share of
the time Python's cyclic collector took (6-9% of a worker's time before 0.17 tuned it, under 1% after).
"""
from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

from dutygraph import build, corpus, vocab


def main() -> None:
    workspace = Path(sys.argv[1]).resolve()
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    build._init(str(workspace), str(vocab.ontology_dir(workspace)))
    paths = corpus.document_paths(workspace)[:count]
    for p in paths[:20]:
        build._document(str(p))
    collecting = {"s": 0.0, "since": 0.0}

    def collector(phase: str, _info: dict) -> None:   # the time Python's cyclic collector takes
        if phase == "start":
            collecting["since"] = time.perf_counter()
        else:
            collecting["s"] += time.perf_counter() - collecting["since"]

    gc.callbacks.append(collector)
    started = time.perf_counter()
    for p in paths:
        build._document(str(p))
    took = time.perf_counter() - started
    print(f"{took / len(paths) * 1000:.1f} ms a document ({len(paths)} documents), "
          f"{collecting['s'] / took:.1%} of it in Python's cyclic collector")


if __name__ == "__main__":
    main()
