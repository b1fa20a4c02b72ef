"""SHACL validation with pySHACL, and the check SHACL cannot make: every span's quoted text is
exactly the source's text at its offsets. Findings are kept in the graph with IRIs of their own.
"""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .errors import DutygraphError
from .namespaces import DG, ID, OA, SH, digest

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def shacl(data: Graph, shapes: Graph, ontology: Graph) -> Graph:
    """Run pySHACL and return the findings as a graph of dg:ValidationFinding."""
    import pyshacl

    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
                                                inference="none", abort_on_first=False,
                                                allow_warnings=True, allow_infos=True)
    out = Graph(bind_namespaces="none")
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        shape = report.value(result, SH.sourceShape)
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(report.objects(result, SH.resultMessage), key=lambda m: (m.language or "", str(m)))
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


def check_offsets(graph: Graph, texts: dict[URIRef, str]) -> None:
    """Every TextPositionSelector's quote equals the source text at its offsets, or the build stops."""
    for span in graph.subjects(RDF.type, OA.SpecificResource):
        doc = graph.value(span, OA.hasSource)
        if doc not in texts:
            continue
        start = end = exact = None
        for sel in graph.objects(span, OA.hasSelector):
            if (sel, RDF.type, OA.TextPositionSelector) in graph:
                start, end = int(graph.value(sel, OA.start)), int(graph.value(sel, OA.end))
            else:
                exact = str(graph.value(sel, OA.exact))
        if start is not None and exact is not None and texts[doc][start:end] != exact:
            raise DutygraphError(f"internal error: span {span} does not quote its source; please report it")


def severity_counts(findings: Graph) -> dict[str, int]:
    counts = {"Violation": 0, "Warning": 0, "Info": 0}
    for sev in findings.objects(None, DG.severity):
        counts[SEVERITIES.get(sev, str(sev))] += 1
    return counts
