"""What reading a large answer costs in Python, beside the store's own time. For each national
listing: the store writing its answer as SPARQL TSV; that TSV read into rows and sorted, as the
embedded store does (Python alone, on the bytes already written); and, for comparison, the same
rows read the way the store read them before 0.15 (each term asked of pyoxigraph, the store's own
time included, since pyoxigraph decodes while it iterates).

    python benchmarks/row_reading.py /tmp/dutygraph-bench/n3200 [--memory] [--only LABEL ...]

Each measure runs three times in one process, the best kept; ``--memory`` loads the graph into
memory first (``Workspace(memory=True)``). The parameters are those of ``scale.py``'s suite.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import QUERIES, asked, first_place, timed  # noqa: E402

LISTINGS = ["duties (one theme)", "units-sharing-theme", "agency-type-duties", "laws", "laws-by-unit",
            "theme-counts", "unit-names", "gap-facts"]


def best(fn) -> float:
    """The quickest of three runs (scale.py's timer)."""
    return min(timed(fn)[0] for _run in range(3))


def measure(ws, label: str, place: str) -> dict:
    import pyoxigraph as ox

    from dutygraph.store import final_order

    name, params = QUERIES[label]
    body, keys = final_order(ws.query_text(ws.library[name], asked(params, place)))   # the store sorts in Python
    local = ws.store

    def solutions():
        return local.store.query(body, use_default_graph_as_union=True)

    first = solutions()
    names = [v.value for v in first.variables]
    written = first.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").partition("\n")[2]   # the rows, read again without the store

    rows = local._rows(written, names, keys)
    if rows != rows_term_by_term(solutions(), names, keys):
        raise SystemExit(f"{label}: the two ways read different rows")
    return {"rows": len(rows),
            "answer_s": best(lambda: solutions().serialize(format=ox.QueryResultsFormat.TSV)),
            "read_s": best(lambda: local._rows(written, names, keys)),
            "before_s": best(lambda: rows_term_by_term(solutions(), names, keys))}


def rows_term_by_term(solutions, names: list[str], keys: list[tuple[str, bool]]) -> list[dict]:
    """The rows as the embedded store read them before 0.15: each term asked of pyoxigraph (a Python
    object per cell), converted once per distinct term, a sort key per row and column, one sort per key."""
    import pyoxigraph as ox

    from dutygraph.store import RDF_LANG_STRING, XSD, order_key, python_value

    def described(term):
        if term is None:
            return "", None, "", ""
        if isinstance(term, ox.BlankNode):
            return "bnode", term.value, "", ""
        if isinstance(term, ox.NamedNode):
            return "iri", term.value, "", ""
        datatype = term.datatype.value if term.datatype else (RDF_LANG_STRING if term.language else XSD + "string")
        return "literal", term.value, datatype, term.language or ""

    values, ranks, rows, sort_keys = {}, {}, [], []
    at = [names.index(v) for v, _desc in keys]
    for sol in solutions:
        terms = [sol[i] for i in range(len(names))]
        row = {}
        for name, term in zip(names, terms):
            if term not in values:
                kind, value, datatype, _language = described(term)
                values[term] = python_value(value, datatype) if kind == "literal" else value
            row[name] = values[term]
        rows.append(row)
        if at:
            for i in at:
                if terms[i] not in ranks:
                    ranks[terms[i]] = order_key(*described(terms[i]))
            sort_keys.append([ranks[terms[i]] for i in at])
    order = list(range(len(rows)))
    for k in reversed(range(len(keys))):
        order.sort(key=[key[k] for key in sort_keys].__getitem__, reverse=keys[k][1])
    return [rows[i] for i in order]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workspace")
    ap.add_argument("--memory", action="store_true", help="load the graph into memory first")
    ap.add_argument("--only", nargs="+", metavar="LABEL", default=LISTINGS)
    a = ap.parse_args()
    from dutygraph import Workspace

    ws = Workspace(a.workspace, memory=a.memory)
    place = first_place(Path(a.workspace))[0]
    print("| query (rows) | store's answer as TSV | TSV read into sorted rows | both (0.15) | each term asked, then rows and sort (0.14) |")
    print("|---|---|---|---|---|")
    for label in a.only:
        m = measure(ws, label, place)
        print(f"| {label} ({m['rows']:,}) | {m['answer_s']:.2f} | {m['read_s']:.2f} | "
              f"{m['answer_s'] + m['read_s']:.2f} | {m['before_s']:.2f} |", flush=True)

if __name__ == "__main__":
    main()
