"""Research questions across places: side-by-side comparison, gap analysis with suggested units,
and centrality in the lead→support and shared-theme networks. Everything is computed from the rows
of library queries, so it runs the same on the embedded graph and on an endpoint. The units
suggested for a duty that names none are made by the build (``suggestions.py``, graph
``suggestions``) and read here with their evidence; they are never shown as holding the duty.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from .errors import DutygraphError
from .jurisdictions import distinct_names

MISSING = "—"


# ---------------------------------------------------------------- compare
def _place_names(ws, places) -> list[tuple[str, str]]:
    """(what the user typed, the jurisdiction's name) for each place, in order; two places of one
    name asked by their codes are two columns, each name followed by its code."""
    iris = [ws.jurisdiction_iri(p) for p in places]
    for k, iri in enumerate(iris):
        if iri in iris[:k]:
            first = places[iris.index(iri)]
            raise DutygraphError(f"'{first}' and '{places[k]}' are the same place ({ws.jurisdictions_by_iri[iri]['name']}): "
                                 "compare needs two or more different places")
    label = distinct_names({iri: ws.jurisdictions_by_iri[iri]["name"] for iri in iris})
    return [(p, label[iri]) for p, iri in zip(places, iris)]


def compare(ws, places, by: str = "theme", texts: bool = False) -> list[dict]:
    """One row per theme (or agency type): who holds it in each place; '—' where nobody does."""
    if len(places) < 2:
        raise DutygraphError("compare needs at least two jurisdictions")
    if by not in ("theme", "agency-type"):
        raise DutygraphError("--by is theme or agency-type")
    cols = _place_names(ws, places)
    held: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    quotes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for typed, name in cols:
        for r in ws.run("duties", place=[typed]):   # the query, not the listing: no legal bases
            if not r["agency"]:
                continue
            keys = r["themes"] if by == "theme" else ([r["agency_type"]] if r["agency_type"] else [])
            for key in keys:
                value = r["agency"] if by == "theme" else None
                if by == "theme":
                    held[key][name].add(value)
                else:
                    held[key][name].update(r["themes"])
                quotes[key][name].append({"agency": r["agency"], "text": r["text"], "source": r["source"],
                                          "start": r["start"], "end": r["end"]})
    scheme = "theme" if by == "theme" else "agency-type"
    rows = []
    for key in sorted(held):
        row = {"key": key, "label": ws.vocab.label(scheme, key)}
        for _typed, name in cols:
            row[name] = sorted(held[key].get(name, ())) or MISSING
        row["held_in"] = sum(1 for _t, name in cols if held[key].get(name))
        if texts:
            for _typed, name in cols:
                row[f"{name} duties"] = quotes[key].get(name, [])
        rows.append(row)
    return sorted(rows, key=lambda r: (-r["held_in"], r["key"]))


# ---------------------------------------------------------------- gaps
# the kinds of gap, in the order they are listed
GAP_KINDS = ("unattributed-duty", "task-without-lead", "member-without-duty", "member-without-representative",
             "holder-not-member", "unresolved-law", "duty-without-basis", "law-not-carried-out", "uncovered-theme")


def gaps(ws, jurisdiction=()) -> list[dict]:
    """Every gap of the graph, or of the places asked for and those under them. Each part asks its
    queries for those places where the query takes one (the memberships and the suggestions the build
    made among them); what is compared across the country — the peers' themes (the build's
    statistics) — is read for the country. Each gap names its place and gives its IRI: places of one
    name (朝阳区 of Beijing and of Changchun) stay apart, and asking for one never shows the other's."""
    places = list(jurisdiction)
    rows = _gap_rows(ws, places)
    keep = None
    if places:
        keep = {_place(r) for r in rows["duties"]} | {_place(r) for r in rows["members"]}
    out: list[dict] = []
    out += _unattributed(rows["duties-without-unit"], rows["suggestions"])
    out += _membership_gaps(rows["gap-facts"], rows["holders-not-members"], keep)
    out += _tasks_without_lead(rows["tasks-without-lead"])
    out += _unresolved_laws(rows["unresolved-laws"])
    out += _legal_basis_gaps(rows["duties-without-basis"], rows["laws-not-carried-out"])
    out += _uncovered_themes(rows["theme-counts"], ws.vocab, keep)
    if keep is not None:
        out = [g for g in out if _place(g) in keep]
    order = {kind: i for i, kind in enumerate(GAP_KINDS)}
    return sorted(out, key=lambda g: (order[g["kind"]], g["jurisdiction"] or "", g["source"] or "~", g["start"] or 0, g["subject"]))


def _gap_rows(ws, places: list) -> dict[str, list[dict]]:
    """The rows every part of the analysis reads, asked at once (``Workspace.run_many``: side by
    side on the store on disk, so the country's gaps wait for the longest listing, not their sum).
    For places, each query that takes one is asked for them, and their duties and members say which
    places the answer covers; the memberships come with whether each unit holds a duty of its place
    (`gap-facts`) and the duties held by units that are not members come with their spans
    (`holders-not-members`), so no listing of every duty is read."""
    place = {"place": places}
    asks = {"gap-facts": ("gap-facts", place), "holders-not-members": ("holders-not-members", place),
            "duties-without-unit": ("duties-without-unit", place),
            "suggestions": ("suggestions", place), "tasks-without-lead": ("tasks-without-lead", place),
            "unresolved-laws": ("unresolved-laws", {}), "duties-without-basis": ("duties-without-basis", place),
            "laws-not-carried-out": ("laws-not-carried-out", {}), "theme-counts": ("theme-counts", {})}
    if places:
        asks["duties"], asks["members"] = ("duties", place), ("members", place)
    return dict(zip(asks, ws.run_many(list(asks.values()))))


def _row(kind, where, message, subject, suggestions=None, source=None, start=None, end=None, text=None) -> dict:
    """A gap; ``where`` is the query row it is found in (its place's name and IRI), or a (name, IRI) pair."""
    name, iri = where if isinstance(where, tuple) else (where["jurisdiction"], where["jurisdiction_iri"])
    return {"kind": kind, "jurisdiction": name, "message": message, "subject": subject, "text": text,
            "suggestions": suggestions or [], "source": source, "start": start, "end": end, "jurisdiction_iri": iri}


def _unattributed(orphans, suggestions) -> list[dict]:
    """The duties that name no unit (``duties-without-unit``), each with the units the build suggests
    for it (``suggestions``): guesses, with the held duty each rests on as evidence."""
    suggested: dict[str, list[dict]] = defaultdict(list)
    for s in suggestions:
        suggested[s["duty"]].append(_suggestion(s))
    return [_row("unattributed-duty", o, "No unit is named for this duty; the suggestions are guesses with their evidence.",
                 o["duty"], suggested.get(o["duty"]), o["source"], o["start"], o["end"], o["text"]) for o in orphans]


def _suggestion(s: dict) -> dict:
    evidence = {"agency": s["evidence_agency"], "jurisdiction": s["evidence_jurisdiction"], "text": s["evidence_text"],
                "source": s["evidence_source"], "start": s["evidence_start"], "end": s["evidence_end"]}
    out = {"agency": s["agency"], "agency_type": s["agency_type"], "score": s["score"], "evidence": evidence}
    if not s["agency_iri"]:
        out["note"] = "no unit of this type is named in this jurisdiction"
    return out


def _membership_gaps(facts, held, keep=None) -> list[dict]:
    """A member unit without a duty in its place or without a representative in a roster naming
    people (`gap-facts`), once per unit and body at its first words; a unit holding a duty in a place
    that lists member units without it (`holders-not-members`), once per unit and place at the first
    duty it holds there."""
    facts = [f for f in facts if keep is None or _place(f) in keep]
    facts.sort(key=lambda f: (   # first words first (none before a value)
        f["jurisdiction"] is not None, f["jurisdiction"], f["body"] is not None, f["body"],
        f["agency"] is not None, f["agency"], f["source"] is not None, f["source"], f["start"] is not None, f["start"]))
    seen, out = set(), []
    for f in facts:
        key = (f["agency_iri"], f["body"])
        if key in seen:
            continue
        seen.add(key)
        if not f["holds"]:
            out.append(_row("member-without-duty", f, f"{f['agency']} is a member of {f['body']} but holds no duty in the graph.",
                            f["agency_iri"], None, f["source"], f["start"], f["end"]))
        if f["roster"] and not f["has_person"]:
            out.append(_row("member-without-representative", f, f"{f['agency']} holds duties in {f['body']} but no representative of it is named in the roster.",
                            f["agency_iri"], None, f["source"], f["start"], f["end"]))
    first: dict[tuple, tuple] = {}   # (place, unit): (order, row)
    for h in held:   # its first duty there: by document, offset, name (one order, whatever the rows')
        key, order = (_place(h), h["agency_iri"]), (h["source"] or "", h["start"] or 0, h["agency"] or "")
        if key not in first or order < first[key][0]:
            first[key] = (order, h)
    for (_key, iri), (_order, h) in first.items():
        out.append(_row("holder-not-member", h, f"{h['agency']} holds a duty but is not listed as a member unit.",
                        iri, None, h["source"], h["start"], h["end"]))
    return out


def _tasks_without_lead(tasks) -> list[dict]:
    return [_row("task-without-lead", t, f"Task {t['number']} names no lead unit (牵头单位).", t["task"], None,
                 t["source"], t["start"], t["end"]) for t in tasks]


def _unresolved_laws(mentions) -> list[dict]:
    return [_row("unresolved-law", r, f"The reference {r['title']} resolves to no legal instrument.", r["mention"], None,
                 r["source"], r["start"], r["end"]) for r in mentions]


def _legal_basis_gaps(without_basis, not_carried_out) -> list[dict]:
    out = [_row("duty-without-basis", r, "No law is stated for this duty, and none in the register governs its themes"
                + (f" ({', '.join(r['themes'])})." if r["themes"] else " (it has no theme)."), r["duty"], None,
                r["source"], r["start"], r["end"], r["text"]) for r in without_basis]
    out += [_row("law-not-carried-out", r, f"{r['law']} is cited in {r['document']} but no duty of that document rests on it.",
                 r["law_iri"], None, r["source"], r["start"], r["end"]) for r in not_carried_out]
    return out


NAMED_PEERS = 10   # the peers a message names; the rest are counted


def _uncovered_themes(theme_counts, vocab, keep=None) -> list[dict]:
    """Themes a place gives no unit while most of its peers (places of its level whose units hold
    duties on at least five theme-and-unit pairs) do. Read from theme-counts — the build's statistics
    for the country: how many units each place gives each theme — each place by its IRI (many
    places share a name), each level's themes counted once."""
    covered: dict[str, set] = defaultdict(set)
    pairs: Counter = Counter()
    name, level = {}, {}
    for r in theme_counts:
        units = int(r["units"] or 0)
        if units:
            j = r["jurisdiction_iri"]
            covered[j].add(r["theme"])
            pairs[j] += units
            name[j], level[j] = r["jurisdiction"], r["level"]
    places = [j for j in covered if pairs[j] >= 5]
    by_level: dict[str, list[str]] = defaultdict(list)
    for j in sorted(places, key=lambda j: (name[j], j)):
        by_level[level[j]].append(j)
    holding = {lv: {t: [j for j in ps if t in covered[j]] for t in set().union(*(covered[j] for j in ps))}
               for lv, ps in by_level.items()}
    out = []
    for lv, ps in by_level.items():
        peers = len(ps) - 1
        need = max(2, math.ceil(peers / 2))   # at least two peers, and at least half of them
        for j in ps:
            if keep is not None and j not in keep:
                continue
            for theme in sorted(set(holding[lv]) - covered[j]):
                having = holding[lv][theme]
                if len(having) >= need:
                    named = "、".join(name[p] for p in having[:NAMED_PEERS])
                    more = f" and {len(having) - NAMED_PEERS} more" if len(having) > NAMED_PEERS else ""
                    out.append(_row("uncovered-theme", (name[j], j),
                                    f"{name[j]} gives no unit a duty on {theme} ({vocab.label('theme', theme)}); "
                                    f"{len(having)} of {peers} {lv}-level peers do: {named}{more}.",
                                    theme))
    return out


# ---------------------------------------------------------------- networks
def networks(ws, kind: str = "lead-support", jurisdiction=()):
    """One networkx graph per jurisdiction: nodes are units (attributes: name, agency_type). Each
    place is its own network, keyed by its name — with its code where another place of the answer
    bears the same name (朝阳区 of Beijing and of Changchun are two networks)."""
    import networkx as nx

    graphs: dict[str, nx.Graph] = {}
    if kind == "lead-support":
        rows = ws.run("lead-support-edges", place=list(jurisdiction))
        place = _places(rows)
        for r in rows:
            g = graphs.setdefault(place[_place(r)], nx.DiGraph())
            g.add_node(r["lead_iri"], name=r["lead"], agency_type=r["lead_type"] or "")
            g.add_node(r["support_iri"], name=r["support"], agency_type=r["support_type"] or "")
            g.add_edge(r["lead_iri"], r["support_iri"], weight=r["tasks"])
    elif kind == "shared-theme":
        themes: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        names = {}
        rows = ws.run("duties", place=list(jurisdiction))   # the query, not the listing: no legal bases
        place = _places(rows)
        for r in rows:
            if r["agency_iri"]:
                themes[place[_place(r)]][r["agency_iri"]].update(r["themes"])
                names[r["agency_iri"]] = (r["agency"] or "", r["agency_type"] or "")
        for place, units in themes.items():
            g = graphs.setdefault(place, nx.Graph())
            for u in units:
                g.add_node(u, name=names[u][0], agency_type=names[u][1])
            ordered = sorted(units)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    shared = units[a] & units[b]
                    if shared:
                        g.add_edge(a, b, weight=len(shared), themes="; ".join(sorted(shared)))
    else:
        raise DutygraphError("--kind is lead-support or shared-theme")
    return graphs


def _place(row: dict) -> str | None:
    """A row's place, by IRI: many places share a name (there are many 城关区)."""
    return row["jurisdiction_iri"]


def _places(rows) -> dict[str, str]:
    return distinct_names({_place(r): r["jurisdiction"] for r in rows})


def centrality(ws, kind: str = "lead-support", measure: str = "degree", jurisdiction=()) -> list[dict]:
    import networkx as nx

    rows = []
    for place, g in sorted(networks(ws, kind, jurisdiction).items()):
        if measure == "degree":
            values = nx.degree_centrality(g)
        elif measure == "betweenness":
            values = nx.betweenness_centrality(g)
        elif measure == "eigenvector":
            und = g.to_undirected() if g.is_directed() else g
            try:
                values = nx.eigenvector_centrality(und, max_iter=2000, weight="weight")
            except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
                values = {n: 0.0 for n in und}
        else:
            raise DutygraphError("--measure is degree, betweenness or eigenvector")
        ranked = sorted(values.items(), key=lambda kv: (-kv[1], g.nodes[kv[0]]["name"]))
        for rank, (node, value) in enumerate(ranked, 1):
            row = {"jurisdiction": place, "rank": rank, "unit": g.nodes[node]["name"],
                   "agency_type": g.nodes[node]["agency_type"], measure: round(value, 4)}
            if g.is_directed():
                row["leads"], row["supports"] = g.out_degree(node), g.in_degree(node)
            else:
                row["links"] = g.degree(node)
            row["agency_iri"] = node
            rows.append(row)
    return rows
