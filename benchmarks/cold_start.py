"""The first query after the machine starts: the embedded store's files are not yet in the
operating system's page cache, so the store reads them from disk as it goes, a block at a time.
For each query: its time in a new process with the page cache emptied (cold), the same query
again in that process (warm, as scale.py times it), and its time in a new process after the
store's files were read once from start to end (``cat graph/store/* > /dev/null``), with that
reading's own time.

    sudo python benchmarks/cold_start.py /tmp/dutygraph-bench/n3200 [--only LABEL ...]

It empties the page cache (``/proc/sys/vm/drop_caches``), so it needs root and slows the whole
machine for a while. Parameters are those of ``scale.py``'s suite; one place is its first place.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import QUERIES, asked, first_place, timed, write_results  # noqa: E402

from dutygraph.build import STORE_DIR  # noqa: E402

DEFAULT = ["duties (one place)", "laws (one place)", "jurisdictions", "theme-counts", "laws"]
DROP = Path("/proc/sys/vm/drop_caches")


def drop_page_cache() -> None:
    """Write dirty pages out, then let the kernel forget every cached file page."""
    os.sync()
    DROP.write_text("3\n")


def read_store(store_dir: Path) -> float:
    """Read every file of the store once, front to back, as ``cat`` would; its time."""
    buf = bytearray(1 << 20)
    t = time.perf_counter()
    for path in sorted(store_dir.iterdir()):
        if path.is_file():
            with open(path, "rb", buffering=0) as f:
                while f.readinto(buf):
                    pass
    return time.perf_counter() - t


def _child(workdir: str, name: str, params: dict, runs: int, out) -> None:
    from dutygraph import Workspace

    ws = Workspace(workdir, cache=False)   # the store timed, not the answers it kept
    times = [timed(ws.run, name, **params) for _run in range(runs)]
    out.put(([round(s, 3) for s, _rows in times], len(times[0][1])))


def in_new_process(workdir: Path, name: str, params: dict, runs: int) -> tuple[list[float], int]:
    """The query's times in a fresh interpreter (the store opened there, as a command opens it)."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    p = ctx.Process(target=_child, args=(str(workdir), name, params, runs, out))
    p.start()
    while True:
        try:
            result = out.get(timeout=1)
            break
        except queue.Empty:
            if not p.is_alive():
                raise SystemExit(f"cold_start.py: query {name} failed in its process (exit status {p.exitcode})") from None
    p.join()
    return result


def measure(workdir: Path, label: str, place: str) -> dict:
    name, params = QUERIES[label]
    params = asked(params, place)
    drop_page_cache()
    (cold, warm), rows = in_new_process(workdir, name, params, runs=2)
    drop_page_cache()
    read_s = read_store(workdir / "graph" / STORE_DIR)
    (after_read,), _rows = in_new_process(workdir, name, params, runs=1)
    return {"rows": rows, "cold_s": cold, "warm_s": warm, "store_read_s": round(read_s, 1), "after_read_s": after_read}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace", type=Path)
    ap.add_argument("--only", nargs="+", metavar="LABEL", default=DEFAULT, help="the queries (labels as in scale.py)")
    ap.add_argument("--out", type=Path, help="write the figures to this JSON file")
    a = ap.parse_args()
    if not os.access(DROP, os.W_OK):
        raise SystemExit(f"cold_start.py: cannot write {DROP}: run it as root (it empties the page cache)")
    unknown = [label for label in a.only if label not in QUERIES]
    if unknown:
        raise SystemExit(f"cold_start.py: unknown query label {unknown[0]!r} (see QUERIES in scale.py)")
    store_dir = a.workspace / "graph" / STORE_DIR
    if not store_dir.is_dir():
        raise SystemExit(f"cold_start.py: no store in {store_dir.parent}: run 'dutygraph build --workspace {a.workspace}' first")
    place, _iri = first_place(a.workspace)
    figures = {}
    print(f"{'query':<22} {'rows':>7} {'cold':>8} {'warm':>8} {'store read':>11} {'after read':>11}")
    for label in a.only:
        f = figures[label] = measure(a.workspace, label, place)
        print(f"{label:<22} {f['rows']:>7} {f['cold_s']:>8} {f['warm_s']:>8} {f['store_read_s']:>11} {f['after_read_s']:>11}",
              flush=True)
    if a.out:
        store_bytes = sum(f.stat().st_size for f in store_dir.iterdir() if f.is_file())
        write_results(a.out, {"workspace": str(a.workspace), "store_gib": round(store_bytes / 2**30, 2),
                              "place": place, "queries": figures})


if __name__ == "__main__":
    main()
