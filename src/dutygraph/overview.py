"""The overview page: the country at a glance, where the network of every unit is too large to
draw. Agency types and themes are nodes; a link says in how many places a unit of that type holds a
duty on that theme (the library query `type-theme-use`: the build's statistics for the country, the
duties themselves for a place). A click on a node lists its links and the command that lists those
duties with their words, so every count leads back to its sources.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from .build import write_atomic
from .viz import KIND_COLOURS, page_html, panel


COLUMN_GAP, ROW_GAP = 900, 36   # agency types on the left, themes on the right
SHOWN_FIRST = 300   # the page opens showing about this many of the strongest links


def overview_data(ws, jurisdictions=(), themes=()) -> dict:
    """Nodes (agency types and themes, in two columns, each sized and ranked by its strongest link)
    and links (places, units); ``least``: the places a link needs to be shown when the page opens."""
    rows = [r for r in ws.run("type-theme-use", place=list(jurisdictions), theme=list(themes))
            if r["agency_type"] and r["theme_code"]]
    nodes: dict[str, dict] = {}
    for r in rows:
        for kind, scheme, code in (("agency", "agency-type", r["agency_type"]), ("theme", "theme", r["theme_code"])):
            node = nodes.setdefault(f"{kind}:{code}", {
                "id": f"{kind}:{code}", "code": code, "kind": kind, "label": f"{ws.vocab.label(scheme, code)} {code}",
                "shape": "dot" if kind == "agency" else "diamond", "color": KIND_COLOURS[kind], "places": 0})
            node["places"] = max(node["places"], r["places"])
    most = max((n["places"] for n in nodes.values()), default=1)
    for column, kind in enumerate(("agency", "theme")):   # two columns, each from its strongest link down
        ranked = sorted((n for n in nodes.values() if n["kind"] == kind), key=lambda n: (-n["places"], n["code"]))
        for row, n in enumerate(ranked):
            n.update(x=COLUMN_GAP * column, y=ROW_GAP * row, size=6 + 14 * (n["places"] / most) ** 0.5)
    edges = [{"from": f"agency:{r['agency_type']}", "to": f"theme:{r['theme_code']}", "value": r["places"],
              "places": r["places"], "units": r["units"], "title": f"{r['places']} places, {r['units']} units"} for r in rows]
    where = "".join(f" --jurisdiction {_shell_word(j)}" for j in jurisdictions)
    strongest = sorted((e["places"] for e in edges), reverse=True)
    return {"nodes": sorted(nodes.values(), key=lambda n: n["id"]), "edges": edges, "where": where,
            "least": strongest[SHOWN_FIRST - 1] if len(strongest) > SHOWN_FIRST else 1}


def _shell_word(text: str) -> str:
    """A place as the command line takes it: quoted only where a shell would split or read it."""
    return text if re.fullmatch(r"[\w.-]+", text) else shlex.quote(text)


def write_overview(ws, out: Path, jurisdictions=(), themes=()) -> tuple[Path, dict]:
    """The overview page, written to ``out`` (a temporary file first, then renamed)."""
    data = overview_data(ws, jurisdictions, themes)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, page_html(PANEL, data).encode("utf-8"))
    return out, {"nodes": len(data["nodes"]), "edges": len(data["edges"])}


PANEL = panel("""
<div id="dg-side">
  <h1>dutygraph · overview</h1>
  <p class="dg-src">Agency types (dots) and themes (diamonds); a link is the places where a unit of the
  type holds a duty on the theme. Click a node for its links and the command that quotes the duties.</p>
  <label>Links in at least <input id="dg-min" type="number" min="1"> places</label>
  <div id="dg-count"></div>
  <div id="dg-detail"></div>
</div>
<script type="application/json" id="dg-data">__DATA__</script>
<style>
__STYLE__
  #dg-side input { width: 5em; }
  .dg-src { color: #777; font-size: 11px; }
  .dg-link { border-top: 1px solid #eee; padding: 3px 0; }
  code { font-size: 11px; word-break: break-all; }
</style>
<script>
(function () {
__SETUP__
  network.setOptions({physics: false, interaction: {hover: true}, layout: {improvedLayout: false},
                      edges: {smooth: false, scaling: {min: 1, max: 8}, color: {opacity: 0.35}}});
  network.fit();
  document.body.setAttribute("data-stable", "1");
__EL__
  var min = document.getElementById("dg-min");
  min.value = String(data.least);
  function apply() {
    var least = parseInt(min.value, 10) || 1, shown = 0;
    edges.update(data.edges.map(function (e, i) { var keep = e.places >= least; if (keep) shown++; return {id: "e" + i, hidden: !keep}; }));
    document.getElementById("dg-count").textContent = shown + " of " + data.edges.length + " links shown";
    document.body.setAttribute("data-shown", String(shown));
  }
  min.addEventListener("input", apply);
  function detail(id) {
    var box = document.getElementById("dg-detail"); box.textContent = "";
    var n = nodes.get(id); if (!n) return;
    box.setAttribute("data-node", id);
    box.appendChild(el("h2", n.label));
    var mine = data.edges.filter(function (e) { return e.from === id || e.to === id; })
                         .sort(function (a, b) { return b.places - a.places; });
    mine.forEach(function (e) {
      var other = nodes.get(e.from === id ? e.to : e.from);
      var type = nodes.get(e.from), theme = nodes.get(e.to);
      var div = el("div", undefined, "dg-link");
      div.appendChild(el("div", other.label + ": " + e.places + " places, " + e.units + " units"));
      div.appendChild(el("code", "dutygraph duties --agency-type " + type.code + " --theme " + theme.code + data.where));
      box.appendChild(div);
    });
  }
  network.on("click", function (p) { if (p.nodes.length) detail(p.nodes[0]); });
  window.dutygraph = {apply: apply, detail: detail, nodes: nodes, edges: edges};
  apply();
})();
</script>
""")
