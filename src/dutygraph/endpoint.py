"""Putting the graph into a SPARQL store, and serving it.

``load`` replaces, graph by graph, what an earlier load put there (a graph whose text has not
changed since, by the digest the manifest keeps, is left alone): each named graph goes with the
SPARQL 1.1 Graph Store Protocol (HTTP PUT), falling back to SPARQL Update where the store has no
Graph Store endpoint; an Oxigraph server gets the graphs dropped and then posted many at a time
without transactions (twice as fast). A manifest graph, written last, remembers what was loaded,
so a graph whose document left the corpus is dropped. The TriG is read as text, one graph at a
time: a national graph never sits in memory. Credentials come only from the environment
(DUTYGRAPH_SPARQL_USER, DUTYGRAPH_SPARQL_PASSWORD) and never appear in output.

``serve`` starts a local Oxigraph server (the ``oxigraph`` package) on the store the build wrote,
read-only.
"""
from __future__ import annotations

import base64
import hashlib
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from .errors import DutygraphError
from .namespaces import DG, graph_iri
from .store import RemoteStore, check_url, credentials, describe

MANIFEST = str(graph_iri("manifest"))
CHUNK = 20_000
PARALLEL_PUTS = 4
BULK_BYTES = 16 << 20   # characters of triples per bulk request


def urls(endpoint: str, update: str | None = None, store: str | None = None) -> tuple[str, str, str]:
    """(query, update, graph store) URLs from the query endpoint's (Oxigraph and Fuseki style)."""
    base = endpoint.rstrip("/")
    for suffix in ("/query", "/sparql"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    query = endpoint if endpoint.rstrip("/") != base else base + "/query"
    return query, update or base + "/update", store or base + "/store"


def _request(url: str, method: str, body: bytes | None, content_type: str | None, timeout: float):
    req = urllib.request.Request(url, data=body, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(_authorized(req), timeout=timeout) as resp:
        return resp.status


def _authorized(req: urllib.request.Request) -> urllib.request.Request:
    user, password = credentials()
    if user:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    return req


def _blocks(trig: Path):
    """(graph IRI, prefix lines, triple lines) for each named graph of the built TriG, read as text one
    graph at a time: build writes a prefix header, then each graph as a ``name {`` line, one triple
    per line and a ``}`` line, so nothing but the current graph is held in memory."""
    if not trig.exists():
        raise DutygraphError(f"no graph at {trig}: run 'dutygraph build' first")
    damaged = DutygraphError(f"{trig} is damaged (not as 'dutygraph build' writes it); run 'dutygraph build'")
    prefixes, header, prologue, name, lines = {}, [], "", None, []
    with open(trig, encoding="utf-8", newline="\n") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if name is None:
                m = PREFIX_LINE.match(line)
                if m:
                    prefixes[m.group(1)] = m.group(2)
                    header.append(line)
                    prologue = ""   # joined again at the next graph
                elif line.endswith(" {"):
                    name, lines = _expand(line[:-2].strip(), prefixes, damaged), []
                    prologue = prologue or "".join(h + "\n" for h in header)
                elif line.strip():
                    raise damaged
            elif line == "}":
                yield name, prologue, "".join(t + "\n" for t in lines)
                name = None
            else:
                lines.append(line)
    if name is not None:
        raise damaged


PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w-]*):\s*<([^>]*)>\s*\.$")


def _expand(term: str, prefixes: dict, damaged: Exception) -> str:
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    prefix, _, local = term.partition(":")
    if prefix not in prefixes:
        raise damaged
    return prefixes[prefix] + local


def _put(graph: str, header: str, body: str, q: str, u: str, s: str, timeout: float) -> None:
    """Replace one graph: Graph Store PUT, else SPARQL Update (DROP, then INSERT DATA in chunks)."""
    target = s + "?graph=" + urllib.parse.quote(graph, safe="")
    data = (header + body).encode("utf-8")
    try:
        _request(target, "PUT", data, "text/turtle", timeout)
        return
    except urllib.error.HTTPError as exc:
        if exc.code not in (404, 405, 501):
            raise
    prologue = "\n".join(f"PREFIX {m.group(1)}: <{m.group(2)}>" for m in map(PREFIX_LINE.match, header.splitlines()) if m)
    triples = body.splitlines()
    _update(u, f"DROP SILENT GRAPH <{graph}>", timeout)
    for k in range(0, len(triples), CHUNK):
        _update(u, prologue + f"\nINSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(triples[k:k + CHUNK]) + "\n} }", timeout)


def _update(url: str, text: str, timeout: float) -> None:
    _request(url, "POST", text.encode("utf-8"), "application/sparql-update", timeout)


def _drop(url: str, graphs, timeout: float) -> None:
    """Drop these graphs, a thousand to an update request."""
    names = sorted(graphs)
    for k in range(0, len(names), 1000):
        _update(url, ";\n".join(f"DROP SILENT GRAPH <{g}>" for g in names[k:k + 1000]), timeout)


def _is_oxigraph(query_url: str, timeout: float) -> bool:
    """Whether the store is an Oxigraph server (its replies say so), which loads far faster without
    a transaction per request."""
    req = urllib.request.Request(query_url + "?query=" + urllib.parse.quote("ASK {}"), method="GET")
    try:
        with urllib.request.urlopen(_authorized(req), timeout=timeout) as resp:
            return resp.headers.get("Server", "").lower().startswith("oxigraph")
    except urllib.error.HTTPError as exc:
        return (exc.headers.get("Server") or "").lower().startswith("oxigraph")


def _bulk(trig: Path, graphs: set, s: str, u: str, timeout: float) -> None:
    """Oxigraph: drop the graphs about to be loaded, then POST them in pieces of many graphs each,
    without a transaction (``no_transaction``: about twice as fast; the manifest, written last,
    says whether a load completed)."""
    _drop(u, graphs, timeout)

    def pieces():
        prologue, size, part = "", 0, []
        for graph, prologue, triples in _blocks(trig):
            if graph not in graphs:
                continue
            part.append(f"<{graph}> {{\n{triples}}}\n")
            size += len(triples)
            if size >= BULK_BYTES:
                yield prologue + "".join(part)
                size, part = 0, []
        if part:
            yield prologue + "".join(part)

    _parallel((lambda text=text: _request(s + "?no_transaction", "POST", text.encode("utf-8"), "application/trig", timeout))
              for text in pieces())


def _parallel(calls, workers: int = PARALLEL_PUTS) -> None:
    """Run the calls a few at a time (a store writes them side by side, and the waits for replies
    overlap), holding no more than a few requests' data in memory."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = set()
        for call in calls:
            pending.add(pool.submit(call))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for d in done:
                    d.result()
        for d in pending:
            d.result()


def load(workspace: Path, endpoint: str, timeout: float = 60.0, update: str | None = None,
         store: str | None = None, bulk: bool | None = None, everything: bool = False) -> dict:
    """Put the built graph into the store at ``endpoint``, replacing what an earlier load put there.
    A graph whose text is the one the manifest records is left as it is (unless ``everything``);
    ``bulk`` (default: when the store is an Oxigraph server) loads without transactions."""
    check_url(endpoint)
    trig = Path(workspace) / "graph" / "dutygraph.trig"
    digests, triples = _survey(trig)   # a damaged file fails here, before the store changes
    q, u, s = urls(endpoint, update, store)
    try:
        before = {r["g"]: r["digest"] for r in RemoteStore(q, timeout).select(
            f"SELECT ?g ?digest WHERE {{ GRAPH <{MANIFEST}> {{ <{MANIFEST}> <{DG.loadedGraph}> ?g "
            f"OPTIONAL {{ ?g <{DG.loadedDigest}> ?digest }} }} }}")}
        changed = {g for g, d in digests.items() if everything or before.get(g) != d}
        if bulk is None:
            bulk = _is_oxigraph(q, timeout)
        if bulk:
            _bulk(trig, changed, s, u, timeout)
        else:
            _parallel((lambda g=g, h=h, b=b: _put(g, h, b, q, u, s, timeout))
                      for g, h, b in _blocks(trig) if g in changed)
        gone = set(before) - set(digests)
        _drop(u, gone, timeout)
        manifest = "".join(f"<{MANIFEST}> <{DG.loadedGraph}> <{g}> .\n<{g}> <{DG.loadedDigest}> \"{d}\" .\n"
                           for g, d in sorted(digests.items()))
        _put(MANIFEST, "", manifest, q, u, s, timeout)
    except DutygraphError:
        raise
    except Exception as exc:  # network and HTTP errors, one line each
        raise DutygraphError(f"loading into {endpoint} failed: {describe(exc)}") from None
    return {"graphs": len(digests), "loaded": len(changed), "dropped": len(gone), "bulk": bulk, "triples": triples}


def _survey(trig: Path) -> tuple[dict[str, str], int]:
    """Each graph of the TriG with the digest of its text, and the number of triples (one per line
    of a graph)."""
    digests, n = {}, 0
    for graph, header, triples in _blocks(trig):
        digests[graph] = hashlib.sha256((header + triples).encode("utf-8")).hexdigest()
        n += triples.count("\n")
    return digests, n


def oxigraph_binary() -> str:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        raise DutygraphError("the Oxigraph server is not installed: pip install oxigraph")
    return exe


def served_store(graph_dir: Path, exe: str) -> Path:
    """The store directory to serve: the build's (graph/store/) when it holds the TriG as it is now
    and opens; else a copy loaded from the TriG (graph/oxigraph/, replaced each time)."""
    from .build import STORE_DIR, store_is_current, store_opens

    copy = graph_dir / "oxigraph"
    shutil.rmtree(copy, ignore_errors=True)   # an earlier copy: stale, and as large as the store
    if store_is_current(graph_dir) and store_opens(graph_dir):
        return graph_dir / STORE_DIR
    done = subprocess.run([exe, "load", "--location", str(copy), "--file", str(graph_dir / "dutygraph.trig")],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise DutygraphError(f"oxigraph could not load the graph: {done.stderr.strip().splitlines()[-1][:200] if done.stderr.strip() else done.returncode}")
    return copy


def _can_listen(host: str, port: int) -> None:
    """One error line now, where the server would print a backtrace after the banner: the port is
    taken (another server) or the host is not this machine's."""
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the server binds it
            sock.bind((host, port))
    except OSError as exc:
        raise DutygraphError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): is another server there? "
                             "give another --port, or a --host of this machine") from None


def serve(workspace: Path, host: str = "127.0.0.1", port: int = 7878) -> int:
    """Serve the graph, read-only, until interrupted: the store the build wrote when it is current
    (no copy and no wait, however large the graph), else the TriG loaded into graph/oxigraph/."""
    workspace = Path(workspace)
    trig = workspace / "graph" / "dutygraph.trig"
    if not trig.exists():
        raise DutygraphError(f"no graph at {trig}: run 'dutygraph build' first")
    _can_listen(host, port)
    exe = oxigraph_binary()
    location = served_store(workspace / "graph", exe)
    print(f"SPARQL endpoint  http://{host}:{port}/query\nquery page       http://{host}:{port}/\n"
          f"(read-only; the default graph is the union of all named graphs; Ctrl-C stops the server)", flush=True)
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(location), "--bind", f"{host}:{port}",
                             "--union-default-graph"])

    def stop(*_args):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)   # a terminated 'serve' stops its server too
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
