"""Research questions on the seed graph: compare, gaps with suggestions, networks, the library."""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter

import numpy as np
import pytest

from rdflib import URIRef

from dutygraph.analysis import MISSING, _uncovered_themes, centrality, compare, gaps
from dutygraph.suggestions import Index, Wording, _Postings
from dutygraph import Workspace
from dutygraph.cli import main
from dutygraph.errors import DutygraphError

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


def test_compare_refuses_one_place_asked_twice_by_its_name_or_code(seed_ws, capsys):
    """东莞 and 441900 are one column, not two: asked twice, each theme was counted as held in both."""
    assert main(["compare", "东莞", "441900", "--workspace", str(seed_ws.path)]) == 1
    err = capsys.readouterr().err
    assert "'东莞' and '441900' are the same place (东莞市)" in err and err.count("\n") == 1


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


def test_duties_without_unit_are_the_duties_no_unit_holds_quoted_where_written(seed_ws):
    """``duties-without-unit`` lists exactly the duties that ``duties`` shows without a unit, for the
    country and for a place, each with the words at its offsets in the source."""
    unheld = {r["duty"] for r in seed_ws.run("duties") if not r["agency_iri"]}
    rows = seed_ws.run("duties-without-unit")
    assert unheld and {r["duty"] for r in rows} == unheld and len(rows) == len(unheld)
    assert [(r["source"], r["start"]) for r in rows] == sorted((r["source"], r["start"]) for r in rows)
    for r in rows:
        text = (seed_ws.path / r["source"]).read_text(encoding="utf-8")
        assert text[r["start"]:r["end"]] == r["text"]
    there = seed_ws.run("duties-without-unit", place=["唐山国际旅游岛"])
    assert there and {r["jurisdiction"] for r in there} == {"唐山国际旅游岛"}
    assert seed_ws.run("duties-without-unit", place=["东莞"]) == []


def test_suggestions_are_in_their_graph_and_never_holders(seed_ws):
    """The build writes its guesses as suggestions of the duties that name no unit, one per suggested
    unit (or type), and none of them becomes a holder: `duties` still names no unit for them."""
    orphans = {r["duty"] for r in seed_ws.duties(jurisdiction=["唐山国际旅游岛"]) if not r["agency"]}
    assert len(orphans) == 17
    suggested = seed_ws.run("suggestions")
    assert {s["duty"] for s in suggested} == orphans
    assert all(s["agency_type"] and s["evidence_text"] and s["evidence_source"] for s in suggested)
    held = {r["duty"] for r in seed_ws.run("duties") if r["agency"]}
    assert not held & orphans
    graphs = seed_ws.store.select("PREFIX dg: <https://w3id.org/dutygraph/ontology#> "
                                  "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a dg:UnitSuggestion } }")
    assert [r["g"] for r in graphs] == ["https://w3id.org/dutygraph/id/graph/suggestions"]


def test_gaps_of_a_place_read_that_place_s_suggestions_only(seed_ws, monkeypatch):
    """A place's gaps read the suggestions the build made there, not the country's duties' wording
    (which took a prefecture over a minute at 3,200 jurisdictions)."""
    asked = []
    run_many = seed_ws.run_many
    monkeypatch.setattr(seed_ws, "run_many", lambda asks: asked.extend((n, p.get("place")) for n, p in asks) or run_many(asks))
    rows = gaps(seed_ws, ["唐山国际旅游岛"])
    assert any(r["kind"] == "unattributed-duty" and r["suggestions"] for r in rows)
    assert ("holders-not-members", ["唐山国际旅游岛"]) in asked and ("gap-facts", ["唐山国际旅游岛"]) in asked
    assert ("suggestions", ["唐山国际旅游岛"]) in asked


def test_uncovered_themes_need_two_peers(seed_ws):
    rows = [r for r in gaps(seed_ws) if r["kind"] == "uncovered-theme"]
    assert any(r["jurisdiction"] == "江门市" and r["subject"] == "anti-trafficking" for r in rows)
    assert not any(r["jurisdiction"] in ("湖北省某县", "虎林市") for r in rows)   # one county peer only


def test_gaps_filter_by_jurisdiction(seed_ws):
    assert {r["jurisdiction"] for r in gaps(seed_ws, ["虎林"])} == {"虎林市"}


def test_gaps_of_a_place_are_the_graph_s_gaps_there(seed_ws):
    """Asked of a place, each part of the analysis reads that place's rows (the suggestions and the
    peers still weigh the whole graph): the same rows as the whole graph's gaps kept to the places
    there, suggestions and evidence included."""
    every = gaps(seed_ws)
    for place in ("唐山国际旅游岛", "虎林", "东莞", "江门"):
        here = {r["jurisdiction"] for r in seed_ws.duties(jurisdiction=[place])} | {
            r["jurisdiction"] for r in seed_ws.members(jurisdiction=[place])}
        asked = gaps(seed_ws, [place])
        assert asked and asked == [g for g in every if g["jurisdiction"] in here]


def _index(rows):
    """The suggestions' index of the duties as `duties` lists them."""
    by_duty: dict = {}
    for r in rows:
        by_duty.setdefault(r["duty"], []).append(r)
    index = Index()
    index.add([Wording(URIRef(d), URIRef(rs[0]["jurisdiction"]), rs[0]["source"], rs[0]["start"], rs[0]["text"],
                       tuple(sorted(rs[0]["themes"])),
                       tuple((URIRef(f"{d}/p{i}"), URIRef(r["agency_iri"]), r["agency"], r["role"]) for i, r in enumerate(rs) if r["agency_iri"]))
               for d, rs in by_duty.items()])
    return index


def test_the_closest_held_duty_of_each_type_is_the_one_every_comparison_finds(seed_ws):
    """The postings of the held duties' bigrams give, for each agency type, the row a comparison with
    each held row in turn finds: the highest cosine, the first in the listing among equals."""
    rows = seed_ws.run("duties")
    index = _index(rows)
    types = {URIRef(r["agency_iri"]): r["agency_type"] for r in rows if r["agency_iri"] and r["agency_type"]}
    held = sorted((r for r in index.rows if r[3] in types), key=lambda r: r[0])
    weights = index._weights()
    postings = _Postings(index, weights, held, [types[r[3]] for r in held])
    ids = list(index.ids)

    def vector(k):
        e = index._entries(k)
        return dict(zip(ids[e], weights[e].tolist()))

    vectors = [vector(k) for k in range(len(index.duties))]
    holding = {r[1] for r in index.rows}
    for k in [k for k in range(len(index.duties)) if k not in holding] + [r[1] for r in held[:40]]:
        v = vectors[k]
        expected = {}
        for row in held:
            cos = sum(x * vectors[row[1]].get(g, 0.0) for g, x in v.items())
            if cos > expected.get(types[row[3]], (-1.0, None))[0]:
                expected[types[row[3]]] = (cos, row)
        e = index._entries(k)
        found = postings.best_by_type(np.asarray(ids[e]), weights[e])
        assert found.keys() == expected.keys()
        for t, (cos, row) in expected.items():
            assert found[t][1] is row and found[t][0] == pytest.approx(cos)
    assert len(held) > 100 and len(holding) < len(index.duties)


def test_a_suggestion_names_units_of_the_duty_s_own_place_only():
    """Two places may share a name (the country has many 桥东区): the units suggested are those the
    duty's own place names; where it names none of the type, the type is suggested alone."""
    a, b = URIRef("urn:place:a"), URIRef("urn:place:b")
    police_b, school_a = URIRef("urn:unit:police-b"), URIRef("urn:unit:school-a")
    index = Index()
    index.add([
        Wording(URIRef("urn:duty:held-b"), b, "corpus/b.txt", 0, "负责打击拐卖妇女儿童犯罪", (), ((URIRef("urn:p:1"), police_b, "公安分局", "holder"),)),
        Wording(URIRef("urn:duty:held-a"), a, "corpus/a.txt", 0, "负责学校安全教育", (), ((URIRef("urn:p:2"), school_a, "教育局", "holder"),)),
        Wording(URIRef("urn:duty:orphan-a"), a, "corpus/a.txt", 20, "依法打击拐卖妇女儿童犯罪", (), ()),
    ])
    found = index.suggest({police_b: "public-security", school_a: "education"},
                          {a: [("教育局", school_a, "education")], b: [("公安分局", police_b, "public-security")]})
    assert [(s.duty, s.agency_type, s.unit, s.rank) for s in found] == [
        (URIRef("urn:duty:orphan-a"), "public-security", None, 1), (URIRef("urn:duty:orphan-a"), "education", school_a, 2)]
    assert found[0].evidence == URIRef("urn:p:1") and found[0].score > found[1].score


def test_a_task_without_a_lead_is_a_gap_quoted_where_it_is_written(tmp_path):
    """`task-without-lead` lists the numbered tasks that name supporting units but no lead (and
    only those), at their offsets, for the country and for the place."""
    from conftest import copy_workspace, write_doc

    from dutygraph import Workspace

    ws_dir = copy_workspace(tmp_path / "ws", corpus=False)
    text = ("成都市妇女儿童发展规划重点任务分工\n1.推进妇幼健康服务。(牵头单位:市卫健委;责任单位:市财政局)\n"
            "2.保障儿童受教育权利。(责任单位:市教育局、市妇联)\n3.加强儿童友好城市建设。(牵头单位:市发改委)\n")
    write_doc(ws_dir, "k1", text, """\
              title: 任务分工
              jurisdiction: {name: 成都市, code: "510100", level: prefecture}
              genres: [task-division]
              """)
    ws = Workspace(ws_dir)
    ws.build()
    assert [t["number"] for t in ws.tasks() if not t["lead"]] == [2]
    for asked in ([], ["成都"]):
        rows = [g for g in gaps(ws, asked) if g["kind"] == "task-without-lead"]
        assert [(g["jurisdiction"], g["message"]) for g in rows] == [("成都市", "Task 2 names no lead unit (牵头单位).")]
        assert text[rows[0]["start"]:rows[0]["end"]] == "保障儿童受教育权利。"


def test_uncovered_themes_keep_places_of_one_name_apart_and_name_ten_peers(seed_ws):
    """The country has many places of one name (城关区): each is its own peer. A message names ten
    peers and counts the rest."""
    def row(name, code, theme, units=3):
        return {"jurisdiction": name, "jurisdiction_iri": f"https://example.org/j/{code}", "level": "county",
                "theme": theme, "duties": units, "units": units}
    rows = [row(f"县{k}", k, t) for k in range(13) for t in ("anti-trafficking", "education")]
    rows += [row("城关区", 100, "education", 5), row("城关区", 101, "education"), row("城关区", 101, "anti-trafficking")]
    found = _uncovered_themes(rows, seed_ws.vocab)
    assert [(r["jurisdiction"], r["subject"]) for r in found] == [("城关区", "anti-trafficking")]
    message = found[0]["message"]
    assert "14 of 14 county-level peers do:" in message and message.endswith("and 4 more.")
    assert message.count("、") == 9


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
    unit = g.nodes["https://w3id.org/dutygraph/id/agency/441900/public-security"]   # its place by name and by IRI
    assert (unit["jurisdiction"], unit["jurisdiction_iri"]) == ("东莞市", "https://w3id.org/dutygraph/id/jurisdiction/441900")
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


@pytest.fixture
def two_chaoyang(tmp_path):
    """Two districts named 朝阳区 — Beijing's (110105) and Changchun's (220104) — each with a short
    duty list, as a national corpus has them (城关区, 市中区, 宝山区 …)."""
    from conftest import copy_workspace, write_doc

    ws = copy_workspace(tmp_path / "ws", corpus=False)
    for doc, code, units in (("c1", "110105", "区公安分局：牵头打击拐卖妇女儿童犯罪。\n区民政局：负责困境儿童保障。\n区教育委员会：负责校园安全。\n"),
                             ("c2", "220104", "根据《中华人民共和国反家庭暴力法》和《吉林省朝阳区儿童关爱条例》，明确如下。\n区公安分局：负责打击拐卖妇女儿童犯罪。\n区民政局：负责困境儿童保障。\n")):
        write_doc(ws, doc, f"朝阳区妇女儿童工作委员会成员单位职责\n{units}",
                  f"""\
                  title: 朝阳区妇女儿童工作委员会成员单位职责
                  jurisdiction: {{name: 朝阳区, code: "{code}", level: county}}
                  body: 朝阳区妇女儿童工作委员会
                  genres: [duty-list]
                  """)
    w = Workspace(ws)
    w.build()
    return w


def test_places_of_one_name_stay_apart_and_the_name_alone_is_refused(two_chaoyang):
    from dutygraph.coverage import matrix

    with pytest.raises(DutygraphError, match=r"'朝阳区' names 2 places: 110105 \(北京市朝阳区\), 220104 \(吉林省朝阳区\); give the division code"):
        two_chaoyang.duties(jurisdiction=["朝阳区"])
    beijing = two_chaoyang.duties(jurisdiction=["110105"])
    assert len(beijing) == 3 and {r["source"] for r in beijing} == {"corpus/c1.txt"}
    ranks = centrality(two_chaoyang, kind="shared-theme")
    assert Counter(r["jurisdiction"] for r in ranks) == {"朝阳区 110105": 3, "朝阳区 220104": 2}
    assert matrix(two_chaoyang).columns == ["朝阳区 110105", "朝阳区 220104"]
    side = {r["key"]: r for r in compare(two_chaoyang, ["110105", "220104"])}
    assert side["anti-trafficking"]["朝阳区 110105"] == side["anti-trafficking"]["朝阳区 220104"] == ["区公安分局"]
    assert side["school-safety"]["朝阳区 220104"] == "—" and side["school-safety"]["朝阳区 110105"] == ["区教育委员会"]
    places = {r["source"]: r["jurisdiction_iri"].rsplit("/", 1)[-1] for r in two_chaoyang.duties() + two_chaoyang.members()}
    assert places == {"corpus/c1.txt": "110105", "corpus/c2.txt": "220104"}   # each listing row says which 朝阳区


def test_the_gaps_of_one_of_two_places_of_one_name_are_its_own(two_chaoyang):
    """Changchun's 朝阳区 cites two laws no duty of its list carries out: gaps found for the country
    (read by name, they were kept for Beijing's 朝阳区 too)."""
    country = gaps(two_chaoyang)
    cited = [g for g in country if g["kind"] == "law-not-carried-out"]
    assert len(cited) == 2 and {g["jurisdiction_iri"].rsplit("/", 1)[-1] for g in cited} == {"220104"}
    assert all(g["jurisdiction"] == "朝阳区" and g["source"] == "corpus/c2.txt" for g in cited)
    assert gaps(two_chaoyang, ["110105"]) == []
    assert gaps(two_chaoyang, ["220104"]) == cited


def test_the_network_page_draws_two_places_of_one_name_as_two(two_chaoyang):
    from dutygraph.viz import graph_data

    data = graph_data(two_chaoyang)
    places = {n["label"]: n["jurisdiction"].rsplit("/", 1)[-1] for n in data["nodes"] if n["kind"] == "jurisdiction"}
    assert places == {"朝阳区 110105": "110105", "朝阳区 220104": "220104"}
    assert [label for _iri, label in data["jurisdictions"]] == ["朝阳区 110105", "朝阳区 220104"]   # the filter's entries
    units = Counter(n["place"] for n in data["nodes"] if n["kind"] == "agency")
    assert units == {"朝阳区 110105": 3, "朝阳区 220104": 2}


def test_every_listing_row_names_its_place_by_iri(seed_ws):
    for rows in (seed_ws.duties(), seed_ws.tasks(), seed_ws.members()):
        assert rows and all(seed_ws.jurisdiction_iri(r["jurisdiction"]) == r["jurisdiction_iri"] for r in rows)
