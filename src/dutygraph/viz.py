"""The network page: one self-contained HTML file (pyvis, with the vis-network script inlined)
that opens from disk with no network. Units, themes, laws and jurisdictions are nodes; a click on a
unit lists its duties with the quoted source words.

Document text never enters the page as markup: the data travels as a JSON block whose ``<``, ``>``
and ``&`` are escaped, and the page writes it with ``textContent``.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from .build import write_atomic
from .errors import DutygraphError
from .jurisdictions import distinct_names

KIND_COLOURS = {"jurisdiction": "#6c5ce7", "agency": "#0984e3", "group": "#74b9ff", "theme": "#e17055",
                "law": "#00b894", "target": "#e84393"}
KIND_SHAPES = {"jurisdiction": "star", "agency": "dot", "group": "dot", "theme": "diamond", "law": "square",
               "target": "triangle"}
KIND_LABELS = {"jurisdiction": "Jurisdiction 行政区域", "agency": "Unit 单位", "group": "Collective 集体",
               "theme": "Theme 主题", "law": "Law 法律文件", "target": "Target group 目标人群"}
BIG = 1500   # above this many nodes the page lays out without physics
# above this many nodes a page is not written unless asked for (``whole``): headless Chromium on a
# 2-core machine drew 9,795 nodes in 15 s and 103,561 (3,200 jurisdictions) in 294 s
PAGE_LIMIT = 20_000


REMOTE = re.compile(r"<link\b[^>]*https?://[^>]*>|<script\b[^>]*\bsrc=\"https?://[^>]*>\s*</script>|<!--.*?-->", re.S)


def safe_json(data) -> str:
    """JSON that cannot close a <script> element or start markup."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def graph_data(ws, jurisdictions=(), themes=()) -> dict:
    """The page's nodes, edges and each unit's duties, from the library query `duties` (not the
    listing, which also asks every duty's legal bases: the page shows the laws a duty cites). Each
    place is its own node, by IRI, named with its code where another place of the page bears the
    same name (朝阳区 110105, 朝阳区 220104)."""
    rows = ws.run("duties", theme=list(themes), place=list(jurisdictions))
    lead_rows = ws.run("lead-support-edges", place=list(jurisdictions))
    place = distinct_names({r["jurisdiction_iri"]: r["jurisdiction"] for r in rows + lead_rows})
    labels = {code: ws.vocab.label("theme", code) for code in ws.vocab.scheme("theme").labels}
    groups = {code: ws.vocab.label("target-group", code) for code in ws.vocab.scheme("target-group").labels}
    nodes, edges = {}, Counter()
    duties = defaultdict(list)
    for r in rows:
        iri = r["jurisdiction_iri"]
        j = "j:" + iri
        nodes.setdefault(j, {"id": j, "label": place[iri], "kind": "jurisdiction", "jurisdiction": iri})
        if not r["agency_iri"]:
            continue
        a = r["agency_iri"]
        kind = "agency" if "/agency/" in a else "group"
        node = nodes.setdefault(a, {"id": a, "label": r["agency"] or "", "kind": kind, "jurisdiction": iri, "place": place[iri],
                                    "agency_type": r["agency_type"] or "", "themes": [], "duties": 0})
        node["duties"] += 1
        node["themes"] = sorted(set(node["themes"]) | set(r["themes"]))
        duties[a].append({"text": r["text"], "source": r["source"], "start": r["start"], "end": r["end"],
                          "role": r["role"], "themes": r["themes"], "laws": r["laws"]})
        edges[(a, j, "in")] += 1
        for t in r["themes"]:
            tid = "t:" + t
            nodes.setdefault(tid, {"id": tid, "label": labels.get(t, t), "kind": "theme", "code": t})
            edges[(a, tid, "theme")] += 1
        for law in r["laws"]:
            lid = "l:" + law
            nodes.setdefault(lid, {"id": lid, "label": law, "kind": "law"})
            edges[(a, lid, "law")] += 1
        for g in r["target_groups"]:
            gid = "g:" + g
            nodes.setdefault(gid, {"id": gid, "label": groups.get(g, g), "kind": "target", "code": g})
            edges[(a, gid, "target")] += 1
    for n in nodes.values():
        n["shape"] = KIND_SHAPES[n["kind"]]
        n["color"] = KIND_COLOURS[n["kind"]]
        n["size"] = 8 + 3 * min(n.get("duties", 4), 12) if n["kind"] in ("agency", "group") else 14
        n["font"] = {"size": 16 if n["kind"] in ("jurisdiction", "theme") else 13}
    edge_list = [{"from": a, "to": b, "value": w, "kind": k} for (a, b, k), w in sorted(edges.items())]
    lead = [{"from": r["lead_iri"], "to": r["support_iri"], "value": r["tasks"], "kind": "lead", "jurisdiction": r["jurisdiction_iri"]}
            for r in lead_rows]
    if themes:   # the page is those themes' network: the tasks' lead → support links among their units only
        lead = [e for e in lead if e["from"] in nodes and e["to"] in nodes]
    for e in lead:   # units that lead or support without any other duty still appear
        for end in (e["from"], e["to"]):
            if end not in nodes:
                nodes[end] = {"id": end, "label": end.rsplit("/", 1)[-1], "kind": "agency", "jurisdiction": e["jurisdiction"],
                              "place": place[e["jurisdiction"]],
                              "agency_type": "", "themes": [], "duties": 0, "shape": "dot", "color": KIND_COLOURS["agency"], "size": 8}
    return {"nodes": sorted(nodes.values(), key=lambda n: n["id"]), "edges": edge_list, "lead_edges": lead,
            "duties": {k: v for k, v in sorted(duties.items())},
            "themes": sorted({(n["code"], n["label"]) for n in nodes.values() if n["kind"] == "theme"}),
            "agency_types": sorted({n["agency_type"] for n in nodes.values() if n.get("agency_type")}),
            "jurisdictions": sorted(([n["jurisdiction"], n["label"]] for n in nodes.values() if n["kind"] == "jurisdiction"),
                                    key=lambda j: (j[1], j[0])),
            "legend": KIND_LABELS, "colours": KIND_COLOURS, "big": len(nodes) > BIG}


# what both pages' panels share: the panel's place beside the network, the data read into vis's
# DataSets, and an element made with its text as text (never as markup)
PAGE_STYLE = """  body { margin: 0; font-family: sans-serif; }
  #mynetwork { position: absolute; left: 340px; right: 0; top: 0; bottom: 0; width: auto !important; height: 100% !important; border: 0 !important; }
  #dg-side { position: absolute; left: 0; top: 0; bottom: 0; width: 330px; overflow: auto; padding: 8px; box-sizing: border-box; border-right: 1px solid #ddd; font-size: 13px; }
  #dg-side h1 { font-size: 18px; margin: 4px 0 8px; }
"""
PAGE_SETUP = """  var data = JSON.parse(document.getElementById("dg-data").textContent);
  var nodes = new vis.DataSet(data.nodes.map(function (n) { return Object.assign({}, n); }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) { return Object.assign({id: "e" + i}, e); }));
  network.setData({nodes: nodes, edges: edges});
"""
PAGE_EL = """  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
"""


def panel(text: str) -> str:
    """A page's panel with the shared style and script set in."""
    return text.replace("__STYLE__\n", PAGE_STYLE).replace("__SETUP__\n", PAGE_SETUP).replace("__EL__\n", PAGE_EL)


PANEL = panel("""
<div id="dg-side">
  <h1>dutygraph</h1>
  <input id="dg-search" type="search" placeholder="Search units, themes, laws 搜索">
  <label>Jurisdiction <select id="dg-jur"><option value="">all</option></select></label>
  <label>Theme <select id="dg-theme"><option value="">all</option></select></label>
  <label>Agency type <select id="dg-type"><option value="">all</option></select></label>
  <label>View <select id="dg-layout"><option value="all">the whole graph</option>
    <option value="lead">lead → support network (of the jurisdiction chosen above)</option></select></label>
  <div id="dg-legend"></div>
  <div id="dg-count"></div>
  <div id="dg-detail"><p>Click a unit to see its duties and the words they come from.</p></div>
</div>
<script type="application/json" id="dg-data">__DATA__</script>
<style>
__STYLE__
  #dg-side input, #dg-side select { width: 100%; margin: 2px 0 8px; }
  #dg-legend span { display: inline-block; margin-right: 8px; }
  #dg-legend i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; border-radius: 2px; }
  .dg-duty { border-top: 1px solid #eee; padding: 4px 0; }
  .dg-duty blockquote { margin: 2px 0 2px 8px; color: #222; }
  .dg-src { color: #777; font-size: 11px; }
</style>
<script>
(function () {
__SETUP__
  network.setOptions({physics: data.big ? false : {stabilization: {iterations: 300}}, interaction: {hover: true},
                      layout: {improvedLayout: !data.big}, edges: {scaling: {min: 1, max: 6}, color: {opacity: 0.5}}});
  function settle() { network.setOptions({physics: false}); document.body.setAttribute("data-stable", "1"); }
  network.once("stabilizationIterationsDone", settle);
  setTimeout(settle, 8000);   // in case stabilisation ended before the listener was set
__EL__
  var jur = document.getElementById("dg-jur"), theme = document.getElementById("dg-theme"), search = document.getElementById("dg-search");
  var atype = document.getElementById("dg-type"), layout = document.getElementById("dg-layout");
  data.jurisdictions.forEach(function (j) { var o = el("option", j[1]); o.value = j[0]; jur.appendChild(o); });
  data.agency_types.forEach(function (t) { var o = el("option", t); o.value = t; atype.appendChild(o); });
  data.themes.forEach(function (t) { var o = el("option", t[1] + " (" + t[0] + ")"); o.value = t[0]; theme.appendChild(o); });
  var legend = document.getElementById("dg-legend");
  Object.keys(data.legend).forEach(function (k) { var s = el("span"); var i = el("i"); i.style.background = data.colours[k]; s.appendChild(i); s.appendChild(document.createTextNode(data.legend[k])); legend.appendChild(s); });
  function visible(n) {
    var q = search.value.trim().toLowerCase();
    if (jur.value && n.kind !== "theme" && n.kind !== "law" && n.jurisdiction !== jur.value) return false;
    if (theme.value && (n.kind === "agency" || n.kind === "group") && (n.themes || []).indexOf(theme.value) < 0) return false;
    if (theme.value && n.kind === "theme" && n.code !== theme.value) return false;
    if (atype.value && n.kind === "agency" && n.agency_type !== atype.value) return false;
    if (atype.value && n.kind === "group") return false;
    if (q && String(n.label).toLowerCase().indexOf(q) < 0 && n.kind !== "jurisdiction") return false;
    return true;
  }
  var current = "all";
  function apply() {
    var shown = {}, count = 0, lead = layout.value === "lead";
    if (lead !== (current === "lead")) {
      edges.clear();
      var list = lead ? data.lead_edges.map(function (e, i) { return Object.assign({id: "l" + i, arrows: "to", color: {color: "#2d3436"}}, e); })
                      : data.edges.map(function (e, i) { return Object.assign({id: "e" + i}, e); });
      edges.add(list);
      current = lead ? "lead" : "all";
      network.setOptions({physics: data.big ? false : {stabilization: {iterations: 200}}});
      network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });
    }
    data.nodes.forEach(function (n) { shown[n.id] = visible(n); });
    var linked = {};
    if (lead) {
      // only the units of the chosen place that lead or support a task
      data.lead_edges.forEach(function (e) { if (!jur.value || e.jurisdiction === jur.value) { linked[e.from] = linked[e.to] = true; } });
      data.nodes.forEach(function (n) { shown[n.id] = shown[n.id] && !!linked[n.id]; });
    } else {
      // keep themes, laws, groups and jurisdictions only when a shown unit links to them
      data.edges.forEach(function (e) { if (shown[e.from]) linked[e.to] = true; });
      data.nodes.forEach(function (n) { if (n.kind !== "agency" && n.kind !== "group") shown[n.id] = shown[n.id] && !!linked[n.id]; });
    }
    nodes.update(data.nodes.map(function (n) { if (shown[n.id]) count++; return {id: n.id, hidden: !shown[n.id]}; }));
    document.getElementById("dg-count").textContent = count + " of " + data.nodes.length + " nodes shown";
    document.body.setAttribute("data-shown", String(count));
    document.body.setAttribute("data-edges", String(edges.length));
  }
  [jur, theme, atype, layout].forEach(function (s) { s.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  function detail(id) {
    var box = document.getElementById("dg-detail"); box.textContent = "";
    var n = nodes.get(id); if (!n) return;
    box.appendChild(el("h2", n.label));
    box.setAttribute("data-node", id);
    if (n.agency_type) box.appendChild(el("div", n.agency_type + " · " + n.place, "dg-src"));
    (data.duties[id] || []).forEach(function (d) {
      var div = el("div", undefined, "dg-duty");
      div.appendChild(el("div", d.role + (d.themes.length ? " · " + d.themes.join(", ") : ""), "dg-src"));
      div.appendChild(el("blockquote", d.text));
      div.appendChild(el("div", d.source + " [" + d.start + "–" + d.end + ")" + (d.laws.length ? " · " + d.laws.join("; ") : ""), "dg-src"));
      box.appendChild(div);
    });
  }
  network.on("click", function (p) { if (p.nodes.length) detail(p.nodes[0]); });
  network.on("hoverNode", function (p) { detail(p.node); });
  window.dutygraph = {apply: apply, detail: detail, nodes: nodes, edges: edges};
  apply();
})();
</script>
""")


def _too_large(size: str):
    raise DutygraphError(
        f"the network has {size}, more than a browser draws in reasonable time ({PAGE_LIMIT:,} nodes): narrow it with "
        "--jurisdiction or --theme, see it at a glance with --overview (agency types × themes) or --coverage (themes × "
        "places), open it in Gephi (export --format graphml), or write it anyway with --whole")


def write_page(ws, out: Path, jurisdictions=(), themes=(), whole: bool = False) -> tuple[Path, dict]:
    """The page, written to ``out``; a network too large for a browser to draw in reasonable time
    is refused (nothing written) unless ``whole`` is asked for."""
    if not whole:   # counted first, so a national network is refused in seconds, not after a minute's reading
        size = ws.run("network-size", theme=list(themes), place=list(jurisdictions))[0]
        least = int(size["units"] or 0) + int(size["places"] or 0)
        if least > PAGE_LIMIT:
            _too_large(f"at least {least:,} nodes ({int(size['units'] or 0):,} units in {int(size['places'] or 0):,} places)")
    data = graph_data(ws, jurisdictions, themes)
    if len(data["nodes"]) > PAGE_LIMIT and not whole:
        _too_large(f"{len(data['nodes']):,} nodes and {len(data['edges']):,} edges")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, page_html(PANEL, data).encode("utf-8"))
    return out, {"nodes": len(data["nodes"]), "edges": len(data["edges"])}


def page_html(panel: str, data: dict) -> str:
    """pyvis's page with the vis-network script inlined and nothing linked from another host, and
    ``panel`` (its ``__DATA__`` the data as safe JSON) before the end of its body."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line", heading="")
    net.set_options(json.dumps({"physics": {"stabilization": {"iterations": 300}}}))
    html = net.generate_html(notebook=False)
    # pyvis links Bootstrap from a CDN even with the script inlined: the page needs none of it
    html = REMOTE.sub("", html)
    return html.replace("</body>", panel.replace("__DATA__", safe_json(data)) + "\n</body>", 1)
