"""Suggested units for the duties that name none: guesses with their evidence, made by the build.

A duty whose unit is not named (a mechanism paragraph that lost its subject) stays without one and
is a gap (``unattributed-duty``). For each, the build ranks the agency types that might hold it and
names the units of those types in the duty's place; the score mixes how close the wording of the
type's closest held duty is (TF-IDF cosine over character bigrams, 0.6) with the share of the duty's
themes that type holds across the graph (0.4), and the closest held duty is the evidence.

They are written into the graph ``suggestions`` as ``dg:UnitSuggestion`` nodes (never as a
participation: ``duties`` does not show a guessed unit), so ``gaps`` for one place reads its few
rows instead of weighing the whole country's wording at every question (a prefecture at 3,200
jurisdictions waited over a minute for it), and a SPARQL endpoint serves them too.

The held duties are gathered document by document as an index: each duty's bigrams as ids and
counts, its place and themes, one row per unit holding it (the rows of ``duties``); no text is
kept. Every row weighs in the bigrams' document frequencies, as the listing gave them.
"""
from __future__ import annotations

import math
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from rdflib import Literal, URIRef

from .linking import preferred_name
from .namespaces import CV, DCTERMS, DG, OA, PROV, RDF, RDFS, XSD, concept
from .triples import Triples

NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")
WORDING, THEMES = 0.6, 0.4   # the score's weights
TOP = 3                      # agency types suggested per duty


@dataclass(frozen=True)
class Wording:
    """A duty as the suggestions weigh it: its place, words and themes, and who holds it."""

    duty: URIRef
    place: URIRef
    source: str          # the document's path: with start, the order of the duty listings
    start: int
    text: str
    themes: tuple        # theme IRIs, sorted
    holders: tuple       # (participation, unit, name as written, role IRI), sorted


def bigrams(text: str) -> Counter:
    """The Chinese character bigrams of a text, in the order they first occur."""
    t = NOT_CJK.sub("", text)
    return Counter(t[i:i + 2] for i in range(len(t) - 1))


def document_wording(g) -> list[Wording]:
    """A document's duties, from its graph (``g`` answers patterns with a predicate)."""
    duties = set(g.subjects(RDF.type, DG.DutyStatement))
    place = {s: o for s, o in g.subject_objects(DCTERMS.spatial) if s in duties}
    span = {s: o for s, o in g.subject_objects(DG.span) if s in duties}
    source_path = {s: str(o) for s, o in g.subject_objects(DG.path)}
    source = dict(g.subject_objects(OA.hasSource))
    start = {s: int(o) for s, o in g.subject_objects(OA.start)}
    exact = {s: str(o) for s, o in g.subject_objects(OA.exact)}
    selectors: dict = defaultdict(list)
    for s, sel in g.subject_objects(OA.hasSelector):
        selectors[s].append(sel)
    themes: dict = defaultdict(list)
    for s, t in g.subject_objects(DG.theme):
        themes[s].append(t)
    unit, name, role = (dict(g.subject_objects(p)) for p in (CV.hasParticipant, RDFS.label, CV.role))
    holders: dict = defaultdict(list)
    for duty, p in g.subject_objects(CV.hasParticipation):
        if p in unit:
            holders[duty].append((p, unit[p], str(name.get(p, "")), role.get(p)))
    out = []
    for duty in duties:
        if duty not in place or duty not in span:
            continue
        sels = selectors[span[duty]]
        out.append(Wording(duty, place[duty], source_path.get(source.get(span[duty]), ""),
                           next((start[s] for s in sels if s in start), 0),
                           next((exact[s] for s in sels if s in exact), ""),
                           tuple(sorted(themes[duty])), tuple(sorted(holders[duty], key=lambda h: tuple(map(str, h))))))
    return out


@dataclass(frozen=True)
class Suggestion:
    """One suggested unit (or, where the place names none of its type, the type alone)."""

    duty: URIRef
    rank: int
    agency_type: str
    unit: URIRef | None
    score: float
    evidence: URIRef     # the participation of the closest held duty of that type


def units_of(shared) -> tuple[dict, dict]:
    """Each unit's agency-type code, and each place's units with a type as (name, unit, code) sorted
    by name, from what the documents said of them (``rdf.Shared``; collectives are not units)."""
    agency_type = {iri: ref.agency_type for iri, ref in shared.refs.items() if ref.agency_type and not ref.collective}
    units_in: dict = defaultdict(list)
    for iri, code in agency_type.items():
        units_in[shared.refs[iri].jurisdiction.iri].append((preferred_name(shared.names[iri]), iri, code))
    return agency_type, {place: sorted(units, key=lambda u: (u[0], str(u[1]))) for place, units in units_in.items()}


class Index:
    """The corpus's duties as the suggestions need them, gathered one document at a time: each duty's
    bigrams as ids and counts in the order they first occur, its place and themes, and one row per
    unit holding it, as ``duties`` lists them (the same unit named twice in a duty in one role
    under one name is one row)."""

    def __init__(self):
        self.gram_id: dict[str, int] = {}
        self.ids, self.counts = array("i"), array("i")
        self.first: list[int] = []        # per duty: its first entry in ids and counts
        self.duties: list[tuple] = []     # per duty: (iri, place, themes)
        self.rows: list[tuple] = []       # per holding: (order key, duty number, participation, unit)

    def add(self, wordings: list[Wording]) -> None:
        for w in wordings:
            k = len(self.duties)
            self.duties.append((w.duty, w.place, w.themes))
            self.first.append(len(self.ids))
            for gram, c in bigrams(w.text).items():
                self.ids.append(self.gram_id.setdefault(gram, len(self.gram_id)))
                self.counts.append(c)
            seen = set()
            for p, u, name, role in w.holders:
                if (u, name, role) not in seen:
                    seen.add((u, name, role))
                    self.rows.append(((w.source, w.start, name, str(role), str(u)), k, p, u))

    def suggest(self, agency_type: dict, units_in: dict) -> list[Suggestion]:
        """The suggestions for every duty no unit holds. ``agency_type``: each unit's agency-type
        code; ``units_in``: each place's units with a type, as (name, unit, code), sorted by name."""
        if not self.duties:
            return []
        held = sorted((r for r in self.rows if r[3] in agency_type), key=lambda r: r[0])
        weights = self._weights()
        nearest = _Postings(self, weights, held, [agency_type[r[3]] for r in held])
        affinity = _affinity(self.duties, held, agency_type)
        holding = {r[1] for r in self.rows}
        ids = self._ids()
        out = []
        for k, (duty, place, themes) in enumerate(self.duties):
            if k not in holding:
                e = self._entries(k)
                out += _ranked(duty, ids[e], weights[e], themes, nearest, affinity, units_in.get(place, ()))
        return sorted(out, key=lambda s: (str(s.duty), s.rank))

    def _ids(self) -> np.ndarray:
        return np.frombuffer(self.ids, dtype=np.int32)

    def _bounds(self) -> np.ndarray:
        """Where each duty's entries start, and where the last one ends."""
        return np.append(np.array(self.first, dtype=np.int64), len(self.ids))

    def _entries(self, k: int) -> slice:
        return slice(self.first[k], self.first[k + 1] if k + 1 < len(self.first) else len(self.ids))

    def _weights(self) -> np.ndarray:
        """Each entry's TF-IDF weight, each duty's vector of unit length; a bigram's document frequency
        counts the rows that list its duty (one per unit holding it, or one)."""
        ids = self._ids()
        lengths = np.diff(self._bounds())
        rows_of = np.ones(len(self.duties))
        for k, n in Counter(r[1] for r in self.rows).items():
            rows_of[k] = n
        duty_of = np.repeat(np.arange(len(self.duties)), lengths)
        df = np.bincount(ids, weights=rows_of[duty_of], minlength=len(self.gram_id))
        n = rows_of.sum()
        idf_of = {v: math.log((1 + n) / (1 + v)) for v in set(df.tolist())}
        w = np.frombuffer(self.counts, dtype=np.int32) * np.array([idf_of[v] for v in df.tolist()])[ids]
        norm = np.sqrt(np.bincount(duty_of, weights=w * w, minlength=len(self.duties)))
        norm[norm == 0] = 1.0
        return w / norm[duty_of]


class _Postings:
    """The held duties' weights by bigram (numpy arrays): a duty's cosine with every held duty is one
    pass over the postings of its own bigrams, and the closest held row of each agency type (a duty
    held by several units is a row for each) one maximum per type, the first in the held order among
    equals."""

    def __init__(self, index: Index, weights: np.ndarray, held: list[tuple], types: list[str]):
        self.held = held
        ids, first = index._ids(), index._bounds()
        duties, duty_of_row = np.unique(np.array([r[1] for r in held], dtype=np.int64), return_inverse=True)
        lengths = first[duties + 1] - first[duties]
        duty = np.repeat(np.arange(len(duties)), lengths)   # each held duty's entries
        entry = np.arange(len(duty)) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(first[duties], lengths)
        order = np.argsort(ids[entry], kind="stable")   # by bigram
        grams, self.duty, self.weight = ids[entry][order], duty[order], weights[entry][order]
        self.bounds = {int(g): (int(a), int(b)) for g, a, b in _runs(grams)}
        self.n_duties = len(duties)
        by_type: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(types):
            by_type[t].append(i)
        self.types = sorted(by_type)
        # the held rows grouped by type (the held order within one), and where each group starts
        self.grouped = np.array([i for t in self.types for i in by_type[t]], dtype=np.int64)
        self.grouped_duty = duty_of_row[self.grouped]
        self.starts = np.cumsum([0] + [len(by_type[t]) for t in self.types[:-1]]).astype(np.int64)
        self.sizes = np.array([len(by_type[t]) for t in self.types], dtype=np.int64)

    def best_by_type(self, grams: np.ndarray, weights: np.ndarray) -> dict[str, tuple[float, tuple]]:
        if not self.types:
            return {}
        scores = np.zeros(self.n_duties)
        for g, x in zip(grams.tolist(), weights.tolist()):
            if g in self.bounds:
                a, b = self.bounds[g]
                scores[self.duty[a:b]] += x * self.weight[a:b]   # a duty appears once in a bigram's postings
        grouped = scores[self.grouped_duty]
        top = np.maximum.reduceat(grouped, self.starts)
        at_top = np.flatnonzero(grouped == np.repeat(top, self.sizes))
        first = at_top[np.searchsorted(at_top, self.starts)]   # each type's first row at its best
        return {t: (float(top[i]), self.held[int(self.grouped[k])]) for i, (t, k) in enumerate(zip(self.types, first.tolist()))}


def _runs(sorted_values: np.ndarray):
    """(value, first, end) of each run of equal values in a sorted array."""
    if not len(sorted_values):
        return []
    starts = np.flatnonzero(np.diff(sorted_values)) + 1
    first = np.concatenate(([0], starts))
    end = np.concatenate((starts, [len(sorted_values)]))
    return zip(sorted_values[first].tolist(), first.tolist(), end.tolist())


def _affinity(duties: list[tuple], held: list[tuple], agency_type: dict) -> dict:
    """P(agency type | theme): of the held rows on a theme, the share of each agency type."""
    counts: dict = defaultdict(Counter)
    for _key, k, _p, u in held:
        for t in duties[k][2]:
            counts[t][agency_type[u]] += 1
    return {t: {code: n / sum(c.values()) for code, n in c.items()} for t, c in counts.items()}


def _ranked(duty, grams: np.ndarray, weights: np.ndarray, themes: tuple, nearest: _Postings, affinity: dict,
            units_here) -> list[Suggestion]:
    """The TOP agency types for one duty, each with its units in the place (or alone), ranked."""
    scored = []
    for code, (cos, row) in nearest.best_by_type(grams, weights).items():
        aff = sum(affinity.get(t, {}).get(code, 0.0) for t in themes) / len(themes) if themes else 0.0
        scored.append((WORDING * cos + THEMES * aff, code, row))
    out: list[Suggestion] = []
    for score, code, row in sorted(scored, key=lambda x: (-x[0], x[1]))[:TOP]:
        here = [u for _name, u, c in units_here if c == code] or [None]
        out += [Suggestion(duty, len(out) + 1 + i, code, u, round(score, 3), row[2]) for i, u in enumerate(here)]
    return out


def graph(found: list[Suggestion]) -> Triples:
    """The suggestions graph: a ``dg:UnitSuggestion`` per suggested unit (or type alone)."""
    g = Triples()
    for s in found:
        node = URIRef(f"{s.duty}/suggestion/{s.rank}")
        g.add((node, RDF.type, DG.UnitSuggestion))
        g.add((node, DG.suggestedFor, s.duty))
        g.add((node, DG.rank, Literal(s.rank, datatype=XSD.positiveInteger)))
        g.add((node, DG.suggestedType, concept("agency-type", s.agency_type)))
        if s.unit is not None:
            g.add((node, DG.suggestedUnit, s.unit))
        g.add((node, DG.score, Literal(Decimal(f"{s.score:.3f}"))))
        g.add((node, PROV.wasDerivedFrom, s.evidence))
    return g
