"""The page: self-contained, offline, and document text shown as text, never as markup."""
import re

import pytest

from conftest import one_duty_ws


def test_seed_page_is_self_contained(seed_ws, tmp_path):
    from dutygraph.viz import write_page

    out, stats = write_page(seed_ws, tmp_path / "page.html")
    html = out.read_text(encoding="utf-8")
    assert stats["nodes"] > 100 and stats["edges"] > 300
    assert "vis.Network" in html or "new vis.Network" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", html)
    assert "dg-detail" in html and "市公安局" in html


def test_hostile_text_is_escaped(tmp_path):
    from dutygraph.viz import write_page

    ws = one_duty_ws(tmp_path, '打击拐卖妇女儿童</script><script>alert("x")</script>犯罪。')
    html, _ = write_page(ws, tmp_path / "p.html")
    text = html.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "</script><script>" not in text.split('id="dg-data">', 1)[1].split("</script>", 1)[0]
    assert "\\u003cscript\\u003ealert" in text


def test_a_network_too_large_to_draw_is_refused_unless_whole_is_asked(seed_ws, tmp_path, monkeypatch, capsys):
    """Above the limit `viz` writes nothing and says how to narrow the page, in one line; `--whole`
    writes it. (The limit is lowered here: the seeds' network has a few hundred nodes.)"""
    import dutygraph.viz as viz
    from dutygraph.cli import main

    page = tmp_path / "page.html"
    page.write_text("the page written before", encoding="utf-8")
    data = viz.graph_data(seed_ws)
    nodes = len(data["nodes"])
    monkeypatch.setattr(viz, "PAGE_LIMIT", nodes - 1)
    assert main(["viz", "--workspace", str(seed_ws.path), "--out", str(page)]) == 1
    err = capsys.readouterr().err
    assert f"the network has {nodes:,} nodes" in err and "--jurisdiction" in err and len(err.strip().splitlines()) == 1
    assert page.read_text(encoding="utf-8") == "the page written before"
    # the units and places are counted first: more of them than the limit is refused before the rows are read
    units = sum(1 for n in data["nodes"] if n["kind"] in ("agency", "group") and n.get("duties"))
    places = sum(1 for n in data["nodes"] if n["kind"] == "jurisdiction")
    monkeypatch.setattr(viz, "PAGE_LIMIT", units + places - 1)
    monkeypatch.setattr(viz, "graph_data", lambda *a, **k: pytest.fail("the rows were read"))
    assert main(["viz", "--workspace", str(seed_ws.path), "--out", str(page)]) == 1
    err = capsys.readouterr().err
    assert f"the network has at least {units + places:,} nodes ({units:,} units in {places:,} places)" in err
    assert len(err.strip().splitlines()) == 1 and page.read_text(encoding="utf-8") == "the page written before"
    monkeypatch.undo()
    monkeypatch.setattr(viz, "PAGE_LIMIT", nodes - 1)
    assert main(["viz", "--workspace", str(seed_ws.path), "--out", str(page), "--jurisdiction", "虎林"]) == 0   # narrowed
    assert main(["viz", "--workspace", str(seed_ws.path), "--out", str(page), "--whole"]) == 0
    assert f"({nodes} nodes" in capsys.readouterr().out and "dg-data" in page.read_text(encoding="utf-8")
    monkeypatch.setattr(viz, "PAGE_LIMIT", nodes)
    assert main(["viz", "--workspace", str(seed_ws.path), "--out", str(page)]) == 0   # at the limit: written


@pytest.mark.parametrize("asked", [{}, {"jurisdiction": ["虎林"]}, {"theme": ["anti-trafficking"]},
                                   {"jurisdiction": ["西安"], "theme": ["anti-trafficking", "child-welfare"]}])
def test_the_size_counted_before_drawing_is_the_units_and_places_the_page_draws(seed_ws, asked):
    import dutygraph.viz as viz

    data = viz.graph_data(seed_ws, asked.get("jurisdiction", ()), asked.get("theme", ()))
    size = seed_ws.run("network-size", place=asked.get("jurisdiction", []), theme=asked.get("theme", []))
    units = sum(1 for n in data["nodes"] if n["kind"] in ("agency", "group") and n.get("duties"))
    places = sum(1 for n in data["nodes"] if n["kind"] == "jurisdiction")
    assert units and size == [{"units": units, "places": places}]
    if asked.get("theme"):   # the tasks' links among the themes' units only: no unit without a duty of them
        assert all(n.get("duties") for n in data["nodes"] if n["kind"] in ("agency", "group"))
        assert all(e["from"] in size_ids(data) and e["to"] in size_ids(data) for e in data["lead_edges"])


def size_ids(data) -> set:
    return {n["id"] for n in data["nodes"] if n.get("duties")}


def test_the_overview_links_agency_types_and_themes_by_the_places_that_hold_them(seed_ws, tmp_path, capsys, monkeypatch):
    from dutygraph import overview
    from dutygraph.cli import main
    from dutygraph.overview import overview_data

    data = overview_data(seed_ws)
    links = {(e["from"], e["to"]): (e["places"], e["units"]) for e in data["edges"]}
    # what the duties say: the places and units of public security holding anti-trafficking duties
    held = [r for r in seed_ws.run("duties", theme=["anti-trafficking"], unit_type=["public-security"]) if r["agency_iri"]]
    places, units = {r["jurisdiction_iri"] for r in held}, {r["agency_iri"] for r in held}
    assert len(places) > 1 and links["agency:public-security", "theme:anti-trafficking"] == (len(places), len(units))
    assert {n["id"] for n in data["nodes"]} == {end for link in links for end in link}
    # two columns, types and themes, each from the most places down; the page opens on the strongest links
    for kind, x in (("agency", 0), ("theme", 900)):
        column = sorted((n for n in data["nodes"] if n["kind"] == kind), key=lambda n: n["y"])
        assert {n["x"] for n in column} == {x} and [n["places"] for n in column] == sorted((n["places"] for n in column), reverse=True)
    assert data["least"] == 1 and len(data["edges"]) <= 300   # the seeds' links are few: all shown
    monkeypatch.setattr(overview, "SHOWN_FIRST", 10)
    assert overview_data(seed_ws)["least"] == sorted((e["places"] for e in data["edges"]), reverse=True)[9] > 1
    monkeypatch.undo()
    hulin = overview_data(seed_ws, ["虎林"])
    assert hulin["edges"] and all(e["places"] == 1 for e in hulin["edges"]) and len(hulin["edges"]) < len(data["edges"])
    assert hulin["where"] == " --jurisdiction 虎林"
    page = tmp_path / "overview.html"
    assert main(["viz", "--overview", "--workspace", str(seed_ws.path), "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert f"({len(data['nodes'])} nodes, {len(data['edges'])} edges)" in capsys.readouterr().out
    assert "dg-data" in html and not re.search(r"""(src|href)=["']https?://""", html)
