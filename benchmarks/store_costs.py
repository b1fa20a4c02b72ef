"""What the embedded store costs per row: reading a property in order, decoding a term of the
answer, looking a pattern up row by row. The national listings' times follow from these figures.

    python benchmarks/store_costs.py /tmp/dutygraph-bench/n3200

Each query runs three times on the workspace's store (graph/store/, read-only), the best run kept.
Over the legal mentions (one row each): read = COUNT of ``?m dg:refersTo ?law``; decode = the
same rows returned (two terms a row: the mention and the law); lookup = one OPTIONAL of one
pattern a row (the mention's span, then its selectors), counted.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pyoxigraph as ox

PREFIX = """PREFIX dg: <https://w3id.org/dutygraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
MENTIONS = "{ SELECT ?m ?law WHERE { ?m dg:refersTo ?law } }"
QUERIES = {
    "read": f"SELECT (COUNT(*) AS ?n) WHERE {{ {MENTIONS} }}",
    "decode": f"SELECT ?m ?law WHERE {{ {MENTIONS} }}",
    "lookup 1": f"SELECT (COUNT(?s) AS ?n) WHERE {{ {MENTIONS} OPTIONAL {{ ?m dg:span ?s }} }}",
    "lookup 3": f"SELECT (COUNT(?sel) AS ?n) WHERE {{ {MENTIONS} OPTIONAL {{ ?m dg:span ?s . OPTIONAL {{ ?s oa:hasSource ?d }} OPTIONAL {{ ?s oa:hasSelector ?sel }} }} }}",
}


def best(store, query: str) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(3):
        started = time.perf_counter()
        rows = sum(1 for _row in store.query(PREFIX + query, use_default_graph_as_union=True))
        times.append(time.perf_counter() - started)
    return min(times), rows


def main() -> None:
    store = ox.Store.read_only(str(Path(sys.argv[1]) / "graph" / "store"))
    n = int(next(iter(store.query(PREFIX + QUERIES["read"], use_default_graph_as_union=True)))[0].value)
    t = {name: best(store, q)[0] for name, q in QUERIES.items()}
    print(f"{n} legal mentions")
    print(f"read in order     {t['read'] / n * 1e6:6.1f} µs a row")
    print(f"decode a term     {(t['decode'] - t['read']) / (2 * n) * 1e6:6.1f} µs")
    print(f"one lookup        {(t['lookup 1'] - t['read']) / n * 1e6:6.1f} µs")
    print(f"three lookups     {(t['lookup 3'] - t['read']) / n * 1e6:6.1f} µs (a span, its source, its two selectors)")


if __name__ == "__main__":
    main()
