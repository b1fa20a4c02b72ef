"""Where read commands get their answers: the embedded store (pyoxigraph, loaded from
``graph/dutygraph.trig``) or any SPARQL 1.1 endpoint (SPARQLWrapper). Both return rows of plain
Python values, so every command gives the same answers on either.
"""
from __future__ import annotations

import gc
import os
import queue
import re
import subprocess
import sys
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from . import answers
from .errors import DutygraphError

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "gYear")}
FLOATS = {XSD + t for t in ("decimal", "double", "float")}
DEFAULT_TIMEOUT = 30.0
# a query that ends with ORDER BY of plain variables (as every library query does)
ORDER_BY = re.compile(r"\bORDER\s+BY((?:\s*(?:(?:ASC|DESC)\s*\(\s*\?[A-Za-z_]\w*\s*\)|\?[A-Za-z_]\w*))+)\s*$", re.I)
ORDER_KEY = re.compile(r"(ASC|DESC)?\s*\(?\s*\?([A-Za-z_]\w*)", re.I)
# what makes an answer the whole answer's, not one part's
ANSWER_CUT = re.compile(r"\b(?:ORDER\s+BY|LIMIT|OFFSET)\b", re.I)
# a query that can be answered in parts says where: the rows it keeps are those whose key's MD5 starts
# within [?part_from, ?part_to), and these stay unbound (every row) unless the store binds them
PARTS = re.compile(r"VALUES\s*\(\s*\?part_from\s+\?part_to\s*\)\s*\{\s*\(\s*UNDEF\s+UNDEF\s*\)\s*\}")


def python_value(value: str, datatype: str | None):
    if datatype in INTEGERS:
        try:
            return int(value)
        except ValueError:
            return value
    if datatype in FLOATS:
        f = float(value)
        return int(f) if f.is_integer() else f
    if datatype == XSD + "boolean":
        return value == "true"
    return value


class Store(Protocol):
    def select(self, query: str) -> list[dict]: ...

    def select_many(self, queries: list[str]) -> list[list[dict]]: ...


class LocalStore:
    """The built graph, queried with the union of all named graphs: the on-disk Oxigraph store that
    build writes (graph/store/) when it is current, else (or when ``memory`` is asked for) the TriG
    loaded into memory — slower to open, quicker to answer, for a long session of many questions.
    With ``cache`` (and ``DUTYGRAPH_CACHE`` not 0), answers that took a while are kept for the graph
    and read back when asked again (answers.py)."""

    def __init__(self, trig_path: Path, memory: bool = False, threads: int | None = None, cache: bool = True):
        import pyoxigraph as ox

        self._ox = ox
        self.threads = threads or default_threads()
        if not trig_path.exists():
            raise DutygraphError(f"no graph at {trig_path}: run 'dutygraph build' first")
        graph_dir = trig_path.parent
        from .build import stamped_digest

        digest = stamped_digest(graph_dir) if cache and answers.enabled() else None
        self.path, self.source = None, None   # the on-disk store's, once open (its parts can be asked in processes)
        self.workers: Workers | None = None
        self._starting = threading.Lock()
        self.store = self._open(trig_path, memory)
        # answers are kept under the graph's digest only if no build changed the graph while it opened
        self.answers = answers.Answers(graph_dir, digest) if digest and stamped_digest(graph_dir) == digest else None

    def _open(self, trig_path: Path, memory: bool):
        from .build import STORE_DIR, store_is_current, store_source

        ox, graph_dir = self._ox, trig_path.parent
        if not memory and store_is_current(graph_dir):
            path = graph_dir / STORE_DIR
            self.source = store_source(graph_dir)
            try:
                store = ox.Store.read_only(str(path))
                self.path = str(path)
                return store
            except Exception as exc:  # RocksDB reports corruption as OSError or RuntimeError
                raise DutygraphError(f"the store in {graph_dir / STORE_DIR} is damaged ({str(exc)[:100]}); run 'dutygraph build' to rebuild it") from None
        store = ox.Store()
        try:
            store.bulk_load(path=str(trig_path), format=ox.RdfFormat.TRIG)
        except (SyntaxError, ValueError, OSError) as exc:
            raise DutygraphError(f"{trig_path} is damaged ({str(exc).splitlines()[0][:120]}); run 'dutygraph build' to rebuild it") from None
        return store

    def select(self, query: str) -> list[dict]:
        """Rows of a SELECT: the answer kept for this graph if the query was asked before and took a
        while (see answers.py), else the store's, kept if it took a while."""
        with _no_collection():
            kept = self.answers.get(query) if self.answers else None
            if kept is not None:
                return kept
            started = time.perf_counter()
            rows = self._select(query)
            if self.answers:
                self.answers.put(query, rows, time.perf_counter() - started)
            return rows

    def _select(self, query: str) -> list[dict]:
        """The store's rows. A final ``ORDER BY`` of plain variables is applied here, in Python, by
        SPARQL's ordering rules: Oxigraph 0.5 decodes both terms at every comparison of its sort,
        which made sorting 100,000 rows take longer than finding them (15 s of 19 at national scale).
        A query written in parts (see ``parts_of``) is answered in parts at once (see ``_answer``),
        the parts' rows then sorted together."""
        body, keys = final_order(query)
        if keys:
            names, tsv = self._answer(parts_of(body, self.threads))
            if all(v in names for v, _desc in keys):
                return self._rows(tsv, names, keys)
        names, tsv = self._answer(parts_of(query, self.threads))   # an ORDER BY left on: one part
        return self._rows(tsv, names, [])

    def select_many(self, queries: list[str]) -> list[list[dict]]:
        """The rows of several SELECTs, asked at once: on the store on disk each query goes whole
        to the first worker free (see ``Workers``), so a command that needs several national
        listings waits for the longest, not for their sum. Kept answers are read back; what the
        workers cannot answer is asked here, one query after another."""
        with _no_collection():
            out = [self.answers.get(q) if self.answers else None for q in queries]
            todo = [i for i, rows in enumerate(out) if rows is None]
            if len(todo) > 1 and self._start_workers():
                for i, keys, got in self._asked_of_workers([queries[i] for i in todo]):
                    if got is not None and all(v in got[0] for v, _desc in keys):
                        out[todo[i]] = self._rows(got[1], got[0], keys)
                        if self.answers:
                            self.answers.put(queries[todo[i]], out[todo[i]], got[2])
            return [rows if rows is not None else self.select(q) for q, rows in zip(queries, out)]

    def _asked_of_workers(self, queries: list[str]):
        """Each query's (index, final order, (variables, TSV rows, seconds) or None), its final
        ``ORDER BY`` taken off and, if it is written in parts, its parts asked of the workers among
        the others' (see ``_select``)."""
        bodies = [final_order(q) for q in queries]
        pieces = [parts_of(body, self.threads) for body, _keys in bodies]
        answered = self.workers.answer([part for parts in pieces for part in parts])
        at = 0
        for i, ((_body, keys), parts) in enumerate(zip(bodies, pieces)):
            got = answered[at:at + len(parts)] if answered else [None]
            at += len(parts)
            whole = None if None in got else (got[0][0], "".join(g[1] for g in got), max(g[2] for g in got))
            yield i, keys, whole

    def _start_workers(self) -> bool:
        """The worker processes of the store on disk, started once (none for the graph in memory)."""
        with self._starting:
            if self.path and self.workers is None:
                self.workers = Workers(self.path, self.source, self.threads)
        return bool(self.workers and self.workers.ready)

    def _answer(self, parts: list[str]) -> tuple[list[str], str]:
        """The variables and the TSV rows of a query's parts. Each part of the on-disk store's is
        answered by a worker process that keeps the store open read-only (``Workers``): pyoxigraph
        holds Python's lock while it writes an answer, so parts on threads partly waited for each
        other (one theme's duties at 3,200 jurisdictions: 3.7 s whole, 2.8 s on two threads, 2.4 s
        in two processes; benchmarks/parts.py). The graph in memory is one process's: its parts go
        on threads, as do the parts the workers cannot answer."""
        if len(parts) == 1:
            return _tsv(self.store, parts[0])
        self._start_workers()
        each = self.workers.answer(parts) if self.workers else None
        if each is None or None in each:
            with ThreadPoolExecutor(len(parts)) as pool:
                each = list(pool.map(lambda part: _tsv(self.store, part), parts))
        return each[0][0], "".join(answer[1] for answer in each)

    @staticmethod
    def _rows(body: str, names: list[str], keys: list[tuple[str, bool]]) -> list[dict]:
        """The rows Oxigraph wrote as SPARQL TSV, read back here: one pass in Rust and one split,
        where asking pyoxigraph for each term made a Python object per cell (theme-counts at 3,200
        jurisdictions on disk: 2.11 s against 2.98 s, 0.40 s of it reading and sorting the 112,793
        rows; benchmarks/row_reading.py). A cell repeats in many rows: each distinct one is read once."""
        count = body.count("\n")   # one line per row, each ending with a newline
        if not names:
            return [{} for _row in range(count)]
        cells = body[:-1].replace("\n", "\t").split("\t") if count else []
        columns = [cells[i::len(names)] for i in range(len(names))]
        value = _Cells(tsv_value)
        rows = [dict(zip(names, row)) for row in zip(*(map(value.__getitem__, column) for column in columns))]
        if not keys:
            return rows
        rank = [0] * len(rows)   # each row's place among the distinct keys, all the query's keys in one number
        for name, desc in keys:
            column = columns[names.index(name)]
            places = ranks(set(column), desc)
            width = len(places) + 1
            rank = [r * width + places[c] for r, c in zip(rank, column)]
        order = sorted(range(len(rows)), key=rank.__getitem__)   # stable: ties keep Oxigraph's order
        return [rows[i] for i in order]


@contextmanager
def _no_collection():
    """Python's cyclic collector off while an answer is read: a large answer is many new objects
    and no cycles, so collections would only rescan them."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _tsv(store, query: str) -> tuple[list[str], str]:
    """The solutions' variables and rows, written by Oxigraph as SPARQL TSV (one line per row)."""
    import pyoxigraph as ox

    try:
        solutions = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise DutygraphError(f"the query is not valid SPARQL: {str(exc).splitlines()[0][:200]}") from None
    except (OSError, RuntimeError) as exc:
        raise DutygraphError(f"the graph store is damaged ({str(exc)[:100]}); run 'dutygraph build' to rebuild it") from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise DutygraphError("only SELECT queries can be listed")
    try:
        data = solutions.serialize(format=ox.QueryResultsFormat.TSV)
    except (OSError, RuntimeError) as exc:
        raise DutygraphError(f"the graph store is damaged ({str(exc)[:100]}); run 'dutygraph build' to rebuild it") from None
    _header, _, rows = data.decode("utf-8").partition("\n")
    return [v.value for v in solutions.variables], rows


# a worker: keeps the store open read-only (if it is still the one the asking process opened: its
# SOURCE's first line, else exit 3) and answers one part at a time: a query's length and bytes in,
# the length and bytes of its SPARQL TSV out (-1: it failed); it ends when its input does
_WORKER = r"""
import sys
import pyoxigraph as ox
path, source = sys.argv[1], sys.argv[2]
store = ox.Store.read_only(path)
with open(path + "/SOURCE", encoding="utf-8") as f:
    if f.readline().strip() != source:
        sys.exit(3)
read, write = sys.stdin.buffer, sys.stdout.buffer
write.write(b"ready\n")
write.flush()
for line in iter(read.readline, b""):
    query = read.read(int(line)).decode("utf-8")
    try:
        out = store.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.TSV)
        write.write(b"%d\n" % len(out) + out)
    except Exception:
        write.write(b"-1\n")
    write.flush()
"""


class Workers:
    """Processes that answer queries on the store on disk side by side — the parts of one query,
    or several queries asked at once (``LocalStore.select_many``), each worker taking the next when
    it is done. Each is a new interpreter (nothing of the asking process — its open store, its main module — is
    carried over) that opens the store read-only once and keeps it: started with the asking
    process's store, a worker answers from it as the asking process does, even after a build puts
    another in its place. Started when first needed and kept for the next questions: a process
    started for each part cost a place's question more than the question itself."""

    def __init__(self, path: str, source: str | None, n: int):
        self.lock = threading.Lock()
        self.procs = [] if source is None else [self._start(path, source) for _ in range(n)]
        self.ready = bool(self.procs) and all(p.stdout.readline() == b"ready\n" for p in self.procs)
        weakref.finalize(self, _stop, list(self.procs))

    @staticmethod
    def _start(path: str, source: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", _WORKER, path, source], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def answer(self, queries: list[str]) -> list[tuple[list[str], str, float] | None] | None:
        """Each query's variables, TSV rows and seconds, the queries shared among the workers (each
        takes the next when it is done); None for a query a worker failed, and None for all when
        the workers cannot be used (another store, gone, or busy with another thread's question)."""
        if not self.ready or not self.lock.acquire(blocking=False):
            return None
        try:
            out: list = [None] * len(queries)
            pending: queue.SimpleQueue = queue.SimpleQueue()
            for i in range(len(queries)):
                pending.put(i)

            def serve(proc: subprocess.Popen) -> None:
                while self.ready:
                    try:
                        i = pending.get_nowait()
                    except queue.Empty:
                        return
                    started = time.perf_counter()
                    got = self._ask(proc, queries[i])
                    out[i] = got and (*got, time.perf_counter() - started)

            with ThreadPoolExecutor(len(self.procs)) as pool:
                list(pool.map(serve, self.procs))
        finally:
            self.lock.release()
        return out

    def _ask(self, proc: subprocess.Popen, query: str) -> tuple[list[str], str] | None:
        data = query.encode("utf-8")
        try:
            proc.stdin.write(b"%d\n" % len(data) + data)
            proc.stdin.flush()
            size = int(proc.stdout.readline())
        except (OSError, ValueError):   # the worker is gone: its share is answered by the asking process
            self.ready = False
            return None
        if size < 0:
            return None
        header, _, rows = proc.stdout.read(size).decode("utf-8").partition("\n")
        return [name[1:] for name in header.split("\t") if name], rows


def _stop(procs: list[subprocess.Popen]) -> None:
    """End the workers: their input closes, so each leaves its loop."""
    for proc in procs:
        try:
            proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()


def default_threads() -> int:
    """The parts a query written in parts is answered in at once: one per core this process may use,
    at most four (``DUTYGRAPH_THREADS`` sets it; 1 answers every query whole)."""
    asked = os.environ.get("DUTYGRAPH_THREADS", "")
    if asked.isdigit() and int(asked) > 0:
        return int(asked)
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def parts_of(query: str, n: int) -> list[str]:
    """A query written to be answered in parts, as ``n`` queries whose answers together are its own:
    it binds ``VALUES (?part_from ?part_to) { (UNDEF UNDEF) }`` and keeps the rows whose key's MD5
    starts within that range, so each part gets one range of hex pairs. The query alone when it has
    no such VALUES, when n is 1, or when it ends with an ORDER BY, LIMIT or OFFSET (these apply to
    the whole answer: ``select`` takes a final ORDER BY off first and sorts the parts' rows together)."""
    if n < 2 or not PARTS.search(query) or ANSWER_CUT.search(query[query.rindex("}") + 1:]):
        return [query]   # a final order or a limit is the whole answer's: not split
    n = min(n, 16)
    bounds = [f"{256 * i // n:02x}" for i in range(n)] + ["g"]   # "g" sorts after every hex pair
    return [PARTS.sub(f'VALUES (?part_from ?part_to) {{ ("{a}" "{b}") }}', query)
            for a, b in zip(bounds, bounds[1:])]


def final_order(query: str) -> tuple[str, list[tuple[str, bool]]]:
    """A query without its final ORDER BY of plain variables, and that order's (variable, descending)
    keys; the query as it is and no keys when it has none."""
    order = ORDER_BY.search(query)
    if not order:
        return query, []
    return query[: order.start()], [(v, (d or "").upper() == "DESC") for d, v in ORDER_KEY.findall(order.group(1))]


def ranks(cells: set, desc: bool) -> dict[str, int]:
    """Each distinct cell's place in SPARQL's order (cells of the same key share it)."""
    keyed = sorted((order_key(*tsv_term(c)), c) for c in cells)
    places, place, last = {}, -1, object()
    for key, cell in keyed:
        if key != last:
            place, last = place + 1, key
        places[cell] = place
    return {c: place - p for c, p in places.items()} if desc else places


class _Cells(dict):
    """A cell's reading, made the first time the cell is met."""

    def __init__(self, read):
        super().__init__()
        self.read = read

    def __missing__(self, cell):
        v = self[cell] = self.read(cell)
        return v


RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
TSV_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
TSV_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(m: re.Match) -> str:
    code = m.group(1) or m.group(2)
    return chr(int(code, 16)) if code else TSV_ESCAPES.get(m.group(3), m.group(0))


def tsv_term(cell: str) -> tuple[str, str | None, str, str]:
    """A SPARQL TSV cell as (kind, value, datatype, language); kind is '' (unbound), 'bnode', 'iri' or
    'literal'. Numbers and booleans may be written bare, as in Turtle."""
    if not cell:
        return "", None, "", ""
    if cell[0] == "<":
        return "iri", cell[1:-1], "", ""
    if cell.startswith("_:"):
        return "bnode", cell[2:], "", ""
    if cell[0] == '"':
        close = cell.rindex('"')
        text, suffix = cell[1:close], cell[close + 1:]
        if "\\" in text:
            text = TSV_ESCAPE.sub(_unescape, text)
        if suffix.startswith("^^<"):
            return "literal", text, suffix[3:-1], ""
        if suffix.startswith("@"):
            return "literal", text, RDF_LANG_STRING, suffix[1:]
        return "literal", text, XSD + "string", ""
    if cell in ("true", "false"):
        return "literal", cell, XSD + "boolean", ""
    if "e" in cell or "E" in cell:
        return "literal", cell, XSD + "double", ""
    return "literal", cell, XSD + ("decimal" if "." in cell else "integer"), ""


def tsv_value(cell: str):
    """The plain Python value of a TSV cell, as the endpoint's JSON rows give it (see python_value)."""
    if cell[:1] == "<":   # the most common cells first: an IRI, a plain or language-tagged text
        return cell[1:-1]
    if cell[:1] == '"' and "\\" not in cell and (cell[-1] == '"' or "^^" not in cell):
        return cell[1:cell.rindex('"')]
    kind, value, datatype, _language = tsv_term(cell)
    return python_value(value, datatype) if kind == "literal" else value


def order_key(kind: str, value: str | None, datatype: str, language: str) -> tuple:
    """SPARQL's ORDER BY rank of a term: unbound, blank nodes, IRIs, then literals; numbers by value,
    other literals by their text (code points), then datatype and language."""
    if not kind:
        return (0,)
    if kind == "bnode":
        return (1, value)
    if kind == "iri":
        return (2, value)
    if datatype in INTEGERS or datatype in FLOATS:
        try:
            return (3, 0, float(value), "")
        except ValueError:
            pass
    return (3, 1, value, datatype + "@" + language)


class RemoteStore:
    """A SPARQL 1.1 endpoint; credentials only from DUTYGRAPH_SPARQL_USER / DUTYGRAPH_SPARQL_PASSWORD."""

    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT):
        self.endpoint = check_url(endpoint)
        self.timeout = timeout

    def _wrapper(self, url: str):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        w = SPARQLWrapper(url)
        w.setMethod(POST)
        w.setReturnFormat(JSON)
        w.setTimeout(max(1, int(self.timeout)))
        user, password = credentials()
        if user:
            w.setCredentials(user, password or "")
        return w

    def select_many(self, queries: list[str]) -> list[list[dict]]:
        """The rows of several SELECTs, one after another."""
        return [self.select(q) for q in queries]

    def select(self, query: str) -> list[dict]:
        w = self._wrapper(self.endpoint)
        w.setQuery(query)
        try:
            result = w.queryAndConvert()
        except Exception as exc:  # urllib, socket and SPARQLWrapper errors alike
            raise DutygraphError(f"endpoint {self.endpoint} failed: {describe(exc)}") from None
        if not isinstance(result, dict) or "results" not in result:
            raise DutygraphError(f"endpoint {self.endpoint} did not answer with SPARQL JSON results")
        names = result["head"].get("vars", [])
        rows = []
        for b in result["results"]["bindings"]:
            row = {}
            for name in names:
                cell = b.get(name)
                if cell is None:
                    row[name] = None
                elif cell["type"] in ("literal", "typed-literal"):
                    row[name] = python_value(cell["value"], cell.get("datatype"))
                else:
                    row[name] = cell["value"]
            rows.append(row)
        return rows


def credentials() -> tuple[str | None, str | None]:
    """(user, password) from DUTYGRAPH_SPARQL_USER/PASSWORD, else from the file named by
    DUTYGRAPH_CREDENTIALS (default ~/.config/dutygraph/credentials: lines user=… and password=…),
    which must be readable by its owner alone."""
    user = os.environ.get("DUTYGRAPH_SPARQL_USER")
    if user:
        return user, os.environ.get("DUTYGRAPH_SPARQL_PASSWORD", "")
    path = Path(os.environ.get("DUTYGRAPH_CREDENTIALS", Path.home() / ".config" / "dutygraph" / "credentials"))
    if not path.exists():
        return None, None
    if path.stat().st_mode & 0o077:
        raise DutygraphError(f"{path} can be read by others: chmod 600 it (credentials must be private)")
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            values[k.strip()] = v.strip()
    return values.get("user"), values.get("password", "")


def check_url(url: str) -> str:
    """An endpoint URL, refused if it is not http(s) or carries credentials (they belong in the environment)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DutygraphError("the endpoint must be an http(s) URL such as http://127.0.0.1:7878/query")
    if parts.username or parts.password:
        raise DutygraphError("the endpoint URL must not carry credentials: set DUTYGRAPH_SPARQL_USER and DUTYGRAPH_SPARQL_PASSWORD instead")
    return url


def describe(exc: Exception) -> str:
    """One line about a network or endpoint error, never with credentials in it."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    try:
        _user, stored = credentials()
    except DutygraphError:
        stored = None
    for secret in (os.environ.get("DUTYGRAPH_SPARQL_PASSWORD"), stored):
        if secret:
            text = text.replace(secret, "***")
    if "timed out" in text.lower() or type(exc).__name__ in ("timeout", "TimeoutError"):
        return "timed out"
    return text[:200]
