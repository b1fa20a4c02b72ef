"""What the embedded store costs per row: reading a property in order, decoding a term of the
answer, looking a pattern up row by row. The national listings' times follow from these figures.

    python benchmarks/store_costs.py /tmp/dutygraph-bench/n3200
    python benchmarks/store_costs.py /tmp/dutygraph-bench/n3200 --listings
    python benchmarks/store_costs.py /tmp/dutygraph-bench/n3200 --listings "laws" "gap-facts"
    python benchmarks/store_costs.py /tmp/dutygraph-bench/n3200 --listings --out benchmarks/results/store-costs-3200.json

Each query runs three times on the workspace's store (graph/store/, read-only), the best run kept.
Over the legal mentions (one row each): read = COUNT of ``?m dg:refersTo ?law``; decode = the
same rows returned (two terms a row: the mention and the law); lookup = one OPTIONAL of one
pattern a row (the mention's span, then its selectors), counted.

``--listings`` splits each library query of scale.py's suite named (by default those over 2 s at
3,200 jurisdictions) into finding its rows — the query counted, ``SELECT (COUNT(*) ...) WHERE {
the query }`` — and writing them: the query's answer as SPARQL TSV (what the embedded store reads,
its final ORDER BY left to Python as the store does), less the finding. Writing is the terms of
the answer decoded, so it is a floor for any query that gives the same answer on this store; on
two cores, with the answer written in two parts at once, half of it. ``--out`` writes the figures
as JSON (with both modes: the store's costs, then the listings').
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # noqa: E402
from scale import timed  # noqa: E402

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


# the suite's listings over 2 s at 3,200 jurisdictions the first time (0.35's run)
SLOW_AT_3200 = ["duties (one target group)", "gap-facts", "holders-not-members", "duties-without-basis",
                "laws", "laws-by-unit"]


def best(run) -> tuple[float, object]:
    """The quickest of three runs of ``run`` (scale.py's timer), and what the last run returned."""
    runs = [timed(run) for _ in range(3)]
    return min(seconds for seconds, _ in runs), runs[-1][1]


def answer(store, query: str):
    """A run of the query on the store: its answer written as SPARQL TSV."""
    return lambda: store.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)


def counted(query: str) -> str:
    """The query's rows counted: its prologue, then ``SELECT (COUNT(*) AS ?n) WHERE { query }``."""
    at = re.search(r"^SELECT\b", query, re.MULTILINE).start()
    return f"{query[:at]}SELECT (COUNT(*) AS ?n) WHERE {{\n{query[at:]}\n}}"


def listing_costs(workspace: Path, labels: list[str]) -> dict[str, dict]:
    """Each listing's rows and seconds to find them and to find and write them (see the module's
    docstring), printed as a table's rows as they come."""
    from dutygraph import Workspace
    from dutygraph.store import final_order

    unknown = [label for label in labels if label not in scale.QUERIES]
    if unknown:
        raise SystemExit(f"not in scale.py's suite: {', '.join(unknown)} (it has: {', '.join(scale.QUERIES)})")
    place = scale.first_place(workspace)[0]
    ws = Workspace(workspace)
    store = ws.store.store
    print("| query | rows | found (COUNT) | found and written (TSV) | written |")
    print("|---|---|---|---|---|")
    out = {}
    for label in labels:
        name, params = scale.QUERIES[label]
        body, _keys = final_order(ws.query_text(ws.library[name], scale.asked(params, place)))
        found, data = best(answer(store, counted(body)))
        n = int(data.split(b"\n")[1])
        both, data = best(answer(store, body))
        rows = data.count(b"\n") - 1
        if rows != n:
            raise SystemExit(f"{label}: {n} rows counted but {rows} written")
        print(f"| {label} | {rows:,} | {found:.2f} | {both:.2f} | {both - found:.2f} |", flush=True)
        out[label] = {"rows": rows, "found_s": round(found, 2), "found_and_written_s": round(both, 2),
                      "written_s": round(both - found, 2)}
    return out


def unit_costs(workspace: Path) -> dict[str, float]:
    """The store's cost of a row read in order, a term decoded and a lookup, in µs, over the legal
    mentions, printed as they come."""
    store = ox.Store.read_only(str(workspace / "graph" / "store"))
    n = int(next(iter(store.query(PREFIX + QUERIES["read"], use_default_graph_as_union=True)))[0].value)
    t = {name: best(lambda q=q: sum(1 for _row in store.query(PREFIX + q, use_default_graph_as_union=True)))[0]
         for name, q in QUERIES.items()}
    costs = {"legal_mentions": n,
             "read_in_order_us": t["read"] / n * 1e6,
             "decode_a_term_us": (t["decode"] - t["read"]) / (2 * n) * 1e6,
             "one_lookup_us": (t["lookup 1"] - t["read"]) / n * 1e6,
             "three_lookups_us": (t["lookup 3"] - t["read"]) / n * 1e6}
    print(f"{n} legal mentions")
    print(f"read in order     {costs['read_in_order_us']:6.1f} µs a row")
    print(f"decode a term     {costs['decode_a_term_us']:6.1f} µs")
    print(f"one lookup        {costs['one_lookup_us']:6.1f} µs")
    print(f"three lookups     {costs['three_lookups_us']:6.1f} µs (a span, its source, its two selectors)")
    return {k: (v if k == "legal_mentions" else round(v, 1)) for k, v in costs.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace", type=Path)
    ap.add_argument("--listings", nargs="*", metavar="LABEL",
                    help="split these queries of scale.py's suite into finding and writing their rows "
                         "(none named: those over 2 s at 3,200 jurisdictions)")
    ap.add_argument("--out", type=Path, help="also write the figures here as JSON")
    a = ap.parse_args()
    result = {"workspace": str(a.workspace), "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "pyoxigraph": ox.__version__, "store": unit_costs(a.workspace)}
    if a.listings is not None:
        result["listings"] = listing_costs(a.workspace, a.listings or SLOW_AT_3200)
    if a.out:
        a.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
