"""SHACL validation (pyshacl-turbo, or pySHACL itself), and the check SHACL cannot make: every
span's quoted text is exactly the source's text at its offsets. Findings are kept in the graph
with IRIs of their own.
"""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from . import trig
from .errors import DutygraphError
from .namespaces import DG, ID, OA, SH, digest

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


ENGINES = ("turbo", "pyshacl")
OPTIONS = dict(inference="none", abort_on_first=False, allow_warnings=True, allow_infos=True)
# SHACL Core reads the data through the predicates its shapes name (and rdf:type and
# rdfs:subClassOf for classes); these read other predicates (every predicate of a node, or SPARQL)
NAMING = (SH.path, SH.targetSubjectsOf, SH.targetObjectsOf, SH.equals, SH.disjoint, SH.lessThan,
          SH.lessThanOrEquals)
OPEN = (SH.closed, SH.sparql, SH.select, SH.ask, SH.target, SH.rule, SH.expression)


class Shapes:
    """SHACL shapes ready to check many small graphs, and the class hierarchy they need.

    The engine is pyshacl-turbo (pySHACL's API and report, the checks run in Rust; compiled once
    here): on the synthetic document graphs three times faster than pySHACL on the same data, seven
    times faster than pySHACL with ``ont_graph`` as the build used it; ``engine="pyshacl"`` runs
    pySHACL itself, and the tests hold both to the same findings. ``sh:class`` and
    ``sh:targetClass`` follow ``rdfs:subClassOf`` in the data graph, so the ontology's hierarchy
    is added to the data rather than mixing the whole ontology in (which copies the data).
    """

    def __init__(self, shapes: Graph, ontology: Graph, engine: str = "turbo"):
        if engine not in ENGINES:
            raise DutygraphError(f"unknown SHACL engine {engine!r}; use one of {', '.join(ENGINES)}")
        self.engine, self.graph = engine, shapes
        self.hierarchy = list(ontology.triples((None, RDFS.subClassOf, None)))
        self._compiled, self._lines = None, None
        read = predicates_read(shapes)
        self._reads = None if read is None else {trig.term(p) for p in read}
        if engine == "turbo":
            import pyshacl_turbo
            self._compiled = pyshacl_turbo.compile_shapes(shapes)

    def validate(self, data: Graph) -> Graph:
        """The findings on ``data`` as dg:ValidationFinding; ``data`` gains the class hierarchy."""
        for t in self.hierarchy:
            data.add(t)
        if self._compiled is not None:
            _conforms, report, _text = self._compiled.validate(data, **OPTIONS)
        else:
            import pyshacl
            _conforms, report, _text = pyshacl.validate(data, shacl_graph=self.graph, **OPTIONS)
        return findings(report)

    def validate_lines(self, body: list[str]) -> Graph:
        """The findings on triples given as :func:`trig.lines` writes them: the build checks a
        document with the text it writes, which pyshacl-turbo parses itself, rather than turning a
        graph into its input a second time. Only the lines whose predicate the shapes can read are
        given (:func:`predicates_read`): the same findings, from about three fifths of a
        document's triples."""
        if self._reads is not None:
            body = [line for line in body if trig.predicate(line) in self._reads]
        text = "\n".join([trig.header(), *body, *self._hierarchy_lines(), ""])
        if self._compiled is None:
            return self.validate(Graph().parse(data=text, format="turtle"))
        from pyshacl_turbo.rdf import Input

        data = Input(text, "turtle", None, {}, {}, preserve_ids=True)
        _conforms, report, _text = self._compiled.validate(data, **OPTIONS)
        return findings(report)

    def _hierarchy_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = [trig.line(*t) for t in self.hierarchy]
        return self._lines


def predicates_read(shapes: Graph) -> set[URIRef] | None:
    """The predicates a SHACL Core validation with these shapes can read in the data: those in
    property paths (sequences, alternatives, inverses) and in the constraints and targets that
    name one, plus rdf:type and rdfs:subClassOf; None (everything) if a shape is closed or runs
    SPARQL. Triples with any other predicate cannot change a finding."""
    if any((None, p, None) in shapes for p in OPEN):
        return None
    found = {RDF.type, RDFS.subClassOf}
    todo = [o for p in NAMING for o in shapes.objects(None, p)]
    while todo:
        node = todo.pop()
        if isinstance(node, URIRef) and node != RDF.nil:
            found.add(node)
        elif isinstance(node, BNode):   # a path list or a path expression: its parts
            todo.extend(o for _p, o in shapes.predicate_objects(node))
    return found


def shacl(data: Graph, shapes: Graph, ontology: Graph, engine: str = "turbo") -> Graph:
    """Check one graph; see :class:`Shapes` to check many with the same shapes."""
    return Shapes(shapes, ontology, engine).validate(data)


def findings(report: Graph) -> Graph:
    """A SHACL report as dg:ValidationFinding resources with stable IRIs (focus, path, shape, severity).

    The report is read in one pass (a national report holds some 100,000 results; a lookup per
    property took longer than the validation)."""
    wanted = {SH.focusNode, SH.resultPath, SH.sourceShape, SH.resultSeverity, SH.resultMessage}
    results, props = set(), {}
    for s, p, o in report:
        if p == RDF.type and o == SH.ValidationResult:
            results.add(s)
        elif p in wanted:
            props.setdefault(s, {}).setdefault(p, []).append(o)
    out = Graph(store="SimpleMemory", bind_namespaces="none")
    for result in results:
        got = props.get(result, {})
        focus, path, shape, severity = (min(got.get(p, [None]), key=_order)
                                        for p in (SH.focusNode, SH.resultPath, SH.sourceShape, SH.resultSeverity))
        messages = sorted(got.get(SH.resultMessage, ()), key=lambda m: (getattr(m, "language", None) or "", str(m)))
        key = digest(str(focus), str(path) if isinstance(path, URIRef) else "", str(shape), str(severity))
        iri = ID[f"finding/{key}"]
        out.add((iri, RDF.type, DG.ValidationFinding))
        out.add((iri, DG.severity, severity))
        out.add((iri, DG.focus, focus))
        if isinstance(shape, URIRef):
            out.add((iri, SH.sourceShape, shape))
        if isinstance(path, URIRef):
            out.add((iri, DG.resultPath, path))
        for m in messages:
            out.add((iri, DG.message, m if isinstance(m, Literal) else Literal(str(m))))
    return out


def _order(term):
    """One value where a result has several (SHACL gives one): the same one every run."""
    return (type(term).__name__, str(term))


def check_offsets(graph: Graph, texts: dict[URIRef, str]) -> None:
    """Every TextPositionSelector's quote equals the source text at its offsets, or the build stops."""
    def of(p):
        return dict(graph.subject_objects(p))

    source, start, end, exact = of(OA.hasSource), of(OA.start), of(OA.end), of(OA.exact)
    positions = set(graph.subjects(RDF.type, OA.TextPositionSelector))
    selectors: dict = {}
    for span, sel in graph.subject_objects(OA.hasSelector):
        selectors.setdefault(span, []).append(sel)
    for span in graph.subjects(RDF.type, OA.SpecificResource):
        doc = source.get(span)
        if doc not in texts:
            continue
        a = b = quote = None
        for sel in selectors.get(span, ()):
            if sel in positions:
                a, b = int(start[sel]), int(end[sel])
            else:
                quote = str(exact.get(sel))
        if a is not None and quote is not None and texts[doc][a:b] != quote:
            raise DutygraphError(f"internal error: span {span} does not quote its source; please report it")


def severity_counts(findings: Graph) -> dict[str, int]:
    counts = {"Violation": 0, "Warning": 0, "Info": 0}
    for sev in findings.objects(None, DG.severity):
        counts[SEVERITIES.get(sev, str(sev))] += 1
    return counts
