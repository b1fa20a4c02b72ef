"""A real Oxigraph server on 127.0.0.1: load the seed graph, and every read command must answer
exactly as the embedded graph does. The server is stopped when the module is done."""
import json
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import pytest

from dutygraph import Workspace
from dutygraph.analysis import centrality, compare, gaps
from dutygraph.cli import main
from dutygraph.endpoint import load, oxigraph_binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("the Oxigraph server did not start")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(seed_ws, server):
    stats = load(seed_ws.path, server)
    assert stats["graphs"] >= 10
    return Workspace(seed_ws.path, endpoint=server)


def canon(rows):
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)


@pytest.mark.parametrize("call", [
    lambda ws: ws.duties(),
    lambda ws: ws.duties(theme=["anti-trafficking"], jurisdiction=["东莞"]),
    lambda ws: ws.tasks(),
    lambda ws: ws.members(),
    lambda ws: ws.laws(),
    lambda ws: ws.validate(),
    lambda ws: compare(ws, ["东莞", "西安"], "theme", texts=True),
    lambda ws: compare(ws, ["东莞", "虎林"], "agency-type"),
    lambda ws: gaps(ws),
    lambda ws: centrality(ws, "lead-support", "betweenness"),
    lambda ws: centrality(ws, "shared-theme", "degree"),
] + [lambda ws, n=name: ws.run(n) for name in ("units-sharing-theme", "agency-type-duties", "laws-by-unit",
                                               "target-groups-by-unit", "unit-names", "theme-counts", "units",
                                               "type-theme-use", "network-size")]
  + [lambda ws: ws.run("type-theme-use", place=["西安"]), lambda ws: ws.run("network-size", place=["虎林"])])
def test_remote_answers_equal_local(seed_ws, remote, call):
    local = call(seed_ws)
    assert local, "the query should have answers on the seed graph"
    assert canon(call(remote)) == canon(local)


def test_load_twice_replaces_rather_than_duplicates(seed_ws, remote, server):
    before = len(remote.duties())
    load(seed_ws.path, server)
    assert len(Workspace(seed_ws.path, endpoint=server).duties()) == before


def _graph_sizes(url: str) -> dict:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    req = urllib.request.Request(url, data=q.encode(), headers={"Content-Type": "application/sparql-query",
                                                                 "Accept": "application/sparql-results+json"})
    rows = json.loads(urllib.request.urlopen(req, timeout=10).read())["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def _update(url: str, text: str) -> None:
    req = urllib.request.Request(url.replace("/query", "/update"), data=text.encode(),
                                 headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(req, timeout=10).read()


def test_bulk_and_graph_by_graph_loads_put_the_same_graphs(seed_ws, remote, server):
    bulk = _graph_sizes(server)
    stats = load(seed_ws.path, server, bulk=False, everything=True)
    assert stats["bulk"] is False and stats["loaded"] == stats["graphs"]
    assert _graph_sizes(server) == bulk
    assert sum(n for g, n in bulk.items() if not g.endswith("/manifest")) == stats["triples"]
    assert load(seed_ws.path, server, everything=True)["bulk"] is True   # an Oxigraph server is loaded in bulk by default


def test_a_second_load_leaves_unchanged_graphs_alone(seed_ws, remote, server):
    stats = load(seed_ws.path, server)
    assert stats["loaded"] == 0 and stats["graphs"] >= 10
    assert len(Workspace(seed_ws.path, endpoint=server).duties()) == len(seed_ws.duties())


MANIFEST = "https://w3id.org/dutygraph/id/graph/manifest"
DG = "https://w3id.org/dutygraph/ontology#"


@pytest.mark.parametrize("bulk", [True, False])
def test_a_reload_replaces_a_changed_graph_and_drops_what_left(seed_ws, remote, server, bulk):
    doc_graph = sorted(g for g in _graph_sizes(server) if "/graph/0" in g)[0]
    gone = "https://w3id.org/dutygraph/id/graph/gone"
    _update(server, f"INSERT DATA {{ GRAPH <{doc_graph}> {{ <urn:stray> <urn:p> 1 }} GRAPH <{gone}> {{ <urn:gone> <urn:p> 1 }} }}")
    # the manifest says the document's graph was loaded with other text, and that 'gone' was loaded
    _update(server, f"DELETE WHERE {{ GRAPH <{MANIFEST}> {{ <{doc_graph}> <{DG}loadedDigest> ?d }} }} ; "
                    f"INSERT DATA {{ GRAPH <{MANIFEST}> {{ <{doc_graph}> <{DG}loadedDigest> \"old\" . "
                    f"<{MANIFEST}> <{DG}loadedGraph> <{gone}> }} }}")
    stats = load(seed_ws.path, server, bulk=bulk)
    assert stats["loaded"] == 1 and stats["dropped"] == 1 and gone not in _graph_sizes(server)
    ask = urllib.request.urlopen(server + "?query=" + urllib.parse.quote("ASK { GRAPH ?g { <urn:stray> ?p ?o } }"), timeout=10)
    assert json.loads(ask.read())["boolean"] is False
    assert len(Workspace(seed_ws.path, endpoint=server).duties()) == len(seed_ws.duties())


def test_a_damaged_graph_file_changes_nothing_in_the_store(tmp_path, remote, server, seed_ws):
    before = _graph_sizes(server)
    (tmp_path / "graph").mkdir()
    text = seed_ws.graph_file.read_text(encoding="utf-8")
    (tmp_path / "graph" / "dutygraph.trig").write_text(text[: len(text) // 2], encoding="utf-8")   # cut mid-graph
    with pytest.raises(Exception, match="damaged"):
        load(tmp_path, server)
    assert _graph_sizes(server) == before


def test_cli_reads_from_the_endpoint(seed_ws, remote, server, capsys):
    assert main(["duties", "--workspace", str(seed_ws.path), "--endpoint", server, "--theme", "legal-aid", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all("legal-aid" in r["themes"] for r in rows)


def test_injection_through_a_parameter_leaves_the_store_unchanged(seed_ws, remote, server, capsys):
    count = len(remote.duties())
    hostile = '"} ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> "z" } ; SELECT * { "'
    main(["query", "legal-bases", "--workspace", str(seed_ws.path), "--endpoint", server, "--param", f"how={hostile}"])
    capsys.readouterr()
    assert len(Workspace(seed_ws.path, endpoint=server).duties()) == count


def test_unreachable_endpoint_is_one_line_and_quick(seed_ws, capsys):
    t = time.time()
    assert main(["duties", "--workspace", str(seed_ws.path), "--endpoint", f"http://127.0.0.1:{free_port()}/query"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dutygraph: error: endpoint") and len(err.strip().splitlines()) == 1
    assert time.time() - t < 10


def test_a_silent_endpoint_times_out(seed_ws, capsys):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    port = sock.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.5)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])   # accept, never answer
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        start = time.time()
        assert main(["duties", "--workspace", str(seed_ws.path), "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "2"]) == 1
        assert "timed out" in capsys.readouterr().err
        assert time.time() - start < 15
    finally:
        stop.set()
        t.join()
        for c in held:
            c.close()
        sock.close()


def test_credentials_never_show(seed_ws, monkeypatch, capsys):
    monkeypatch.setenv("DUTYGRAPH_SPARQL_USER", "alice")
    monkeypatch.setenv("DUTYGRAPH_SPARQL_PASSWORD", "s3cret-pw")
    main(["duties", "--workspace", str(seed_ws.path), "--endpoint", f"http://alice:s3cret-pw@127.0.0.1:{free_port()}/query"])
    err = capsys.readouterr().err
    assert "s3cret-pw" not in err


@pytest.mark.parametrize("value", ['"', "{", "}", "#", "\n", "} ; DROP ALL ; {", '" } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> "c" } #'])
def test_every_parameter_against_the_server(seed_ws, remote, server, value, capsys):
    before = len(remote.duties())
    w = ["--workspace", str(seed_ws.path), "--endpoint", server]
    for args in (["duties", "--theme", value], ["duties", "--jurisdiction", value], ["duties", "--agency-type", value],
                 ["duties", "--target-group", value], ["tasks", "--jurisdiction", value], ["members", "--jurisdiction", value],
                 ["laws", "--jurisdiction", value], ["compare", "东莞", value],
                 ["query", "validation", "--param", f"only={value}", "--format", "json"],
                 ["query", "legal-bases", "--param", f"how={value}", "--format", "json"]):
        code = main(args + w)
        out = capsys.readouterr()
        assert code in (0, 1) and "Traceback" not in out.err, args
        if code == 0 and "--format" in args:
            assert json.loads(out.out or "[]") == [], args
    assert len(Workspace(seed_ws.path, endpoint=server).duties()) == before
