"""The page: self-contained, offline, and document text shown as text, never as markup."""
import re

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
