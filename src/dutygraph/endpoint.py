"""Putting the graph into a SPARQL store, and serving it.

``load`` replaces, graph by graph, what an earlier load put there: each named graph goes with the
SPARQL 1.1 Graph Store Protocol (HTTP PUT), falling back to SPARQL Update where the store has no
Graph Store endpoint; a manifest graph remembers what was loaded, so a graph whose document left
the corpus is dropped. Credentials come only from the environment (DUTYGRAPH_SPARQL_USER,
DUTYGRAPH_SPARQL_PASSWORD) and never appear in output.

``serve`` starts a local Oxigraph server (the ``oxigraph`` package) with the graph loaded.
"""
from __future__ import annotations

import base64
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import DutygraphError
from .namespaces import DG, graph_iri
from .store import RemoteStore, check_url, credentials, describe

MANIFEST = str(graph_iri("manifest"))
CHUNK = 20_000
PARALLEL_PUTS = 4


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
    user, password = credentials()
    if user:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status


def _graphs(trig: Path) -> dict[str, bytes]:
    """N-Triples of each named graph of the built TriG."""
    import pyoxigraph as ox

    if not trig.exists():
        raise DutygraphError(f"no graph at {trig}: run 'dutygraph build' first")
    quads = defaultdict(list)
    try:
        for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
            quads[q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""].append(q.triple)
    except (SyntaxError, ValueError) as exc:
        raise DutygraphError(f"{trig} is damaged ({str(exc)[:100]}); run 'dutygraph build'") from None
    return {g: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES) for g, ts in quads.items() if g}


def _put(graph: str, data: bytes, q: str, u: str, s: str, timeout: float) -> None:
    target = s + "?graph=" + urllib.parse.quote(graph, safe="")
    try:
        _request(target, "PUT", data, "application/n-triples", timeout)
        return
    except urllib.error.HTTPError as exc:
        if exc.code not in (404, 405, 501):
            raise
    # no Graph Store Protocol: SPARQL Update, in chunks
    lines = data.decode("utf-8").splitlines()
    _update(u, f"DROP SILENT GRAPH <{graph}>", timeout)
    for k in range(0, len(lines), CHUNK):
        _update(u, f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines[k:k + CHUNK]) + "\n} }", timeout)


def _update(url: str, text: str, timeout: float) -> None:
    _request(url, "POST", text.encode("utf-8"), "application/sparql-update", timeout)


def load(workspace: Path, endpoint: str, timeout: float = 60.0, update: str | None = None,
         store: str | None = None) -> dict:
    check_url(endpoint)
    graphs = _graphs(Path(workspace) / "graph" / "dutygraph.trig")
    q, u, s = urls(endpoint, update, store)
    try:
        before = {r["g"] for r in RemoteStore(q, timeout).select(
            f"SELECT ?g WHERE {{ GRAPH <{MANIFEST}> {{ <{MANIFEST}> <{DG.loadedGraph}> ?g }} }}")}
        # several graphs at once: a store writes them in parallel, and the wait for each reply overlaps
        with ThreadPoolExecutor(max_workers=PARALLEL_PUTS) as pool:
            for done in [pool.submit(_put, name, graphs[name], q, u, s, timeout) for name in sorted(graphs)]:
                done.result()
        for gone in sorted(before - set(graphs)):
            _update(u, f"DROP SILENT GRAPH <{gone}>", timeout)
        manifest = "".join(f"<{MANIFEST}> <{DG.loadedGraph}> <{g}> .\n" for g in sorted(graphs)).encode("utf-8")
        _put(MANIFEST, manifest, q, u, s, timeout)
    except DutygraphError:
        raise
    except Exception as exc:  # network and HTTP errors, one line each
        raise DutygraphError(f"loading into {endpoint} failed: {describe(exc)}") from None
    return {"graphs": len(graphs), "dropped": len(before - set(graphs)),
            "triples": sum(d.count(b"\n") for d in graphs.values())}


def oxigraph_binary() -> str:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        raise DutygraphError("the Oxigraph server is not installed: pip install oxigraph")
    return exe


def serve(workspace: Path, host: str = "127.0.0.1", port: int = 7878) -> int:
    """Load the graph into graph/oxigraph/ and serve it until interrupted."""
    workspace = Path(workspace)
    trig = workspace / "graph" / "dutygraph.trig"
    if not trig.exists():
        raise DutygraphError(f"no graph at {trig}: run 'dutygraph build' first")
    exe = oxigraph_binary()
    location = workspace / "graph" / "oxigraph"
    shutil.rmtree(location, ignore_errors=True)
    done = subprocess.run([exe, "load", "--location", str(location), "--file", str(trig)], capture_output=True, text=True)
    if done.returncode != 0:
        raise DutygraphError(f"oxigraph could not load the graph: {done.stderr.strip().splitlines()[-1][:200] if done.stderr.strip() else done.returncode}")
    print(f"SPARQL endpoint  http://{host}:{port}/query\nquery page       http://{host}:{port}/\n"
          f"(the default graph is the union of all named graphs; Ctrl-C stops the server)", flush=True)
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"{host}:{port}", "--union-default-graph"])

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
