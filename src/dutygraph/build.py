"""The build: corpus → records → RDF → SHACL → ``graph/dutygraph.trig`` and the embedded store.

Streaming and parallel: each document is read, extracted, written as its own named graph and
validated with SHACL in a worker process (both cores), so neither the corpus nor the graph is ever
held whole in Python; the cross-document shapes (units, member units, jurisdictions, vocabularies)
run once on the shared resources. The TriG is deterministic (the same corpus gives the same bytes),
written to a temporary file and renamed (a killed build leaves the last good graph), under a lock
(a second build is refused). The graph is bulk-loaded into a new on-disk Oxigraph store
(``graph/store/``, which read commands use): every graph but the findings by a child process that
follows the TriG while the workers write it, then the findings; the store is optimised and
replaces the old.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import multiprocessing as mp
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, RDF

from . import corpus as corpus_mod
from . import jurisdictions as jur
from . import answers, statistics, suggestions, trig, validate, vocab as vocab_mod
from .errors import DutygraphError
from .namespaces import CV, DG, ORG, graph_iri
from .output import Progress
from .pipeline.extract import extract
from .rdf import DocumentWriter, Shared, inference_graph, jurisdiction_graph, shared_graph

GRAPH_FILE = "dutygraph.trig"
STORE_DIR = "store"
ONTOLOGY_FILES = ("dutygraph.ttl", "shapes.ttl", "shapes-shared.ttl")
PARALLEL_FROM = 16   # documents: below this a build runs in one process
SHARED_PARALLEL_FROM = 5_000   # units: below this the cross-document shapes run in one process
YOUNG_COLLECTION_EVERY = 50_000   # allocations (Python's default: 700)
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
    inferred: dict         # inferred basis -> (law, themes)
    stats: statistics.Statistics = field(default_factory=statistics.Statistics)
    wording: list = field(default_factory=list)   # suggestions.Wording of each duty
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
    """``data`` written beside ``path`` and renamed over it (see ``atomic_file``)."""
    with atomic_file(path) as f:
        f.write(data)


@contextlib.contextmanager
def atomic_file(path: Path):
    """A binary file written beside ``path`` and renamed over it when the block ends, so a reader
    never meets half a file and a failed write (an error in the block too) leaves the old one; an
    error names ``path``, not the temporary file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        with contextlib.suppress(OSError):   # none was made where the directory is missing or a file
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
    _collect_less()


def _collect_less() -> None:
    """Take what the process holds for good (vocabularies, shapes, register) out of the cyclic
    collector and let it run on every 50,000 allocations, not 700: a document's terms, lines and
    records hold few cycles, and collections that found next to nothing took 6-9% of a worker's
    time, now under 1% (``benchmarks/worker_time.py``). Memory does not grow: a document's
    garbage is freed by reference counts."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 20, 100)


@contextmanager
def _collector_at_ease():
    """:func:`_collect_less` for the build's own process, undone after it (a notebook or a test
    that builds keeps Python's collector as it was)."""
    thresholds = gc.get_threshold()
    _collect_less()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _document(path: str) -> DocResult:
    workspace, vocab = _W["workspace"], _W["vocab"]
    doc = corpus_mod.load_document(Path(path), workspace)
    ex = extract(doc, vocab)
    shared = Shared()
    writer = DocumentWriter(doc, vocab, shared)
    g = writer.write(ex)
    validate.check_offsets(g, {writer.iri: doc.text})
    name = graph_iri(doc.id)
    lines = trig.lines(g, name)
    block, size = trig.wrap(name, lines), len(lines)
    units = [(iri, ref, sorted(shared.names[iri])) for iri, ref in shared.refs.items()]
    with_duty = {o for o in g.objects(None, CV.hasParticipant)}
    members = [(s, o) for s, o in g.subject_objects(DG.memberUnitOf)]
    people = {m for m, p in g.subject_objects(ORG.member) if (p, RDF.type, FOAF.Person) in g}
    represented = {a for m, a in g.subject_objects(DG.onBehalfOf) if m in people}
    laws = set(g.objects(None, DG.refersTo))
    # validate the document's lines with the context its shapes look at (its places; what the
    # register says of the instruments it names: the shapes follow dg:refersTo and dg:instrument
    # one step)
    known = {j.key: j for j in doc.jurisdictions()}
    context = [trig.line(*t) for t in jurisdiction_graph(shared, lambda j: jur.with_ancestors(j, known))]
    for law in laws | set(g.objects(None, DG.instrument)):
        context += [trig.line(*t) for t in _W["register"].get(law, ())]
    started = time.perf_counter()
    findings = _W["shapes"].validate_lines(lines + context)
    shacl_s = time.perf_counter() - started
    return DocResult(doc.id, block, size, findings, units, list(shared.jurisdictions.values()),
                     with_duty, members, represented, laws, shared.inferred,
                     statistics.document_part(g, writer.iri, shared.inferred), suggestions.document_wording(g),
                     duties=sum(1 for s in ex.statements if not s.is_task), tasks=sum(1 for s in ex.statements if s.is_task),
                     memberships=len(ex.memberships), seconds_shacl=shacl_s)


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


def compile_to(workspace: Path, out: Path, workers: int | None = None, head_written=None) -> Summary:
    """Write the whole TriG to ``out``; return the summary. Nothing else on disk changes.

    ``head_written(offset, digest)``, if given, is called once every graph but the findings is in
    ``out`` (its first ``offset`` bytes, of that SHA-256; the graphs are in order of name and the
    findings' graph, ``validation``, is followed by ``vocabularies`` alone), before the
    cross-document shapes run."""
    with _collector_at_ease():
        return _compile_to(workspace, out, workers, head_written)


def _compile_to(workspace: Path, out: Path, workers: int | None, head_written) -> Summary:
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
    findings = Graph(store="SimpleMemory")
    with_duty, represented, members, laws = set(), set(), [], set()
    stats = statistics.Statistics()
    wording = suggestions.Index()
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
            shared.inferred.update(r.inferred)
            stats.add(r.stats)
            wording.add(r.wording)
            progress.step()
        shared.jurisdictions = dict(known)
        tail = {graph_iri("agencies"): shared_graph(shared),
                graph_iri("jurisdictions"): jurisdiction_graph(shared, lambda j: jur.with_ancestors(j, known)),
                graph_iri("inferences"): inference_graph(shared.inferred)}
        onto, vocabs = ontology_graphs(onto_dir)
        tail[graph_iri("ontology")] = onto
        unit_types, units_in = suggestions.units_of(shared)
        tail[graph_iri("statistics")] = statistics.graph(stats, unit_types)
        tail[graph_iri("suggestions")] = suggestions.graph(wording.suggest(unit_types, units_in))
        tail[graph_iri("vocabularies")] = vocabs
        body = {name: trig.lines(g, name) for name, g in tail.items()}
        unread = (graph_iri("statistics"), graph_iri("suggestions"))   # no shape reads them
        del stats, wording
        for name in unread:
            del tail[name]
        validation = graph_iri("validation")
        # the shared graphs that come before the findings go out before the shapes run over them
        before = sorted((name for name in body if str(name) < str(validation)), key=str)
        for name in before:
            f.write(_hashed(head, trig.wrap(name, body[name])))
        for name in unread:   # gone before the shapes
            summary.triples += len(body[name])
            body[name] = []
        if head_written:
            f.flush()
            head_written(f.tell(), head.hexdigest())
        t = time.perf_counter()
        findings += _shared_findings(onto_dir, body, members, with_duty, represented, workers)
        summary.validation_seconds += time.perf_counter() - t
        body[validation] = trig.lines(findings, validation)
        for name in sorted(body, key=str):
            if name not in before:
                f.write(trig.wrap(name, body[name]))
        summary.triples += sum(len(lines) for lines in body.values())
    summary.findings = validate.severity_counts(findings)
    summary.jurisdictions = len({s for s in tail[graph_iri("jurisdictions")].subjects(RDF.type, DG.Jurisdiction)})
    summary.agencies = sum(1 for ref in shared.refs.values() if not ref.collective)
    summary.laws = len(laws)
    summary.seconds = time.perf_counter() - started
    return summary


def _hashed(h, text: str) -> str:
    h.update(text.encode("utf-8"))
    return text


def _shared_findings(onto_dir: Path, body: dict, members, with_duty, represented, workers: int) -> Graph:
    """The cross-document shapes, over the shared graphs (their TriG lines) and the links the
    documents reported, in ``workers`` processes: each takes the units of its share (a unit's
    findings look at the unit, its places and the vocabularies alone) with every place, concept
    and inferred basis."""
    own: dict[str, list[str]] = {}   # a unit's lines, by the unit as the lines write it
    for line in body[graph_iri("agencies")]:
        own.setdefault(trig.subject(line), []).append(line)

    def add(agency, *triples) -> None:
        own.setdefault(trig.term(agency), []).extend(trig.line(*t) for t in triples)

    for agency, b in members:
        add(agency, (agency, DG.memberUnitOf, b))
    # stand-ins for links that live in other documents' graphs (only the validator sees them)
    for agency in with_duty:
        add(agency, (URIRef(f"{agency}#duty"), CV.hasParticipant, agency))
    for agency in represented:
        m, p = URIRef(f"{agency}#representative"), URIRef(f"{agency}#person")
        add(agency, (m, DG.onBehalfOf, agency), (m, ORG.member, p), (p, RDF.type, FOAF.Person))
    common = [line for name in ("jurisdictions", "inferences", "vocabularies") for line in body[graph_iri(name)]]
    n = workers if len(own) >= SHARED_PARALLEL_FROM else 1
    shares: list[list[str]] = [[] for _ in range(n)]
    for key, lines in own.items():
        shares[zlib.crc32(key.encode()) % n].extend(lines)
    tasks = [(onto_dir, share + common) for share in shares]
    if n == 1:
        found = [_share_findings(tasks[0])]
    else:   # new processes, given their share: a fork would start as a copy of this whole build
        with mp.get_context("spawn").Pool(n) as pool:
            found = pool.map(_share_findings, tasks)
    out = Graph(store="SimpleMemory")
    for triples in found:
        for t in triples:
            out.add(t)
    return out


def _share_findings(task: tuple[Path, list[str]]) -> list:
    """The findings of the cross-document shapes on one share's lines, as triples."""
    onto_dir, lines = task
    shapes = Graph().parse(onto_dir / "shapes.ttl", format="turtle").parse(onto_dir / "shapes-shared.ttl", format="turtle")
    onto = Graph().parse(onto_dir / "dutygraph.ttl", format="turtle")
    return list(validate.Shapes(shapes, onto).validate_lines(lines))


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class StoreLoader:
    """A new store, filled beside the old one and swapped in when complete.

    A child process bulk-loads the TriG while the build writes it: it follows the file as the
    workers' graphs arrive (Oxigraph loads in batches, so the store fills during the documents'
    phase instead of after it) and stops where the head ends (every graph but the findings, which
    come last but for the small vocabularies' graph), while the build runs the cross-document
    shapes. ``finish`` adds the rest, optimises and swaps.
    """

    def __init__(self, graph_dir: Path):
        self.graph_dir, self.child, self.offset, self.digest, self.errors = graph_dir, None, None, "", None
        self.tmp = graph_dir / f".{STORE_DIR}.{os.getpid()}.tmp"

    def start(self, trig_path: Path, follow: bool = False, digest: str = "") -> None:
        """Load ``trig_path`` in a child process: all of it, or (``follow``) the file as it grows,
        up to where :meth:`head_end` says the head ends."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.offset, self.digest = None, digest
        here = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)}
        fd = os.open(trig_path, os.O_RDONLY)   # the child reads this file even once it is renamed
        self.errors = tempfile.TemporaryFile()   # not a pipe: a full one would stop the child
        try:
            self.child = subprocess.Popen(
                [sys.executable, "-c", _LOAD_CHILD, str(self.tmp), str(fd), "follow" if follow else "all"],
                env=env, pass_fds=(fd,), stdin=subprocess.PIPE if follow else subprocess.DEVNULL,
                stdout=subprocess.PIPE if follow else subprocess.DEVNULL, stderr=self.errors,
                preexec_fn=_die_with_parent)
        finally:
            os.close(fd)

    def head_end(self, offset: int, digest: str) -> None:
        """Tell a following child that the head ends at ``offset`` (of that SHA-256), and wait
        until it knows: nothing may be written past the end before."""
        self.offset, self.digest = offset, digest
        try:
            self.child.stdin.write(f"{offset}\n".encode())
            self.child.stdin.close()
        except BrokenPipeError:   # the child has failed: finish says why
            return
        self.child.stdout.readline()   # "ok", or nothing if it failed

    def finish(self, trig_path: Path, digest: str) -> None:
        """Wait for the child, load the rest of the TriG (now at ``trig_path``, of SHA-256
        ``digest``), optimise, stamp and swap the stores."""
        import pyoxigraph as ox

        self._wait_child()
        store = ox.Store(str(self.tmp))
        if self.offset is not None:
            self._load_rest(store, trig_path)
        self._optimise(store)
        del store
        (self.tmp / "SOURCE").write_text(f"{_stamp(trig_path, digest)}\nhead {self.digest}\n")
        final, old = self.graph_dir / STORE_DIR, self.graph_dir / f".{STORE_DIR}.old.{os.getpid()}"
        if final.exists():
            os.replace(final, old)
        os.replace(self.tmp, final)
        shutil.rmtree(old, ignore_errors=True)

    def _wait_child(self) -> None:
        """Wait for the child to load the head; its last error line if it failed."""
        if self.child.wait() != 0:
            self.errors.seek(0)
            last = (self.errors.read().decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            raise DutygraphError(f"loading the store failed ({last[:160]}); run 'dutygraph build' again")

    def _load_rest(self, store, trig_path: Path) -> None:
        """The graphs after the head (the findings, the vocabularies)."""
        import pyoxigraph as ox

        with _part(trig_path, self.offset, before=trig.header().encode("utf-8")) as rest:
            store.bulk_load(input=rest, format=ox.RdfFormat.TRIG, lenient=True)

    def _optimise(self, store) -> None:
        """Once, over everything: a query suite took twice as long on a store as loaded, and 5-25%
        longer with the findings' graph left as loaded; a second compaction costs as much as the
        first (the keys are hashes, spread over every file), so the head is not optimised apart."""
        store.optimize()
        store.flush()

    def cancel(self) -> None:
        """Stop the child if it still runs and remove what it wrote (nothing once swapped in)."""
        if self.child and self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        if self.errors:
            self.errors.close()
        self.child = self.errors = None
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
    """A file from ``start`` on, after ``before``: a piece of the TriG as a stream.

    With ``follow`` (a stream that will give the end offset) the file is still being written: at
    its current end the reader waits for more bytes or for the end, and it looks for the end before
    every read. Once it knows, it says so on ``ack``; the build writes nothing past the end before
    that, so the reader never reads beyond it."""

    def __init__(self, source: Path | int, start: int, before: bytes = b"", follow=None, ack=None):
        self.f = open(source, "rb")   # a path or a file descriptor
        self.f.seek(start)
        self.pos, self.left, self.before = start, None, before   # left: bytes to the end, once known
        self.follow, self.ack = follow, ack

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self.before:
            n = min(len(b), len(self.before))
            b[:n], self.before = self.before[:n], self.before[n:]
            return n
        while True:
            if self.follow is not None:
                self._learn_end(0)
            want = len(b) if self.left is None else min(len(b), self.left)
            got = self.f.readinto(memoryview(b)[:want]) if want > 0 else 0
            self.pos += got
            if self.left is not None:
                self.left -= got
            if got or self.follow is None:
                return got
            self._learn_end(0.2)   # at the current end of a growing file

    def _learn_end(self, timeout: float) -> None:
        ready, _, _ = select.select([self.follow], [], [], timeout)
        if not ready:
            return
        line = self.follow.readline()
        if not line.strip():
            raise OSError("the build stopped before its graphs were written")
        self.left, self.follow = int(line) - self.pos, None
        if self.left < 0:
            raise OSError("read past the end of the head")
        if self.ack is not None:
            self.ack.write(b"ok\n")
            self.ack.flush()

    def close(self) -> None:
        self.f.close()
        super().close()


def _part(source: Path | int, start: int, before: bytes = b"", follow=None, ack=None) -> io.BufferedReader:
    return io.BufferedReader(_Part(source, start, before, follow, ack), 1 << 20)


def _load_part(store_dir: str, fd: str, mode: str) -> None:
    """The loader's child: bulk-load the TriG open at ``fd`` into a new store, all of it or
    (``follow``) as the build writes it, up to the offset it sends on stdin (acknowledged on
    stdout)."""
    import pyoxigraph as ox

    store = ox.Store(store_dir)
    follow = mode == "follow"
    with _part(int(fd), 0, follow=sys.stdin.buffer if follow else None, ack=sys.stdout.buffer if follow else None) as head:
        # lenient: Oxigraph does not check again the IRIs of a file this build has just written
        # (minted by namespaces.slug and read from the ontology by rdflib): 7-10% less of the
        # loader's CPU, which the workers share
        store.bulk_load(input=head, format=ox.RdfFormat.TRIG, lenient=True)
    store.flush()


def _stamp(trig_path: Path, digest: str) -> str:
    st = trig_path.stat()
    return f"{digest} {st.st_size} {st.st_mtime_ns}"


def _current_stamp(graph_dir: Path) -> str | None:
    """The stamp build recorded for the TriG (its digest, size and time) while the TriG is the one it
    recorded; None when there is no record or the TriG changed since."""
    try:
        stamp = (graph_dir / f"{GRAPH_FILE}.sha256").read_text().strip()
        _digest, size, mtime = stamp.split()
        st = (graph_dir / GRAPH_FILE).stat()
    except (OSError, ValueError):
        return None
    return stamp if [size, mtime] == [str(st.st_size), str(st.st_mtime_ns)] else None


def stamped_digest(graph_dir: Path) -> str | None:
    """The digest build recorded for the TriG while the TriG is the one it recorded (same size and
    time); None when there is no record or the TriG changed since."""
    stamp = _current_stamp(graph_dir)
    return stamp.split()[0] if stamp else None


def store_source(graph_dir: Path) -> str | None:
    """What the store records it was loaded from (the first line of its SOURCE: the TriG's stamp); a
    store put in its place by a later build records another."""
    try:
        return (graph_dir / STORE_DIR / "SOURCE").read_text().split("\n")[0].strip()
    except OSError:
        return None


def store_is_current(graph_dir: Path) -> bool:
    """The store was loaded from the TriG as it is now (same digest, size and time, as build left it)."""
    stamp = _current_stamp(graph_dir)
    return stamp is not None and store_source(graph_dir) == stamp


def _head_digest(graph_dir: Path) -> str | None:
    """The digest of the TriG's head (every graph but the findings) the store was loaded from, as
    its SOURCE records it."""
    lines = (graph_dir / STORE_DIR / "SOURCE").read_text().splitlines()
    return lines[1].removeprefix("head ") if len(lines) > 1 and lines[1].startswith("head ") else None


def _store_holds(graph_dir: Path, head_digest: str) -> bool:
    """The store is current and was loaded from a head of this digest."""
    return (store_is_current(graph_dir) and _head_digest(graph_dir) == head_digest
            and store_opens(graph_dir))


def _note_head(graph_dir: Path, head_digest: str) -> None:
    """Record in a current store's SOURCE the digest of the head it holds."""
    src = graph_dir / STORE_DIR / "SOURCE"
    write_atomic(src, f"{src.read_text().splitlines()[0]}\nhead {head_digest}\n".encode())


def _sweep(graph_dir: Path) -> None:
    """Remove what a killed build (or a reader keeping an answer) left behind in a directory:
    temporary files and stores of dead processes."""
    for p in graph_dir.glob(".*.tmp"):
        pid = p.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def store_opens(graph_dir: Path) -> bool:
    """The store opens and answers (a damaged one is loaded again, or not served)."""
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

            def head_written(offset: int, digest: str) -> None:
                written["digest"] = digest
                if _store_holds(graph_dir, digest):   # the store has this head already
                    loader.cancel()
                else:
                    loader.head_end(offset, digest)

            try:
                if loader:   # the child follows the TriG from its first byte
                    tmp.write_bytes(b"")
                    loader.start(tmp, follow=True)
                summary = compile_to(workspace, tmp, workers, head_written if loader else None)
                digest = _digest(tmp)
                summary.changed = not target.exists() or digest != _digest(target)
                if summary.changed:
                    with open(tmp, "rb+") as f:
                        os.fsync(f.fileno())
                    os.replace(tmp, target)
                write_atomic(graph_dir / f"{GRAPH_FILE}.sha256", _stamp(target, digest).encode())
                answers.prune(graph_dir, digest)   # what was kept for another graph is no answer for this one
                for kept in (graph_dir / answers.ANSWERS_DIR).glob("*/"):
                    _sweep(kept)   # and what a killed process left half-written there
                if store and not (store_is_current(graph_dir) and store_opens(graph_dir)):
                    if loader.child is None:
                        loader.start(target, digest=written.get("digest", ""))
                    loader.finish(target, digest)
                elif store and written and _head_digest(graph_dir) != written["digest"]:
                    _note_head(graph_dir, written["digest"])   # a store of an older build
            finally:
                if loader:
                    loader.cancel()
        return summary
    finally:
        tmp.unlink(missing_ok=True)
