"""Every export parses back into an isomorphic graph; CSV opens in a spreadsheet with Chinese intact;
the ontology page and the heat map are written."""
import csv
import io
import os

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from dutygraph.cli import main
from dutygraph.export import rdf_bytes

ROOT_FORMATS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def built(seed_ws):
    ds = Dataset()
    ds.parse(seed_ws.graph_file, format="trig")
    union = Graph()
    for g in ds.graphs():
        union += g
    return ds, union


@pytest.mark.parametrize("fmt", sorted(ROOT_FORMATS))
def test_single_graph_formats_round_trip(seed_ws, built, fmt):
    back = Graph().parse(data=rdf_bytes(seed_ws, fmt), format=ROOT_FORMATS[fmt])
    assert len(back) == len(built[1]) and isomorphic(back, built[1])


@pytest.mark.parametrize("fmt,parser", [("trig", "trig"), ("jsonld", "json-ld")])
def test_dataset_formats_keep_named_graphs(seed_ws, built, fmt, parser):
    back = Dataset()
    back.parse(data=rdf_bytes(seed_ws, fmt), format=parser)
    want = {str(g.identifier): g for g in built[0].graphs() if len(g)}
    got = {str(g.identifier): g for g in back.graphs() if len(g)}
    assert sorted(got) == sorted(want)
    for name, g in want.items():
        assert isomorphic(got[name], g), name


def test_jsonld_uses_the_published_context(seed_ws):
    text = rdf_bytes(seed_ws, "jsonld").decode("utf-8")
    assert '"participant"' in text and '"theme"' in text and "市公安局" in text


def test_jsonld_in_pieces_by_two_processes_is_the_same_dataset(seed_ws, built, monkeypatch):
    """A large graph file is compacted a piece at a time by two processes; a graph cut in pieces is
    several graph objects of one @id, which a JSON-LD reader merges back into that graph."""
    import json

    from dutygraph import export

    monkeypatch.setattr(export, "JSONLD_PIECE", 40)
    monkeypatch.setattr(export, "JSONLD_POOL_FROM", 0)
    data = rdf_bytes(seed_ws, "jsonld")
    ids = [g["@id"] for g in json.loads(data)["@graph"] if "@graph" in g]
    assert len(ids) > len(set(ids)) > 5   # cut in pieces
    back = Dataset()
    back.parse(data=data, format="json-ld")
    want = {str(g.identifier): g for g in built[0].graphs() if len(g)}
    got = {str(g.identifier): g for g in back.graphs() if len(g)}
    assert sorted(got) == sorted(want) and all(isomorphic(got[n], g) for n, g in want.items())


def _stop(*_args):
    os._exit(1)   # a worker killed (by the OOM killer, say) halfway through the export


def test_a_jsonld_worker_stopped_is_one_error_and_keeps_the_export_there(seed_ws, tmp_path, monkeypatch, capsys):
    from dutygraph import export

    monkeypatch.setattr(export, "JSONLD_POOL_FROM", 0)
    monkeypatch.setattr(export, "compact_piece", _stop)
    out = tmp_path / "g.jsonld"
    out.write_text("the export before", encoding="utf-8")
    assert main(["export", "--format", "jsonld", "--out", str(out), "--workspace", str(seed_ws.path)]) == 1
    err = capsys.readouterr().err
    assert "was stopped" in err and "run it again" in err and len(err.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "the export before" and not list(tmp_path.glob(".g.jsonld.*"))


def test_csv_tables_per_kind_with_bom(seed_ws, tmp_path):
    assert main(["export", "--format", "csv", "--out", str(tmp_path / "csv"), "--workspace", str(seed_ws.path)]) == 0
    for name in ("duties", "tasks", "members", "laws"):
        raw = (tmp_path / "csv" / f"{name}.csv").read_bytes()
        assert raw.startswith("\ufeff".encode("utf-8"))
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows and "source" in rows[0]
    duties = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "duties.csv").read_text(encoding="utf-8-sig"))))
    assert any(r["agency"] == "市公安局" and "anti-trafficking" in r["themes"] for r in duties)
    # a row per mention in laws.csv, a row per law in law-use.csv with the law's documents and units (once, not per mention)
    read = lambda name: list(csv.DictReader(io.StringIO((tmp_path / "csv" / name).read_text(encoding="utf-8-sig"))))  # noqa: E731
    mentions, use, laws = read("laws.csv"), read("law-use.csv"), seed_ws.laws()
    assert len(mentions) == sum(len(law["mentions"]) for law in laws) and "documents" not in mentions[0]
    assert [(r["law"], int(r["mentions"]), r["documents"]) for r in use] == [
        (law["law"], len(law["mentions"]), "; ".join(law["documents"])) for law in laws]
    assert any(r["documents"] for r in use)


def test_heatmap_png_and_svg(seed_ws, tmp_path):
    assert main(["viz", "--coverage", "--out", str(tmp_path / "cov.png"), "--workspace", str(seed_ws.path)]) == 0
    png, svg = (tmp_path / "cov.png").read_bytes(), (tmp_path / "cov.svg").read_text(encoding="utf-8")
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    assert "<svg" in svg


def _missing_glyphs(ws, out) -> list[str]:
    """The heat map written, and matplotlib's warnings of characters its font cannot draw (boxes)."""
    import warnings

    from dutygraph.coverage import write_heatmap

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        write_heatmap(ws, out)
    return [str(w.message) for w in seen if "missing from font" in str(w.message)]


def _forget_cjk_fonts(monkeypatch) -> None:
    """matplotlib's font list as it was made before any Chinese font was installed."""
    from matplotlib import font_manager

    from dutygraph.coverage import CJK_FONTS

    fm = font_manager.fontManager
    cjk_files = {f.fname for f in fm.ttflist if f.name in CJK_FONTS}
    monkeypatch.setattr(fm, "ttflist", [f for f in fm.ttflist if f.fname not in cjk_files])


def test_heatmap_finds_a_chinese_font_installed_after_matplotlib_made_its_font_list(seed_ws, tmp_path, monkeypatch):
    from matplotlib import font_manager

    from dutygraph.coverage import CJK_FONTS, _cjk_font

    if not any(font_manager.FontProperties(fname=p).get_name() in CJK_FONTS for p in font_manager.findSystemFonts()):
        pytest.skip("no Chinese font on this machine (CI installs fonts-wqy-zenhei)")
    _cjk_font()   # the list knows the fonts' files before they are forgotten
    _forget_cjk_fonts(monkeypatch)
    assert _cjk_font() in CJK_FONTS
    assert _missing_glyphs(seed_ws, tmp_path / "cov.png") == []


def test_heatmap_without_any_chinese_font_draws_codes_not_boxes(seed_ws, tmp_path, monkeypatch):
    from matplotlib import font_manager

    _forget_cjk_fonts(monkeypatch)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    assert _missing_glyphs(seed_ws, tmp_path / "cov.png") == []
    assert (tmp_path / "cov.svg").exists()


def test_ontology_docs_are_generated_and_committed_up_to_date(tmp_path):
    from pathlib import Path

    from dutygraph.docs import page

    root = Path(__file__).resolve().parents[1]
    html = page(root / "ontology")
    assert "anti-trafficking" in html and "打击拐卖妇女儿童" in html and "dg:DutyStatement" in html
    assert (root / "docs" / "ontology.html").read_text(encoding="utf-8") == html, "run 'dutygraph docs' and commit docs/"


def test_a_damaged_graph_file_is_one_error_and_keeps_the_export_there(tmp_path, capsys):
    (tmp_path / "graph").mkdir()
    (tmp_path / "graph" / "dutygraph.trig").write_text("<a> <b> <c> .\ngarbage <<<", encoding="utf-8")
    out = tmp_path / "out.ttl"
    out.write_text("the export before", encoding="utf-8")
    for fmt in ("turtle", "ntriples", "rdfxml", "jsonld"):
        assert main(["export", "--format", fmt, "--out", str(out), "--workspace", str(tmp_path)]) == 1
        err = capsys.readouterr().err
        assert "dutygraph.trig is damaged" in err and len(err.strip().splitlines()) == 1
        assert out.read_text(encoding="utf-8") == "the export before" and not list(tmp_path.glob(".out.ttl.*"))
