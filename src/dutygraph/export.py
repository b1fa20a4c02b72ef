"""The graph in other formats: TriG as built; Turtle, N-Triples, RDF/XML and JSON-LD (the union of
the named graphs, JSON-LD keeping them as named graphs with the published context in
``ontology/context.jsonld``); CSV tables per kind (UTF-8 with BOM, for spreadsheets); GraphML of the
unit–theme–jurisdiction network for Gephi.
"""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from .build import atomic_file, write_atomic
from .errors import DutygraphError
from .namespaces import PREFIXES
from .output import to_csv

RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld", "trig": "trig"}
FORMATS = tuple(RDF_FORMATS) + ("csv", "graphml")
STREAMED = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "rdfxml": "RDF_XML"}   # pyoxigraph's names


def stream_union(ws, fmt: str, output) -> None:
    """The union of the graph file's named graphs in a triple format, written to the binary file
    ``output`` as the file is read: pyoxigraph's parser and serializer keep every term as written
    (offsets stay xsd:nonNegativeInteger, which its store would make xsd:integer) in constant memory,
    where rdflib held the national graph's 16 M triples in memory. A triple in several graphs is
    written once per graph: the same graph once read."""
    import pyoxigraph as ox

    if not ws.graph_file.exists():
        raise DutygraphError(f"no graph at {ws.graph_file}: run 'dutygraph build' first")
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()} if fmt != "ntriples" else None
    try:
        quads = ox.parse(path=str(ws.graph_file), format=ox.RdfFormat.TRIG)
        ox.serialize((q.triple for q in quads), output, format=getattr(ox.RdfFormat, STREAMED[fmt]), prefixes=prefixes)
    except SyntaxError as exc:
        raise DutygraphError(f"{ws.graph_file} is damaged ({str(exc).splitlines()[0][:100]}); run 'dutygraph build'") from None


def _dataset(ws):
    from rdflib import Dataset

    if not ws.graph_file.exists():
        raise DutygraphError(f"no graph at {ws.graph_file}: run 'dutygraph build' first")
    ds = Dataset()
    try:
        ds.parse(ws.graph_file, format="trig")
    except Exception as exc:  # rdflib parser errors
        raise DutygraphError(f"{ws.graph_file} is damaged ({str(exc).splitlines()[0][:100]}); run 'dutygraph build'") from None
    return ds


def context(ws) -> dict:
    path = ws.path / "ontology" / "context.jsonld"
    if not path.exists():
        path = Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"] if path.exists() else {}


def without_persons(ds):
    """The dataset with people left out: no foaf:Person, no membership pointing to one, and no span
    whose words hold a person's name (the roster lines)."""
    import re

    from rdflib.namespace import FOAF, RDF

    from .namespaces import DG, OA, ORG

    graphs = list(ds.graphs())
    people = {p for g in graphs for p in g.subjects(RDF.type, FOAF.Person)}
    names = {re.sub(r"\s", "", str(n)) for g in graphs for p in people for n in g.objects(p, FOAF.name)}
    spans = set()
    for g in graphs:
        for sel, exact in g.subject_objects(OA.exact):
            if any(n and n in re.sub(r"\s", "", str(exact)) for n in names):
                spans |= set(g.subjects(OA.hasSelector, sel))
    for g in graphs:
        for p in people & set(g.subjects()):
            g.remove((p, None, None))
        for s in [s for s, _p, o in g.triples((None, ORG.member, None)) if o in people]:
            g.remove((s, ORG.member, None))
        for span in spans:
            for sel in list(g.objects(span, OA.hasSelector)):
                g.remove((sel, None, None))
            g.remove((span, None, None))
            g.remove((None, None, span))
        for f in [f for f, o in g.subject_objects(DG.focus) if o in people]:
            g.remove((f, None, None))
    return ds


def rdf_bytes(ws, fmt: str, persons: bool = True) -> bytes:
    """The export in memory, by rdflib (with people left out, and JSON-LD with its context); the
    triple formats with everyone are streamed by ``stream_union`` instead."""
    if fmt in STREAMED and persons:
        buf = io.BytesIO()
        stream_union(ws, fmt, buf)
        return buf.getvalue()
    if fmt == "trig" and persons:
        return ws.graph_file.read_bytes() if ws.graph_file.exists() else _dataset(ws).serialize(format="trig").encode()
    ds = _dataset(ws)
    if not persons:
        ds = without_persons(ds)
        if fmt == "trig":
            from .trig import serialize

            return serialize({g.identifier: g for g in ds.graphs() if len(g)}).encode("utf-8")
    if fmt == "jsonld":
        return ds.serialize(format="json-ld", context=context(ws), auto_compact=True).encode("utf-8")
    from rdflib import Graph

    union = Graph()
    for g in ds.graphs():
        union += g
    out = union.serialize(format=RDF_FORMATS[fmt])
    return out if isinstance(out, bytes) else out.encode("utf-8")


PER_LAW = ("documents", "units")   # lists of a whole law: in law-use.csv, once per law


def csv_tables(ws, persons: bool = True) -> dict[str, str]:
    """One table per listing. `laws.csv` is one row per mention, `law-use.csv` one per law with its
    documents and units: repeated on every mention, those lists made laws.csv 2 GB at 3,200
    jurisdictions (67,103 rows of 30–40 KB)."""
    members = ws.members()
    if not persons:
        members = [{**m, "person": None} for m in members]
    laws = ws.laws()
    mentions = [{**{k: v for k, v in law.items() if k != "mentions" and k not in PER_LAW}, **m}
                for law in laws for m in law["mentions"]]
    use = [{**{k: v for k, v in law.items() if k != "mentions"}, "mentions": len(law["mentions"])} for law in laws]
    return {"duties.csv": to_csv(ws.duties(), bom=True), "tasks.csv": to_csv(ws.tasks(), bom=True),
            "members.csv": to_csv(members, bom=True), "laws.csv": to_csv(mentions, bom=True),
            "law-use.csv": to_csv(use, bom=True)}


def graphml_bytes(ws) -> bytes:
    import networkx as nx

    from .viz import graph_data

    data = graph_data(ws)
    g = nx.Graph()
    for n in data["nodes"]:
        place = n["label"] if n["kind"] == "jurisdiction" else n.get("place", "")   # with its code where names repeat
        g.add_node(n["id"], label=n["label"], kind=n["kind"], jurisdiction=place, jurisdiction_iri=n.get("jurisdiction", ""),
                   agency_type=n.get("agency_type", ""), duties=n.get("duties", 0))
    for e in data["edges"]:
        g.add_edge(e["from"], e["to"], weight=e["value"], kind=e["kind"])
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8")
    return buf.getvalue()


def export(ws, fmt: str, out: str | None, persons: bool = True) -> str | bytes:
    """Write the export to ``out`` (a file; a directory for csv) or return it for standard output."""
    if fmt not in FORMATS:
        raise DutygraphError(f"unknown export format '{fmt}' (use one of {', '.join(FORMATS)})")
    if fmt in RDF_FORMATS and ws.endpoint:   # said, not the local graph given silently in its place
        raise DutygraphError(f"export --format {fmt} writes the local graph, not an endpoint's: leave out --endpoint, "
                             "or dump the store with its own tool (Oxigraph: oxigraph dump); csv and graphml ask the endpoint")
    if fmt == "csv":
        tables = csv_tables(ws, persons)
        if not out:
            return tables["duties.csv"]
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        for name, text in tables.items():
            write_atomic(target / name, text.encode("utf-8"))
        return f"wrote {', '.join(sorted(tables))} in {target}"
    if fmt in STREAMED and persons:   # written as read, however large the graph
        if not out:
            stream_union(ws, fmt, sys.stdout.buffer)
            return b""
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(Path(out)) as f:
            stream_union(ws, fmt, f)
        return f"wrote {out} ({Path(out).stat().st_size} bytes)"
    data = graphml_bytes(ws) if fmt == "graphml" else rdf_bytes(ws, fmt, persons)
    if not out:
        return data
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(out), data)
    return f"wrote {out} ({len(data)} bytes)"
