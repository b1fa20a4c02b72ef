"""The graph in other formats: TriG as built; Turtle, N-Triples and RDF/XML (the union of the named
graphs) written as the TriG is read, so a national graph needs no memory to speak of; JSON-LD keeping
the named graphs, with the published context in ``ontology/context.jsonld``, compacted by rdflib a
piece at a time as the TriG is read; each of them with people left out on request; CSV tables per
kind (UTF-8 with BOM, for spreadsheets); GraphML of the unit–theme–jurisdiction network for Gephi.
"""
from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

from .build import atomic_file, write_atomic
from .errors import DutygraphError
from .namespaces import DG, FOAF, OA, ORG, PREFIXES, RDF
from .output import to_csv

OXIGRAPH_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "rdfxml": "RDF_XML", "trig": "TRIG"}   # pyoxigraph writes these
RDF_FORMATS = ("turtle", "ntriples", "rdfxml", "jsonld", "trig")
FORMATS = RDF_FORMATS + ("csv", "graphml")


def stream(ws, fmt: str, output, persons: bool = True) -> None:
    """The graph written to the binary file ``output`` as the graph file is read — the triple formats
    as the union of its named graphs, TriG and JSON-LD with them — in constant memory, where rdflib
    held the national graph's 16 M triples: by pyoxigraph's parser and serializer, every term as
    written (offsets stay xsd:nonNegativeInteger, which its store makes xsd:integer), JSON-LD by
    ``_write_jsonld``. A triple in several graphs is written once for each: the same graph once
    read. ``persons=False`` leaves people out."""
    import pyoxigraph as ox

    _check_graph(ws)
    quads = _quads(ws.graph_file) if persons else kept_quads(ws.graph_file)
    try:
        if fmt == "jsonld":
            _write_jsonld(quads, output, context(ws), pool=ws.graph_file.stat().st_size >= JSONLD_POOL_FROM)
        else:
            ox.serialize(quads if fmt == "trig" else (q.triple for q in quads), output,
                         format=getattr(ox.RdfFormat, OXIGRAPH_FORMATS[fmt]),
                         prefixes={p: str(ns) for p, ns in PREFIXES.items()} if fmt != "ntriples" else None)
    except SyntaxError as exc:
        raise DutygraphError(f"{ws.graph_file} is damaged ({str(exc).splitlines()[0][:100]}); run 'dutygraph build'") from None


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
JSONLD_PIECE = 20_000   # triples rdflib compacts at once: a national graph's largest (statistics, 1.1 M) in pieces
JSONLD_POOL_FROM = 64 << 20   # a graph file this large is compacted by two processes


def _write_jsonld(quads, output, ctx: dict, pool: bool) -> None:
    """JSON-LD with the context ``ctx``: each named graph (the largest in pieces of whole subjects)
    compacted by rdflib on its own — a graph object with its ``@id`` and ``@graph``, as rdflib
    writes a dataset — so memory stays that of one piece, where the whole dataset in rdflib did not
    fit this machine for the country. With ``pool``, two processes compact, the pieces written in
    order."""
    head = json.dumps({"@context": ctx}, ensure_ascii=False, indent=2)[:-2]
    output.write(f'{head},\n  "@graph": ['.encode("utf-8"))
    first = True
    for text in _compacted(_pieces(quads), ctx, pool):
        if text:
            output.write((("\n" if first else ",\n") + text).encode("utf-8"))
            first = False
    output.write(b"\n  ]\n}\n")


def _pieces(quads):
    """(graph IRI or None for the default graph, N-Triples of its next piece): a graph's triples as
    read, cut only where a subject ends once a piece has ``JSONLD_PIECE`` triples."""
    import pyoxigraph as ox

    piece, graph, subject = [], None, None
    for q in quads:
        if piece and (q.graph_name != graph or (len(piece) >= JSONLD_PIECE and q.subject != subject)):
            yield _graph_name(graph), ox.serialize(piece, None, format=ox.RdfFormat.N_TRIPLES)
            piece = []
        graph, subject = q.graph_name, q.subject
        piece.append(q.triple)
    if piece:
        yield _graph_name(graph), ox.serialize(piece, None, format=ox.RdfFormat.N_TRIPLES)


def _graph_name(graph):
    import pyoxigraph as ox

    return None if isinstance(graph, ox.DefaultGraph) else graph.value


def _compacted(pieces, ctx: dict, pool: bool):
    """The pieces' JSON texts in order: compacted here, or by two processes with a few pieces queued."""
    if not pool:
        yield from (compact_piece(graph, data, ctx) for graph, data in pieces)
        return
    import collections
    import concurrent.futures
    import multiprocessing as mp

    with concurrent.futures.ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as ex:
        queued = collections.deque()
        try:
            for graph, data in pieces:
                queued.append(ex.submit(compact_piece, graph, data, ctx))
                if len(queued) >= 6:
                    yield queued.popleft().result()
            while queued:
                yield queued.popleft().result()
        except concurrent.futures.process.BrokenProcessPool:
            raise DutygraphError("a process compacting the JSON-LD was stopped (out of memory, or killed); "
                                 "the export was not finished: run it again") from None


def compact_piece(graph: str | None, ntriples: bytes, ctx: dict) -> str:
    """One piece's node objects compacted with ``ctx`` (rdflib), in its graph object unless it is of
    the default graph, as indented JSON text for the dataset's ``@graph`` list."""
    import pyoxigraph as ox
    from rdflib import Graph, URIRef
    from rdflib.plugins.serializers.jsonld import from_rdf

    g = Graph()
    add = g.add
    for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):   # quicker than rdflib's parser
        add((_rdflib(t.subject), URIRef(t.predicate.value), _rdflib(t.object)))
    obj = from_rdf(g, context_data=ctx, auto_compact=True)
    obj.pop("@context", None)
    nodes = obj.get("@graph", [obj] if obj else [])
    parts = [{"@id": graph, "@graph": nodes}] if graph is not None else nodes
    return ",\n".join("    " + json.dumps(p, ensure_ascii=False, indent=2).replace("\n", "\n    ") for p in parts)


def _rdflib(term):
    """A pyoxigraph term as rdflib's (no quoted triples in this graph)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == XSD_STRING else Literal(term.value, datatype=URIRef(datatype))


def _check_graph(ws) -> None:
    if not ws.graph_file.exists():
        raise DutygraphError(f"no graph at {ws.graph_file}: run 'dutygraph build' first")


def context(ws) -> dict:
    path = ws.path / "ontology" / "context.jsonld"
    if not path.exists():
        path = Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))["@context"] if path.exists() else {}


def _quads(path: Path):
    import pyoxigraph as ox

    return ox.parse(path=str(path), format=ox.RdfFormat.TRIG)


def left_out(path: Path) -> tuple[set, set, set]:
    """What leaving people out removes, found in passes over the graph file (constant memory but for
    what is found): the subjects whose every triple goes (people, the findings about them, the spans
    whose words hold a person's name and those spans' selectors), the spans no triple may point to,
    and the people no membership may name. A name is matched without its spaces (a PDF's 王 珊)."""
    import pyoxigraph as ox

    def iri(ns, name):
        return ox.NamedNode(str(ns[name]))

    kind, person, name, focus = iri(RDF, "type"), iri(FOAF, "Person"), iri(FOAF, "name"), iri(DG, "focus")
    exact, selector = iri(OA, "exact"), iri(OA, "hasSelector")
    people, named, about = set(), [], []
    for q in _quads(path):
        if q.predicate == kind and q.object == person:
            people.add(q.subject)
        elif q.predicate == name:
            named.append((q.subject, q.object.value))
        elif q.predicate == focus:
            about.append((q.subject, q.object))
    names = {re.sub(r"\s", "", n) for s, n in named if s in people} - {""}
    lengths = sorted({len(n) for n in names})
    quoting = {q.subject for q in _quads(path) if q.predicate == exact and _holds_name(q.object.value, names, lengths)}
    spans = {q.subject for q in _quads(path) if q.predicate == selector and q.object in quoting}
    selectors = {q.object for q in _quads(path) if q.predicate == selector and q.subject in spans}
    gone = people | {f for f, o in about if o in people} | spans | selectors
    return gone, spans, people


def _holds_name(text: str, names: set, lengths: list) -> bool:
    if not names:
        return False
    text = re.sub(r"\s", "", text)
    return any(text[i:i + n] in names for n in lengths for i in range(len(text) - n + 1))


def kept_quads(path: Path):
    """The graph file's quads with people left out (see ``left_out``), as they are read."""
    import pyoxigraph as ox

    gone, spans, people = left_out(path)
    member = ox.NamedNode(str(ORG["member"]))
    for q in _quads(path):
        if q.subject in gone or q.object in spans or (q.predicate == member and q.object in people):
            continue
        yield q


def rdf_bytes(ws, fmt: str, persons: bool = True) -> bytes:
    """The export in memory: TriG as built, the others streamed into a buffer."""
    if fmt == "trig" and persons:
        _check_graph(ws)
        return ws.graph_file.read_bytes()
    buf = io.BytesIO()
    stream(ws, fmt, buf, persons)
    return buf.getvalue()


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
    if fmt in RDF_FORMATS and not (fmt == "trig" and persons):   # written as read, however large the graph
        if not out:
            stream(ws, fmt, sys.stdout.buffer, persons)
            return b""
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(Path(out)) as f:
            stream(ws, fmt, f, persons)
        return f"wrote {out} ({Path(out).stat().st_size} bytes)"
    data = graphml_bytes(ws) if fmt == "graphml" else rdf_bytes(ws, fmt, persons)
    if not out:
        return data
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(out), data)
    return f"wrote {out} ({len(data)} bytes)"
