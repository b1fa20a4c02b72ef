"""The build: corpus → records → RDF → SHACL → ``graph/dutygraph.trig``.

Deterministic (the same corpus gives the same bytes), atomic (written to a temporary file and
renamed, so a killed build leaves the last good graph), and exclusive (a lock file refuses a second
build in the same workspace).
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from . import corpus as corpus_mod
from . import jurisdictions as jur
from . import trig, validate, vocab as vocab_mod
from .errors import DutygraphError
from .namespaces import DG, graph_iri
from .pipeline.extract import extract
from .rdf import DocumentWriter, Shared, jurisdiction_graph, shared_graph

GRAPH_FILE = "dutygraph.trig"
ONTOLOGY_FILES = ("dutygraph.ttl", "shapes.ttl")


@dataclass
class Summary:
    documents: int = 0
    jurisdictions: int = 0
    agencies: int = 0
    duties: int = 0
    tasks: int = 0
    laws: int = 0
    memberships: int = 0
    triples: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    changed: bool = True

    def lines(self) -> list[str]:
        f = self.findings
        return [f"documents      {self.documents}", f"jurisdictions  {self.jurisdictions}",
                f"agencies       {self.agencies}", f"duties         {self.duties}",
                f"tasks          {self.tasks}", f"laws           {self.laws}",
                f"memberships    {self.memberships}", f"triples        {self.triples}",
                f"SHACL          {f.get('Violation', 0)} violations, {f.get('Warning', 0)} warnings, {f.get('Info', 0)} infos",
                f"time           {self.seconds:.1f} s"]


@contextmanager
def lock(graph_dir: Path):
    """Refuse a second build in the same workspace; a lock left by a dead process is taken over."""
    graph_dir.mkdir(parents=True, exist_ok=True)
    path = graph_dir / ".build.lock"
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            try:
                pid = int(path.read_text().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                raise DutygraphError(f"another build (process {pid}) is running in this workspace; wait for it to finish") from None
            path.unlink(missing_ok=True)
    else:
        raise DutygraphError(f"cannot take the build lock {path}")
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def ontology_graphs(ontology_dir: Path) -> tuple[Graph, Graph]:
    """(ontology with shapes, vocabularies) as read from ontology/."""
    onto, vocabs = Graph(), Graph()
    for f in sorted(ontology_dir.glob("*.ttl")):
        (onto if f.name in ONTOLOGY_FILES else vocabs).parse(f, format="turtle")
    return onto, vocabs


def compile_dataset(workspace: Path) -> tuple[dict[URIRef, Graph], Summary]:
    """Everything the build writes, as named graphs, with its summary; nothing touches the disk."""
    started = time.perf_counter()
    workspace = Path(workspace).resolve()
    onto_dir = vocab_mod.ontology_dir(workspace)
    vocab = vocab_mod.load(onto_dir)
    docs = corpus_mod.load_corpus(workspace)
    shared = Shared()
    graphs: dict[URIRef, Graph] = {}
    summary = Summary(documents=len(docs))
    texts = {}
    known: dict[str, jur.Jurisdiction] = {}
    for doc in docs:
        ex = extract(doc, vocab)
        writer = DocumentWriter(doc, vocab, shared)
        graphs[graph_iri(doc.id)] = writer.write(ex)
        texts[writer.iri] = doc.text
        known.update({j.key: j for j in doc.jurisdictions()})
        summary.duties += sum(1 for s in ex.statements if not s.is_task)
        summary.tasks += sum(1 for s in ex.statements if s.is_task)
        summary.memberships += len(ex.memberships)
    graphs[graph_iri("agencies")] = shared_graph(shared)
    graphs[graph_iri("jurisdictions")] = jurisdiction_graph(shared, lambda j: jur.with_ancestors(j, known))
    onto, vocabs = ontology_graphs(onto_dir)
    graphs[graph_iri("ontology")] = onto
    graphs[graph_iri("vocabularies")] = vocabs
    data = Graph()
    for name, g in graphs.items():
        if name != graph_iri("ontology"):
            data += g
    for g in graphs.values():
        validate.check_offsets(g, texts)
    shapes = Graph().parse(onto_dir / "shapes.ttl", format="turtle")
    findings = validate.shacl(data, shapes, onto)
    graphs[graph_iri("validation")] = findings
    summary.findings = validate.severity_counts(findings)
    summary.jurisdictions = len({s for s in graphs[graph_iri("jurisdictions")].subjects() if "/jurisdiction/" in str(s)})
    from rdflib.namespace import RDF
    from .namespaces import CV, ELI, ORG
    summary.agencies = len(set(data.subjects(RDF.type, CV.PublicOrganisation)) | set(data.subjects(RDF.type, ORG.Organization)) - set(data.subjects(RDF.type, DG.Committee)))
    summary.laws = len({o for o in data.objects(None, DG.refersTo)})
    summary.triples = sum(len(g) for g in graphs.values())
    summary.seconds = time.perf_counter() - started
    return graphs, summary


def build(workspace: Path, check: bool = False) -> Summary:
    workspace = Path(workspace).resolve()
    graph_dir = workspace / "graph"
    target = graph_dir / GRAPH_FILE
    if check:
        graphs, summary = compile_dataset(workspace)
        fresh = trig.serialize(graphs).encode("utf-8")
        summary.changed = not target.exists() or target.read_bytes() != fresh
        return summary
    with lock(graph_dir):
        graphs, summary = compile_dataset(workspace)
        fresh = trig.serialize(graphs).encode("utf-8")
        summary.changed = not target.exists() or target.read_bytes() != fresh
        if summary.changed:
            write_atomic(target, fresh)
    return summary
