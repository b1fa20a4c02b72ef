"""Research questions on the seed graph: compare, gaps with suggestions, networks, the library."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from dutygraph.analysis import MISSING, centrality, compare, gaps
from dutygraph.cli import main

from test_endpoint import free_port


def test_compare_by_theme_shows_who_and_where_nobody(seed_ws):
    rows = {r["key"]: r for r in compare(seed_ws, ["东莞", "西安"], "theme", texts=True)}
    assert rows["anti-trafficking"]["东莞市"] == ["市中级法院", "市公安局"]
    assert rows["anti-trafficking"]["西安市"] == ["市公安局"]
    assert rows["product-safety"]["西安市"] == MISSING and rows["product-safety"]["held_in"] == 1
    quotes = rows["anti-trafficking"]["西安市 duties"]
    assert quotes and quotes[0]["text"].startswith("预防和控制儿童犯罪")


def test_compare_by_agency_type(seed_ws):
    rows = {r["key"]: r for r in compare(seed_ws, ["东莞", "虎林"], "agency-type")}
    assert "child-labour" in rows["human-resources"]["东莞市"] and "child-labour" in rows["human-resources"]["虎林市"]
    assert rows["customs"]["虎林市"] == MISSING


def test_compare_table_marks_missing(seed_ws, capsys):
    assert main(["compare", "东莞", "西安", "--workspace", str(seed_ws.path)]) == 0
    assert "—" in capsys.readouterr().out


def test_gaps_kinds_and_suggestions(seed_ws):
    rows = gaps(seed_ws)
    kinds = {r["kind"] for r in rows}
    assert {"unattributed-duty", "member-without-duty", "member-without-representative", "uncovered-theme"} <= kinds
    orphans = [r for r in rows if r["kind"] == "unattributed-duty"]
    assert len(orphans) == 17 and all(r["jurisdiction"] == "唐山国际旅游岛" for r in orphans)
    for r in orphans:
        assert r["suggestions"] and r["text"]
        scores = [s["score"] for s in r["suggestions"]]
        assert scores == sorted(scores, reverse=True)
        ev = r["suggestions"][0]["evidence"]
        assert ev["text"] and ev["source"] and ev["jurisdiction"] != "唐山国际旅游岛" or ev["jurisdiction"] == "唐山国际旅游岛"

    def top(fragment):
        r = next(r for r in orphans if fragment in r["text"])
        return [s["agency"] or s["agency_type"] for s in r["suggestions"]]

    assert top("招工、就业")[:2] == ["劳动监察大队", "劳资科"]           # human resources, named in the roster
    assert top("网络安全和信息化")[0] == "cyberspace"                     # no such unit in the zone: the type
    assert top("低保、特困")[0] == "民政科"
    assert "农村工作科" in top("土地承包经营权")
    assert top("家庭家教家风")[0] == "womens-federation"


def test_suggestions_are_not_written_into_the_graph(seed_ws):
    gaps(seed_ws)
    orphans = [r for r in seed_ws.duties(jurisdiction=["唐山国际旅游岛"]) if not r["agency"]]
    assert len(orphans) == 17


def test_uncovered_themes_need_two_peers(seed_ws):
    rows = [r for r in gaps(seed_ws) if r["kind"] == "uncovered-theme"]
    assert any(r["jurisdiction"] == "江门市" and r["subject"] == "anti-trafficking" for r in rows)
    assert not any(r["jurisdiction"] in ("湖北省某县", "虎林市") for r in rows)   # one county peer only


def test_gaps_filter_by_jurisdiction(seed_ws):
    assert {r["jurisdiction"] for r in gaps(seed_ws, ["虎林"])} == {"虎林市"}


def test_lead_support_centrality(seed_ws):
    rows = centrality(seed_ws, "lead-support", "degree", ["西安"])
    assert rows[0]["unit"] in ("市民政局", "市妇联") and rows[0]["rank"] == 1
    civil = next(r for r in rows if r["unit"] == "市民政局")
    assert civil["leads"] >= 10
    for measure in ("betweenness", "eigenvector"):
        rs = centrality(seed_ws, "shared-theme", measure)
        assert {r["jurisdiction"] for r in rs} >= {"东莞市", "西安市", "虎林市"}


def test_library_queries_answer(seed_ws):
    share = seed_ws.run("units-sharing-theme", place=["东莞"])
    assert {r["agency"] for r in share} == {"市公安局", "市中级法院"}
    assert {r["jurisdiction"] for r in seed_ws.run("agency-type-duties")} >= {"东莞市", "西安市", "虎林市"}
    names = {r["agency"]: r["names"] for r in seed_ws.run("unit-names")}
    assert any({"市人社局", "市人力资源和社会保障局"} <= set(v) for v in names.values())
    counts = seed_ws.run("theme-counts", place=["西安"])
    assert all(r["duties"] >= 1 for r in counts) and {"education", "political-participation"} <= {r["theme"] for r in counts}
    assert any(r["law"] == "中华人民共和国劳动法" and r["agency"] == "市人社局" for r in seed_ws.run("laws-by-unit"))
    assert any(r["target_group"] == "left-behind-children" for r in seed_ws.run("target-groups-by-unit"))


def test_graphml_and_network_cli(seed_ws, tmp_path, capsys):
    out = tmp_path / "g.graphml"
    assert main(["export", "--format", "graphml", "--out", str(out), "--workspace", str(seed_ws.path)]) == 0
    import networkx as nx

    g = nx.read_graphml(out)
    assert g.number_of_nodes() > 100 and any(d.get("kind") == "theme" for _n, d in g.nodes(data=True))
    assert capsys.readouterr().out.startswith("wrote")
    assert main(["network", "--kind", "shared-theme", "--measure", "betweenness", "--workspace", str(seed_ws.path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


def test_serve_starts_a_query_page_and_endpoint(seed_ws):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "dutygraph", "serve", "--workspace", str(seed_ws.path), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        deadline = time.time() + 60
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                assert time.time() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() is not None else "timeout"
                time.sleep(0.3)
        assert b"<html" in page.lower()
        q = urllib.request.Request(f"http://127.0.0.1:{port}/query", data=b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                   headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        n = int(json.loads(urllib.request.urlopen(q, timeout=10).read())["results"]["bindings"][0]["n"]["value"])
        assert n > 10000
        # the build's own store, served as it is (no copy loaded) and read-only
        assert not (seed_ws.path / "graph" / "oxigraph").exists()
        update = urllib.request.Request(f"http://127.0.0.1:{port}/update", data=b"INSERT DATA { <urn:x> <urn:y> <urn:z> }",
                                        headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=10)
        # ... while the embedded store reads it too
        assert seed_ws.run("jurisdictions") and not seed_ws.store.select("SELECT ?p WHERE { <urn:x> ?p ?o }")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
