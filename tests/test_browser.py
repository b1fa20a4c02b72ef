"""The page in headless Chromium (Debian's, driven by Playwright), loaded from a file with the
network off: it draws the network, filters change what is shown, a click on a unit lists its duties
with the quoted words, hostile text stays text, and the console stays clean."""
import json
import os
import shutil
from pathlib import Path

import pytest

from dutygraph.viz import graph_data, write_page

from conftest import one_duty_ws

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must have Debian's chromium: .ci/run installs it")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                               "--disable-component-update", "--no-first-run"])
        yield b
        b.close()


def open_page(browser, path: Path):
    ctx = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    log = {"errors": [], "remote": [], "dialogs": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
    page.route("**/*", lambda route: (log["remote"].append(route.request.url), route.abort())
               if not route.request.url.startswith("file:") else route.continue_())
    page.goto(path.as_uri())
    page.wait_for_function("window.dutygraph && document.body.getAttribute('data-shown') !== null")
    page.wait_for_timeout(1500)
    return page, log


def test_seed_page_draws_filters_and_quotes(browser, seed_ws, tmp_path):
    out, _ = write_page(seed_ws, tmp_path / "page.html")
    data = graph_data(seed_ws)
    page, log = open_page(browser, out)
    assert page.evaluate("network.body.data.nodes.length") == len(data["nodes"])
    assert page.evaluate("network.body.data.edges.length") == len(data["edges"])
    assert int(page.get_attribute("body", "data-shown")) == len(data["nodes"])
    # a click on the unit lists its duties with the source words (once the layout has settled)
    page.wait_for_function("document.body.getAttribute('data-stable') === '1'", timeout=20000)
    unit = "https://w3id.org/dutygraph/id/agency/441900/public-security"
    # centred and enlarged first, then clicked at a point of it that no neighbour covers (the layout
    # is a physics simulation: a neighbour may lie over the node's centre)
    page.evaluate(f"network.focus({json.dumps(unit)}, {{scale: 2.5, animation: false}})")
    box = page.evaluate(f"""(() => {{ const id = {json.dumps(unit)}; const b = network.getBoundingBox(id);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        for (const fy of [0.5, 0.3, 0.7, 0.15, 0.85]) for (const fx of [0.5, 0.3, 0.7, 0.15, 0.85]) {{
          const d = network.canvasToDOM({{x: b.left + fx * (b.right - b.left), y: b.top + fy * (b.bottom - b.top)}});
          if (network.getNodeAt(d) === id) return [r.left + d.x, r.top + d.y]; }}
        return null; }})()""")
    assert box, "no point of the node is clear of its neighbours"
    page.mouse.click(box[0], box[1])
    page.wait_for_function("document.getElementById('dg-detail').getAttribute('data-node') !== null", timeout=5000)
    assert page.get_attribute("#dg-detail", "data-node") == unit
    quotes = page.locator("#dg-detail blockquote").all_text_contents()
    assert "牵头协调开展反对拐卖妇女儿童犯罪工作；" in quotes
    assert "corpus/000_43941902a88d316f.txt" in page.locator("#dg-detail").inner_text()
    # a filter changes what is shown
    page.select_option("#dg-jur", "西安市")
    xian = int(page.get_attribute("body", "data-shown"))
    assert 10 < xian < len(data["nodes"])
    page.select_option("#dg-theme", "anti-trafficking")
    assert int(page.get_attribute("body", "data-shown")) < xian
    page.select_option("#dg-theme", "")
    page.select_option("#dg-layout", "lead")
    assert page.evaluate("network.body.data.edges.length") == sum(1 for e in data["lead_edges"])
    page.select_option("#dg-layout", "all")
    page.select_option("#dg-jur", "")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz.png"))
    assert log["errors"] == [] and log["remote"] == []


def test_hostile_document_text_shows_as_text(browser, tmp_path):
    hostile = '打击拐卖妇女儿童<script>alert("x")</script>"引号"<b>粗</b>犯罪。'
    out, _ = write_page(one_duty_ws(tmp_path, hostile), tmp_path / "h.html")
    page, log = open_page(browser, out)
    page.evaluate("dutygraph.detail('https://w3id.org/dutygraph/id/agency/510100/public-security')")
    text = page.locator("#dg-detail blockquote").first.text_content()
    assert text == hostile
    assert page.locator("#dg-detail b").count() == 0 and page.locator("#dg-detail script").count() == 0
    assert log["dialogs"] == [] and log["errors"] == []


def test_the_overview_draws_types_and_themes_and_names_the_command_behind_a_link(browser, seed_ws, tmp_path):
    from dutygraph.overview import overview_data, write_overview

    out, _ = write_overview(seed_ws, tmp_path / "overview.html")
    data = overview_data(seed_ws)
    page, log = open_page(browser, out)
    assert page.evaluate("network.body.data.nodes.length") == len(data["nodes"])
    assert int(page.get_attribute("body", "data-shown")) == sum(1 for e in data["edges"] if e["places"] >= data["least"])
    page.fill("#dg-min", "3")
    assert int(page.get_attribute("body", "data-shown")) == sum(1 for e in data["edges"] if e["places"] >= 3)
    page.evaluate("dutygraph.detail('agency:public-security')")
    assert "dutygraph duties --agency-type public-security --theme anti-trafficking" in page.locator("#dg-detail").inner_text()
    assert log["errors"] == [] and log["remote"] == []
