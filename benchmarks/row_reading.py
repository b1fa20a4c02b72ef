"""What reading a large answer costs in Python, beside the store's own time: for each national
listing, the store writing its answer as SPARQL TSV, the embedded store's rows (that answer read
and sorted: ``LocalStore.select``), and, for comparison, the answer's terms asked of pyoxigraph
one cell at a time (the way the store read rows before 0.15).

    python benchmarks/row_reading.py /tmp/dutygraph-bench/n3200 [--memory] [--only LABEL ...]

Each measure runs three times in one process, the best kept; ``--memory`` loads the graph into
memory first (``Workspace(memory=True)``). The parameters are those of ``scale.py``'s suite.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import QUERIES, asked, first_place  # noqa: E402

LISTINGS = ["duties (one theme)", "units-sharing-theme", "agency-type-duties", "laws", "laws-by-unit",
            "theme-counts", "unit-names", "gap-facts"]


def best(fn) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(ws, label: str, place: str) -> dict:
    import pyoxigraph as ox

    from dutygraph.store import ORDER_BY

    name, params = QUERIES[label]
    text = ws.query_text(ws.library[name], asked(params, place))
    order = ORDER_BY.search(text)
    body = text[: order.start()] if order else text   # the store sorts in Python: Oxigraph is asked without
    store = ws.store.store

    def answer():
        return store.query(body, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)

    def terms():
        solutions = store.query(body, use_default_graph_as_union=True)
        width = len(solutions.variables)
        return [[s[i] for i in range(width)] for s in solutions]

    rows = ws.store.select(text)
    return {"rows": len(rows), "answer_s": best(answer), "select_s": best(lambda: ws.store.select(text)),
            "terms_s": best(terms)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace")
    ap.add_argument("--memory", action="store_true", help="load the graph into memory first")
    ap.add_argument("--only", nargs="+", metavar="LABEL", default=LISTINGS)
    a = ap.parse_args()
    from dutygraph import Workspace

    ws = Workspace(a.workspace, memory=a.memory)
    place = first_place(Path(a.workspace))[0]
    print("| query (rows) | store's answer (TSV) | rows read and sorted | reading | terms asked one by one |")
    print("|---|---|---|---|---|")
    for label in a.only:
        m = measure(ws, label, place)
        print(f"| {label} ({m['rows']:,}) | {m['answer_s']:.2f} | {m['select_s']:.2f} | "
              f"{m['select_s'] - m['answer_s']:.2f} | {m['terms_s']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
