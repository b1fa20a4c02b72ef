"""The build: corpus → records → RDF → SHACL → ``graph/dutygraph.trig`` and the embedded store.

Streaming and parallel: each document is read, extracted, written as its own named graph and
validated with SHACL in a worker process (both cores), so neither the corpus nor the graph is ever
held whole in Python; the cross-document shapes (units, member units, jurisdictions, vocabularies)
run once on the shared resources. The TriG is deterministic (the same corpus gives the same bytes),
written to a temporary file and renamed (a killed build leaves the last good graph), under a lock
(a second build is refused). The graph is bulk-loaded into a new on-disk Oxigraph store
(``graph/store/``, which read commands use): the documents' graphs by a child process while the
shared ones are made, then the rest, and the new store replaces the old.
"""
from __future__ import annotations

import hashlib
import io
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, RDF

from . import corpus as corpus_mod
from . import jurisdictions as jur
from . import trig, validate, vocab as vocab_mod
from .errors import DutygraphError
from .namespaces import CV, DG, ORG, graph_iri
from .pipeline.extract import extract
from .rdf import DocumentWriter, Shared, jurisdiction_graph, shared_graph

GRAPH_FILE = "dutygraph.trig"
STORE_DIR = "store"
ONTOLOGY_FILES = ("dutygraph.ttl", "shapes.ttl", "shapes-shared.ttl")
PARALLEL_FROM = 16   # documents: below this a build runs in one process
_LOAD_CHILD = "import sys; from dutygraph.build import _load_part; _load_part(*sys.argv[1:])"


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
    validation_seconds: float = 0.0
    changed: bool = True

    def lines(self) -> list[str]:
        f = self.findings
        return [f"documents      {self.documents}", f"jurisdictions  {self.jurisdictions}",
                f"agencies       {self.agencies}", f"duties         {self.duties}",
                f"tasks          {self.tasks}", f"laws           {self.laws}",
                f"memberships    {self.memberships}", f"triples        {self.triples}",
                f"SHACL          {f.get('Violation', 0)} violations, {f.get('Warning', 0)} warnings, {f.get('Info', 0)} infos",
                f"validation     {self.validation_seconds:.1f} s (summed over workers)",
                f"time           {self.seconds:.1f} s"]


@dataclass
class DocResult:
    """What a worker sends back for one document: its TriG block and what the shared graphs need."""

    doc_id: str
    block: str
    triples: int
    findings: Graph
    units: list            # (iri, UnitRef, names)
    jurisdictions: list
    with_duty: set
    members: list          # (agency iri, body iri)
    represented: set
    laws: set
    duties: int = 0
    tasks: int = 0
    memberships: int = 0
    seconds_shacl: float = 0.0


# ---------------------------------------------------------------- locking and atomic writes
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


# ---------------------------------------------------------------- the worker
_W: dict = {}


def _init(workspace: str, onto_dir: str) -> None:
    """Per process: the vocabularies, the shapes and the context every document is checked with."""
    d = Path(onto_dir)
    _W["workspace"] = Path(workspace)
    _W["vocab"] = vocab_mod.load(d)
    _W["shapes"] = validate.Shapes(Graph().parse(d / "shapes.ttl", format="turtle"),
                                   Graph().parse(d / "dutygraph.ttl", format="turtle"))
    register = Graph().parse(d / "legal-instruments.ttl", format="turtle")
    _W["register"] = {s: list(register.triples((s, None, None))) for s in set(register.subjects())}


def _document(path: str) -> DocResult:
    workspace, vocab = _W["workspace"], _W["vocab"]
    doc = corpus_mod.load_document(Path(path), workspace)
    ex = extract(doc, vocab)
    shared = Shared()
    writer = DocumentWriter(doc, vocab, shared)
    g = writer.write(ex)
    validate.check_offsets(g, {writer.iri: doc.text})
    name = graph_iri(doc.id)
    block, size = trig.block(name, g), len(g)
    units = [(iri, ref, sorted(shared.names[iri])) for iri, ref in shared.refs.items()]
    with_duty = {o for o in g.objects(None, CV.hasParticipant)}
    members = [(s, o) for s, o in g.subject_objects(DG.memberUnitOf)]
    represented = {a for m, a in g.subject_objects(DG.onBehalfOf)
                   if any((p, RDF.type, FOAF.Person) in g for p in g.objects(m, ORG.member))}
    laws = set(g.objects(None, DG.refersTo))
    # validate the document with the context its shapes look at (its places; what the register
    # says of the instruments it names: the shapes follow dg:refersTo and dg:instrument one step);
    # the graph is already written, so the context goes into it rather than into a copy
    known = {j.key: j for j in doc.jurisdictions()}
    for t in jurisdiction_graph(shared, lambda j: jur.with_ancestors(j, known)):
        g.add(t)
    for law in laws | set(g.objects(None, DG.instrument)):
        for t in _W["register"].get(law, ()):
            g.add(t)
    started = time.perf_counter()
    findings = _W["shapes"].validate(g)
    shacl_s = time.perf_counter() - started
    return DocResult(doc.id, block, size, findings, units, list(shared.jurisdictions.values()),
                     with_duty, members, represented, laws,
                     duties=sum(1 for s in ex.statements if not s.is_task), tasks=sum(1 for s in ex.statements if s.is_task),
                     memberships=len(ex.memberships), seconds_shacl=shacl_s)


# ---------------------------------------------------------------- progress
class Progress:
    """A progress line with a rate and an estimate, on long builds only."""

    def __init__(self, total: int):
        self.total, self.done, self.start, self.last = total, 0, time.perf_counter(), 0.0
        self.on = total >= 200 and os.environ.get("DUTYGRAPH_PROGRESS", "1") != "0"
        self.tty = sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if not self.on:
            return
        now = time.perf_counter()
        if now - self.last < (0.5 if self.tty else 15) and self.done < self.total:
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-6)
        eta = (self.total - self.done) / rate if rate else 0
        bar = "#" * int(30 * self.done / self.total)
        line = f"[{bar:<30}] {self.done}/{self.total} documents  {rate:.1f}/s  eta {int(eta // 60)}:{int(eta % 60):02d}"
        sys.stderr.write(("\r" + line) if self.tty else line + "\n")
        if self.tty and self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


# ---------------------------------------------------------------- the build
def _results(workspace: Path, onto_dir: Path, paths: list[Path], workers: int):
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        _init(str(workspace), str(onto_dir))
        for p in paths:
            yield _document(str(p))
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(workers, initializer=_init, initargs=(str(workspace), str(onto_dir))) as pool:
        yield from pool.imap(_document, [str(p) for p in paths], chunksize=4)


def compile_to(workspace: Path, out: Path, workers: int | None = None, documents_written=None) -> Summary:
    """Write the whole TriG to ``out``; return the summary. Nothing else on disk changes.

    ``documents_written(offset, digest)``, if given, is called once the documents' graphs are in
    ``out`` (its first ``offset`` bytes, of that SHA-256), before the shared graphs are made."""
    started = time.perf_counter()
    workspace = Path(workspace).resolve()
    onto_dir = vocab_mod.ontology_dir(workspace)
    vocab_mod.load(onto_dir)   # a broken vocabulary fails here, before any work
    paths = corpus_mod.document_paths(workspace)
    if not paths:
        raise DutygraphError(f"corpus/ in {workspace} holds no documents")
    workers = workers or min(2, os.cpu_count() or 1)
    summary = Summary(documents=len(paths))
    shared = Shared()
    known: dict[str, jur.Jurisdiction] = {}
    findings = Graph()
    with_duty, represented, members, laws = set(), set(), [], set()
    progress = Progress(len(paths))
    head = hashlib.sha256()
    with open(out, "w", encoding="utf-8") as f:
        f.write(_hashed(head, trig.header()))
        for r in _results(workspace, onto_dir, paths, workers):
            f.write(_hashed(head, r.block))
            summary.triples += r.triples
            summary.duties += r.duties
            summary.tasks += r.tasks
            summary.memberships += r.memberships
            summary.validation_seconds += r.seconds_shacl
            findings += r.findings
            for iri, ref, names in r.units:
                shared.names.setdefault(iri, set()).update(names)
                shared.refs.setdefault(iri, ref)
            for j in r.jurisdictions:
                known.setdefault(j.key, j)
            with_duty |= r.with_duty
            represented |= r.represented
            members += r.members
            laws |= r.laws
            progress.step()
        if documents_written:
            f.flush()
            documents_written(f.tell(), head.hexdigest())
        shared.jurisdictions = dict(known)
        tail = {graph_iri("agencies"): shared_graph(shared),
                graph_iri("jurisdictions"): jurisdiction_graph(shared, lambda j: jur.with_ancestors(j, known))}
        onto, vocabs = ontology_graphs(onto_dir)
        tail[graph_iri("ontology")] = onto
        tail[graph_iri("vocabularies")] = vocabs
        t = time.perf_counter()
        findings += _shared_findings(onto_dir, tail, members, with_duty, represented)
        summary.validation_seconds += time.perf_counter() - t
        tail[graph_iri("validation")] = findings
        for name in sorted(tail, key=str):
            f.write(trig.block(name, tail[name]))
            summary.triples += len(tail[name])
    summary.findings = validate.severity_counts(findings)
    summary.jurisdictions = len({s for s in tail[graph_iri("jurisdictions")].subjects(RDF.type, DG.Jurisdiction)})
    summary.agencies = sum(1 for ref in shared.refs.values() if not ref.collective)
    summary.laws = len(laws)
    summary.seconds = time.perf_counter() - started
    return summary


def _hashed(h, text: str) -> str:
    h.update(text.encode("utf-8"))
    return text


def _shared_findings(onto_dir: Path, tail: dict, members, with_duty, represented) -> Graph:
    """The cross-document shapes, over the shared graphs and the links the documents reported."""
    shapes = Graph().parse(onto_dir / "shapes.ttl", format="turtle").parse(onto_dir / "shapes-shared.ttl", format="turtle")
    onto = Graph().parse(onto_dir / "dutygraph.ttl", format="turtle")
    data = Graph()
    for name in (graph_iri("agencies"), graph_iri("jurisdictions"), graph_iri("vocabularies")):
        data += tail[name]
    for agency, body in members:
        data.add((agency, DG.memberUnitOf, body))
    # stand-ins for links that live in other documents' graphs (only the validator sees them)
    for agency in with_duty:
        data.add((URIRef(f"{agency}#duty"), CV.hasParticipant, agency))
    for agency in represented:
        m, p = URIRef(f"{agency}#representative"), URIRef(f"{agency}#person")
        data.add((m, DG.onBehalfOf, agency))
        data.add((m, ORG.member, p))
        data.add((p, RDF.type, FOAF.Person))
    return validate.shacl(data, shapes, onto)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class StoreLoader:
    """A new store, filled beside the old one and swapped in when complete.

    The build hands it the documents' graphs as soon as they are written: a child process
    bulk-loads them while the build makes the shared graphs and runs the cross-document shapes, a
    single-threaded tail that leaves the second core idle. ``finish`` adds the rest of the TriG.
    """

    def __init__(self, graph_dir: Path):
        self.graph_dir, self.child, self.offset, self.digest = graph_dir, None, None, ""
        self.tmp = graph_dir / f".{STORE_DIR}.{os.getpid()}.tmp"

    def start(self, trig_path: Path, offset: int | None = None, digest: str = "") -> None:
        """Load the first ``offset`` bytes of ``trig_path`` (None: all of it) in a child process."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.offset, self.digest = offset, digest
        here = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)}
        fd = os.open(trig_path, os.O_RDONLY)   # the child reads this file even once it is renamed
        try:
            self.child = subprocess.Popen(
                [sys.executable, "-c", _LOAD_CHILD,
                 str(self.tmp), str(fd), str(-1 if offset is None else offset)],
                env=env, pass_fds=(fd,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                preexec_fn=_die_with_parent)
        finally:
            os.close(fd)

    def finish(self, trig_path: Path, digest: str) -> None:
        """Wait for the child, load the rest of the TriG (now at ``trig_path``, of SHA-256
        ``digest``), optimise, stamp and swap the stores."""
        import pyoxigraph as ox

        _out, err = self.child.communicate()
        if self.child.returncode != 0:
            last = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            raise DutygraphError(f"loading the store failed ({last[:160]}); run 'dutygraph build' again")
        store = ox.Store(str(self.tmp))
        if self.offset is not None:
            with _part(trig_path, self.offset, before=trig.header().encode("utf-8")) as rest:
                store.bulk_load(input=rest, format=ox.RdfFormat.TRIG)
        store.optimize()
        store.flush()
        del store
        (self.tmp / "SOURCE").write_text(f"{_stamp(trig_path, digest)}\ndocuments {self.digest}\n")
        final, old = self.graph_dir / STORE_DIR, self.graph_dir / f".{STORE_DIR}.old.{os.getpid()}"
        if final.exists():
            os.replace(final, old)
        os.replace(self.tmp, final)
        shutil.rmtree(old, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the child if it still runs and remove what it wrote (nothing once swapped in)."""
        if self.child and self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _die_with_parent() -> None:
    """In the loader's child, on Linux: stop when the build is killed (PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


class _Part(io.RawIOBase):
    """Bytes ``start`` to ``end`` of a file after ``before``: a piece of the TriG as a stream (the
    documents' graphs while the build is still appending the shared ones after them)."""

    def __init__(self, source: Path | int, start: int, end: int | None, before: bytes = b""):
        self.f = open(source, "rb")   # a path or a file descriptor
        self.f.seek(start)
        self.left, self.before = (None if end is None else end - start), before

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self.before:
            n = min(len(b), len(self.before))
            b[:n], self.before = self.before[:n], self.before[n:]
            return n
        want = len(b) if self.left is None else min(len(b), self.left)
        got = self.f.readinto(memoryview(b)[:want]) if want > 0 else 0
        if self.left is not None:
            self.left -= got
        return got

    def close(self) -> None:
        self.f.close()
        super().close()


def _part(source: Path | int, start: int, end: int | None = None, before: bytes = b"") -> io.BufferedReader:
    return io.BufferedReader(_Part(source, start, end, before), 1 << 20)


def _load_part(store_dir: str, fd: str, end: str) -> None:
    """The loader's child: bulk-load the TriG open at ``fd``, its first ``end`` bytes (-1: all),
    into a new store."""
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    with _part(int(fd), 0, end=None if int(end) < 0 else int(end)) as head:
        store.bulk_load(input=head, format=ox.RdfFormat.TRIG)
    store.flush()


def _stamp(trig_path: Path, digest: str) -> str:
    st = trig_path.stat()
    return f"{digest} {st.st_size} {st.st_mtime_ns}"


def store_is_current(graph_dir: Path) -> bool:
    """The store was loaded from the TriG as it is now (same digest, size and time, as build left it)."""
    src = graph_dir / STORE_DIR / "SOURCE"
    stamp = graph_dir / f"{GRAPH_FILE}.sha256"
    trig_path = graph_dir / GRAPH_FILE
    if not (src.exists() and stamp.exists() and trig_path.exists()):
        return False
    recorded = stamp.read_text().split()
    st = trig_path.stat()
    return (src.read_text().split("\n")[0].strip() == stamp.read_text().strip() and len(recorded) == 3
            and recorded[1:] == [str(st.st_size), str(st.st_mtime_ns)])


def _documents_digest(graph_dir: Path) -> str | None:
    """The digest of the documents' part the store was loaded from, as its SOURCE records it."""
    lines = (graph_dir / STORE_DIR / "SOURCE").read_text().splitlines()
    return lines[1].removeprefix("documents ") if len(lines) > 1 and lines[1].startswith("documents ") else None


def _store_holds(graph_dir: Path, documents_digest: str) -> bool:
    """The store is current and was loaded from documents' graphs of this digest."""
    return (store_is_current(graph_dir) and _documents_digest(graph_dir) == documents_digest
            and _store_opens(graph_dir))


def _note_documents(graph_dir: Path, documents_digest: str) -> None:
    """Record in a current store's SOURCE the digest of the documents' part it holds."""
    src = graph_dir / STORE_DIR / "SOURCE"
    write_atomic(src, f"{src.read_text().splitlines()[0]}\ndocuments {documents_digest}\n".encode())


def _sweep(graph_dir: Path) -> None:
    """Remove what a killed build left behind: temporary files and stores of dead processes."""
    for p in graph_dir.glob(".*.tmp"):
        pid = p.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def _store_opens(graph_dir: Path) -> bool:
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(str(graph_dir / STORE_DIR))
        bool(store.query("ASK { ?s ?p ?o }"))
        return True
    except Exception:  # damaged: it will be loaded again
        return False


def build(workspace: Path, check: bool = False, workers: int | None = None, store: bool = True) -> Summary:
    workspace = Path(workspace).resolve()
    graph_dir = workspace / "graph"
    target = graph_dir / GRAPH_FILE
    graph_dir.mkdir(parents=True, exist_ok=True)
    _sweep(graph_dir)
    tmp = graph_dir / f".{GRAPH_FILE}.{os.getpid()}.tmp"
    try:
        if check:
            summary = compile_to(workspace, tmp, workers)
            summary.changed = not target.exists() or _digest(tmp) != _digest(target)
            return summary
        with lock(graph_dir):
            loader, written = (StoreLoader(graph_dir) if store else None), {}

            def documents_written(offset: int, digest: str) -> None:
                written["digest"] = digest
                if not _store_holds(graph_dir, digest):   # new documents: load them during the tail
                    loader.start(tmp, offset, digest)

            try:
                summary = compile_to(workspace, tmp, workers, documents_written if loader else None)
                digest = _digest(tmp)
                summary.changed = not target.exists() or digest != _digest(target)
                if summary.changed:
                    with open(tmp, "rb+") as f:
                        os.fsync(f.fileno())
                    os.replace(tmp, target)
                write_atomic(graph_dir / f"{GRAPH_FILE}.sha256", _stamp(target, digest).encode())
                if store and not (store_is_current(graph_dir) and _store_opens(graph_dir)):
                    if loader.child is None:
                        loader.start(target, None, written.get("digest", ""))
                    loader.finish(target, digest)
                elif store and written and _documents_digest(graph_dir) != written["digest"]:
                    _note_documents(graph_dir, written["digest"])   # a store of an older build
            finally:
                if loader:
                    loader.cancel()
        return summary
    finally:
        tmp.unlink(missing_ok=True)
