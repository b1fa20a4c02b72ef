"""Research questions across places: side-by-side comparison, gap analysis with suggested units,
and centrality in the lead→support and shared-theme networks. Everything is computed from the rows
of library queries, so it runs the same on the embedded graph and on an endpoint; suggestions are
returned to the user and never written into the graph.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import numpy as np

from .errors import DutygraphError

CJK = re.compile(r"[^\u4e00-\u9fff]")
MISSING = "—"


# ---------------------------------------------------------------- compare
def _place_names(ws, places) -> list[tuple[str, str]]:
    """(what the user typed, the jurisdiction's name) for each place, in order."""
    names = {r["jurisdiction_iri"]: r["name"] for r in ws.run("jurisdictions")}
    return [(p, names[ws.jurisdiction_iri(p)]) for p in places]


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
        for r in ws.duties(jurisdiction=[typed]):
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


# ---------------------------------------------------------------- suggestions
def _bigrams(text: str) -> Counter:
    t = CJK.sub("", text)
    return Counter(t[i:i + 2] for i in range(len(t) - 1))


class Similarity:
    """TF-IDF cosine over character bigrams: enough to tell a civil-affairs duty from a police one."""

    def __init__(self, texts):
        self.df = Counter()
        docs = [_bigrams(t) for t in texts]
        for d in docs:
            self.df.update(set(d))
        self.n = max(1, len(docs))

    def vector(self, text: str) -> dict[str, float]:
        v = {g: c * math.log((1 + self.n) / (1 + self.df[g])) for g, c in _bigrams(text).items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}


def theme_affinity(held: list[dict]) -> dict[str, dict[str, float]]:
    """P(agency type | theme): of the duties on a theme, the share each agency type holds."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for d in held:
        for t in d["themes"]:
            counts[t][d["agency_type"]] += 1
    return {t: {k: n / sum(c.values()) for k, n in c.items()} for t, c in counts.items()}


class Nearest:
    """The held duties' TF-IDF vectors as postings by bigram (numpy arrays): an orphan's cosine with
    every held duty is one pass over the postings of its own bigrams, and the closest duty of each
    agency type one argmax — where comparing it with each held duty in turn made the country's
    orphans a matter of hours (a thousand orphans against 300,000 held duties)."""

    def __init__(self, held: list[dict]):
        self.held = held
        rows: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, list[float]] = defaultdict(list)
        by_type: dict[str, list[int]] = defaultdict(list)
        self.rows_of_duty: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(held):
            for g, x in d["_vec"].items():
                rows[g].append(i)
                weights[g].append(x)
            by_type[d["agency_type"]].append(i)
            self.rows_of_duty[d["duty"]].append(i)
        self.postings = {g: (np.array(rows[g], dtype=np.int64), np.array(weights[g])) for g in rows}
        self.by_type = {t: np.array(ix, dtype=np.int64) for t, ix in by_type.items()}   # in the held order

    def best_by_type(self, vector: dict[str, float], duty: str) -> dict[str, tuple[float, dict]]:
        """For each agency type, the held duty (other than ``duty``) closest to ``vector``, with its
        cosine; the first in the held order among equals."""
        scores = np.zeros(len(self.held))
        for g, x in vector.items():
            if g in self.postings:
                ix, w = self.postings[g]
                scores[ix] += x * w   # a duty appears once in a bigram's postings
        scores[self.rows_of_duty.get(duty, [])] = -np.inf
        best = {}
        for t, ix in self.by_type.items():
            k = int(np.argmax(scores[ix]))
            if scores[ix[k]] > -np.inf:
                best[t] = (float(scores[ix[k]]), self.held[int(ix[k])])
        return best


def suggest(orphan: dict, nearest: Nearest, units_here: list[dict], sim: Similarity,
            affinity: dict[str, dict[str, float]], top: int = 3) -> list[dict]:
    """Units of the orphan's jurisdiction whose type holds the most similar duties elsewhere, ranked.

    The score mixes the closest duty's wording (TF-IDF cosine, 0.6) with how much of the orphan's
    themes that type holds across the graph (0.4); the closest duty is quoted as evidence.
    """
    best = nearest.best_by_type(sim.vector(orphan["text"]), orphan["duty"])
    themes = orphan["themes"]
    scored = []
    for agency_type, (cos, d) in best.items():
        aff = sum(affinity.get(t, {}).get(agency_type, 0.0) for t in themes) / len(themes) if themes else 0.0
        scored.append((0.6 * cos + 0.4 * aff, agency_type, d))
    out = []
    for score, agency_type, d in sorted(scored, key=lambda x: (-x[0], x[1]))[:top]:
        evidence = {k: d[k] for k in ("agency", "jurisdiction", "text", "source", "start", "end")}
        here = [u for u in units_here if u["agency_type"] == agency_type]
        for u in here:
            out.append({"agency": u["agency"], "agency_type": agency_type, "score": round(score, 3), "evidence": evidence})
        if not here:
            out.append({"agency": None, "agency_type": agency_type, "score": round(score, 3), "evidence": evidence,
                        "note": "no unit of this type is named in this jurisdiction"})
    return out


# ---------------------------------------------------------------- gaps
def gaps(ws, jurisdiction=()) -> list[dict]:
    """Every gap of the graph, or of the places asked for and those under them. Each part asks its
    queries for those places where the query takes one (the memberships among them); what is
    compared across the country — the
    wording of every held duty (for suggestions, read only when there is an orphan to suggest for)
    and the peers' themes (the build's statistics) — is read for the country."""
    places = list(jurisdiction)
    # the country's duties as `duty-wording` gives them: the rows of `duties` without the target
    # groups and legal bases, which no gap reads, in a third of the time
    duties = ws.run("duties", place=places) if places else ws.run("duty-wording")
    keep = None
    if places:
        keep = {r["jurisdiction"] for r in duties} | {r["jurisdiction"] for r in ws.run("members", place=places)}
    out: list[dict] = []
    out += _unattributed(ws, duties, places)
    out += _membership_gaps(ws, duties, places, keep)
    out += _tasks_without_lead(ws, places)
    out += _unresolved_laws(ws)
    out += _legal_basis_gaps(ws, places)
    out += _uncovered_themes(ws, keep)
    if keep is not None:
        out = [g for g in out if g["jurisdiction"] in keep]
    order = {"unattributed-duty": 0, "task-without-lead": 1, "member-without-duty": 2,
             "member-without-representative": 3, "holder-not-member": 4, "unresolved-law": 5,
             "duty-without-basis": 6, "law-not-carried-out": 7, "uncovered-theme": 8}
    return sorted(out, key=lambda g: (order[g["kind"]], g["jurisdiction"] or "", g["source"] or "~", g["start"] or 0, g["subject"]))


def _row(kind, jurisdiction, message, subject, suggestions=None, source=None, start=None, end=None, text=None) -> dict:
    return {"kind": kind, "jurisdiction": jurisdiction, "message": message, "subject": subject, "text": text,
            "suggestions": suggestions or [], "source": source, "start": start, "end": end}


def _unattributed(ws, duties, places) -> list[dict]:
    orphans = [r for r in duties if not r["agency"]]
    if not orphans:
        return []
    # the suggestions weigh the whole graph's wording: for a place, the country's duties without
    # their target groups and legal bases (the same rows, read far faster than `duties`)
    every = ws.run("duty-wording") if places else duties
    held = [dict(r) for r in every if r["agency"] and r["agency_type"]]
    sim = Similarity([r["text"] for r in every])
    for d in held:
        d["_vec"] = sim.vector(d["text"])
    units: dict[str, list[dict]] = defaultdict(list)
    for u in ws.run("units", place=places):
        if u["kind"] == "unit" and u["agency_type"]:
            units[u["jurisdiction"]].append(u)
    affinity = theme_affinity(held)
    nearest = Nearest(held)
    out = []
    for o in orphans:
        s = suggest(o, nearest, units[o["jurisdiction"]], sim, affinity)
        out.append(_row("unattributed-duty", o["jurisdiction"], "No unit is named for this duty; the suggestions are guesses with their evidence.",
                        o["duty"], s, o["source"], o["start"], o["end"], o["text"]))
    return out


def _membership_gaps(ws, duties, places=(), keep=None) -> list[dict]:
    facts = [f for f in ws.run("gap-facts", place=list(places)) if keep is None or f["jurisdiction"] in keep]
    facts.sort(key=lambda f: tuple((v is not None, v) for v in (
        f["jurisdiction"], f["body"], f["agency"], f["source"], f["start"])))   # first words first
    holders_by_place: dict[str, set] = defaultdict(set)
    for r in duties:
        if r["agency_iri"] and "/agency/" in r["agency_iri"]:
            holders_by_place[r["jurisdiction"]].add((r["agency_iri"], r["agency"], r["source"], r["start"], r["end"]))
    seen, members_by_place, out = set(), defaultdict(set), []
    for f in facts:
        members_by_place[f["jurisdiction"]].add(f["agency_iri"])
        key = (f["agency_iri"], f["body"])
        if key in seen:
            continue
        seen.add(key)
        has_duty = any(h[0] == f["agency_iri"] for h in holders_by_place[f["jurisdiction"]])
        if not has_duty:
            out.append(_row("member-without-duty", f["jurisdiction"], f"{f['agency']} is a member of {f['body']} but holds no duty in the graph.",
                            f["agency_iri"], None, f["source"], f["start"], f["end"]))
        if f["roster"] and not f["has_person"]:
            out.append(_row("member-without-representative", f["jurisdiction"], f"{f['agency']} holds duties in {f['body']} but no representative of it is named in the roster.",
                            f["agency_iri"], None, f["source"], f["start"], f["end"]))
    for place, holders in holders_by_place.items():
        if not members_by_place.get(place):
            continue   # the place publishes no member list: nothing to check against
        for iri, name, source, start, end in sorted(holders, key=lambda h: (h[2], h[3])):
            if iri not in members_by_place[place] and (iri, "x") not in seen:
                seen.add((iri, "x"))
                out.append(_row("holder-not-member", place, f"{name} holds a duty but is not listed as a member unit.",
                                iri, None, source, start, end))
    return out


def _tasks_without_lead(ws, places=()) -> list[dict]:
    return [_row("task-without-lead", t["jurisdiction"], f"Task {t['number']} names no lead unit (牵头单位).", t["task"], None,
                 t["source"], t["start"], t["end"]) for t in ws.tasks(jurisdiction=places) if not t["lead"]]


def _unresolved_laws(ws) -> list[dict]:
    return [_row("unresolved-law", r["jurisdiction"], f"The reference {r['title']} resolves to no legal instrument.", r["mention"], None,
                 r["source"], r["start"], r["end"]) for r in ws.run("unresolved-laws")]


def _legal_basis_gaps(ws, places=()) -> list[dict]:
    out = [_row("duty-without-basis", r["jurisdiction"], "No law is stated for this duty, and none in the register governs its themes"
                + (f" ({', '.join(r['themes'])})." if r["themes"] else " (it has no theme)."), r["duty"], None,
                r["source"], r["start"], r["end"], r["text"]) for r in ws.run("duties-without-basis", place=places)]
    out += [_row("law-not-carried-out", r["jurisdiction"], f"{r['law']} is cited in {r['document']} but no duty of that document rests on it.",
                 r["law_iri"], None, r["source"], r["start"], r["end"]) for r in ws.run("laws-not-carried-out")]
    return out


NAMED_PEERS = 10   # the peers a message names; the rest are counted


def _uncovered_themes(ws, keep=None) -> list[dict]:
    """Themes a place gives no unit while most of its peers (places of its level whose units hold
    duties on at least five theme-and-unit pairs) do. Read from theme-counts — the build's statistics
    for the country: how many units each place gives each theme — each place by its IRI (many
    places share a name), each level's themes counted once."""
    covered: dict[str, set] = defaultdict(set)
    pairs: Counter = Counter()
    name, level = {}, {}
    for r in ws.run("theme-counts"):
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
            if keep is not None and name[j] not in keep:
                continue
            for theme in sorted(set(holding[lv]) - covered[j]):
                having = holding[lv][theme]
                if len(having) >= need:
                    named = "、".join(name[p] for p in having[:NAMED_PEERS])
                    more = f" and {len(having) - NAMED_PEERS} more" if len(having) > NAMED_PEERS else ""
                    out.append(_row("uncovered-theme", name[j],
                                    f"{name[j]} gives no unit a duty on {theme} ({ws.vocab.label('theme', theme)}); "
                                    f"{len(having)} of {peers} {lv}-level peers do: {named}{more}.",
                                    theme))
    return out


# ---------------------------------------------------------------- networks
def networks(ws, kind: str = "lead-support", jurisdiction=()):
    """One networkx graph per jurisdiction: nodes are units (attributes: name, agency_type)."""
    import networkx as nx

    graphs: dict[str, nx.Graph] = {}
    if kind == "lead-support":
        for r in ws.run("lead-support-edges", place=list(jurisdiction)):
            g = graphs.setdefault(r["jurisdiction"], nx.DiGraph())
            g.add_node(r["lead_iri"], name=r["lead"], agency_type=r["lead_type"] or "")
            g.add_node(r["support_iri"], name=r["support"], agency_type=r["support_type"] or "")
            g.add_edge(r["lead_iri"], r["support_iri"], weight=r["tasks"])
    elif kind == "shared-theme":
        themes: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        names = {}
        for r in ws.duties(jurisdiction=list(jurisdiction)):
            if r["agency_iri"]:
                themes[r["jurisdiction"]][r["agency_iri"]].update(r["themes"])
                names[r["agency_iri"]] = (r["agency"], r["agency_type"] or "")
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
