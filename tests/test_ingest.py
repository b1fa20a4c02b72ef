"""Ingest: every input format on a small file the test makes, encodings kept exact, the same file
twice changes nothing, unreadable files leave the corpus as it was, and the evaluation set."""
from pathlib import Path

import pytest

from dutygraph import Workspace
from dutygraph.cli import main
from dutygraph.evaluation import evaluation_set

from conftest import copy_workspace

DUTIES = "苏州市妇女儿童工作委员会成员单位职责\n市公安局：牵头打击拐卖妇女儿童犯罪。\n市民政局：负责困境儿童保障工作。\n"


@pytest.fixture
def ws(tmp_path) -> Path:
    return copy_workspace(tmp_path / "ws", corpus=False)


def make(tmp_path: Path, kind: str) -> Path:
    if kind == "utf-8":
        p = tmp_path / "d.txt"
        p.write_text(DUTIES, encoding="utf-8")
    elif kind in ("utf-8-sig", "utf-16", "gb18030"):
        p = tmp_path / f"d-{kind}.txt"
        p.write_bytes(DUTIES.encode(kind))
    elif kind == "html":
        p = tmp_path / "d.html"
        body = "".join(f"<p>{line}</p>" for line in DUTIES.splitlines())
        p.write_text(f"<html><head><meta charset='utf-8'><script>var x = '市财政局：假的';</script></head><body><nav>首页 | 返回</nav>{body}</body></html>", encoding="utf-8")
    elif kind == "docx":
        import docx

        d = docx.Document()
        for line in DUTIES.splitlines():
            d.add_paragraph(line)
        p = tmp_path / "d.docx"
        d.save(p)
    elif kind == "pdf":
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        p = tmp_path / "d.pdf"
        c = canvas.Canvas(str(p))
        c.setFont("STSong-Light", 12)
        for k, line in enumerate(DUTIES.splitlines()):
            c.drawString(50, 800 - 20 * k, line)
        c.save()
    return p


@pytest.mark.parametrize("kind", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "html", "docx", "pdf"])
def test_each_format_is_read_and_its_duties_found(ws, tmp_path, kind, capsys):
    src = make(tmp_path, kind)
    assert main(["ingest", str(src), "--jurisdiction", "苏州", "--workspace", str(ws)]) == 0
    out = capsys.readouterr().out
    assert "genres: duty-list" in out and "市公安局(public-security)" in out and "市民政局(civil-affairs)" in out
    w = Workspace(ws)
    rows = w.duties()
    assert {(r["agency"], r["role"]) for r in rows} == {("市公安局", "lead"), ("市民政局", "holder")}
    stored = (ws / "corpus" / rows[0]["source"].split("/", 1)[1]).read_text(encoding="utf-8")
    assert all(stored[r["start"]:r["end"]] == r["text"] for r in rows)
    originals = list((ws / "corpus" / "original").glob("*")) if (ws / "corpus" / "original").exists() else []
    assert (len(originals) == 1 and originals[0].read_bytes() == src.read_bytes()) == (kind != "utf-8")
    assert "市财政局" not in stored   # an HTML page's script is not text


def test_the_same_file_twice_changes_nothing(ws, tmp_path, capsys):
    src = make(tmp_path, "gb18030")
    assert main(["ingest", str(src), "--jurisdiction", "苏州", "--workspace", str(ws)]) == 0
    before = sorted(p.name for p in (ws / "corpus").rglob("*"))
    graph = (ws / "graph" / "dutygraph.trig").read_bytes()
    capsys.readouterr()
    assert main(["ingest", str(src), "--jurisdiction", "苏州", "--workspace", str(ws)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert sorted(p.name for p in (ws / "corpus").rglob("*")) == before
    assert (ws / "graph" / "dutygraph.trig").read_bytes() == graph


@pytest.mark.parametrize("name,content,message", [
    ("empty.txt", b"", "empty"),
    ("bin.txt", b"\x00\x01\x02\x03" * 50, "binary"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "cannot read this docx"),
    ("broken.pdf", b"%PDF-1.4 garbage", "cannot read this pdf"),
    ("notes.odt", "市公安局：打击拐卖。".encode(), "unknown format"),
    ("latin.txt", b"Just some English text without any Chinese at all.", "no Chinese text"),
])
def test_unreadable_files_are_refused_and_the_corpus_stays(ws, tmp_path, name, content, message, capsys):
    ok = make(tmp_path, "utf-8")
    assert main(["ingest", str(ok), "--jurisdiction", "苏州", "--workspace", str(ws)]) == 0
    before = sorted(p.name for p in (ws / "corpus").rglob("*"))
    bad = tmp_path / name
    bad.write_bytes(content)
    capsys.readouterr()
    assert main(["ingest", str(bad), "--jurisdiction", "苏州", "--workspace", str(ws)]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in (ws / "corpus").rglob("*")) == before


def test_unknown_place_is_refused_unless_described(ws, tmp_path, capsys):
    src = make(tmp_path, "utf-8")
    assert main(["ingest", str(src), "--jurisdiction", "苏州工业园区", "--workspace", str(ws)]) == 1
    assert "unknown jurisdiction" in capsys.readouterr().err
    assert main(["ingest", str(src), "--jurisdiction", "苏州工业园区", "--level", "zone", "--parent", "苏州",
                 "--workspace", str(ws)]) == 0
    rows = Workspace(ws).duties(jurisdiction=["苏州工业园区"])
    assert rows and rows[0]["jurisdiction"] == "苏州工业园区"
    assert Workspace(ws).duties(jurisdiction=["苏州"]) == rows   # the zone lies under its parent


def test_traditional_characters_keep_text_and_offsets(ws, tmp_path):
    src = tmp_path / "t.txt"
    src.write_text("福州市婦女兒童工作委員會成員單位職責\n市公安局：牽頭打擊拐賣婦女兒童犯罪。\n市婦聯：推進家庭家教家風建設。\n", encoding="big5")
    assert main(["ingest", str(src), "--jurisdiction", "福州", "--workspace", str(ws)]) == 0
    w = Workspace(ws)
    rows = w.duties()
    stored = (ws / rows[0]["source"]).read_text(encoding="utf-8")
    assert "婦聯" in stored
    assert {(r["agency"], r["agency_type"]) for r in rows} == {("市公安局", "public-security"), ("市婦聯", "womens-federation")}
    lead = next(r for r in rows if r["role"] == "lead")
    assert lead["text"] == "牽頭打擊拐賣婦女兒童犯罪。" == stored[lead["start"]:lead["end"]]
    assert "anti-trafficking" in lead["themes"]


def test_evaluation_set_precision_and_recall(tmp_path):
    result = evaluation_set(Path(__file__).parent / "eval" / "docs", tmp_path / "eval")
    assert result["documents"] >= 19
    rows = {(r["genre"], r["what"]): r for r in result["rows"]}
    for genre in ("duty-list", "task-division", "roster", "mechanism", "speech", "all"):
        r = rows[(genre, "units")]
        assert r["precision"] >= 0.9 and r["recall"] >= 0.9, r
    for genre in ("roster", "all"):   # all: a duty list's roster too (Qionghai's, bracketed)
        assert rows[(genre, "members")]["precision"] >= 0.9 and rows[(genre, "members")]["recall"] >= 0.9
    assert rows[("task-division", "tasks")]["recall"] >= 0.9


@pytest.mark.parametrize("date", ["notadate", "2020-13", "2020-02-30", "20-01-01"])
def test_a_date_not_of_the_calendar_is_refused_before_anything_is_written(ws, tmp_path, date, capsys):
    src = make(tmp_path, "utf-8")
    before = sorted(p.name for p in (ws / "corpus").rglob("*"))
    assert main(["ingest", str(src), "--jurisdiction", "苏州", "--date", date, "--no-build", "--workspace", str(ws)]) == 1
    err = capsys.readouterr().err
    assert f"date '{date}'" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in (ws / "corpus").rglob("*")) == before   # the next build is not left to fail
    assert main(["ingest", str(src), "--jurisdiction", "苏州", "--date", "2020-02-29", "--workspace", str(ws)]) == 0
