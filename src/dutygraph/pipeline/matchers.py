"""Lexicon matchers, in the manner of an entity ruler: the patterns are the SKOS labels of
``ontology/``, matched longest first and left to right so that 人民政府 is never read as 民政.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..jurisdictions import Jurisdiction
from ..records import UnitRef
from ..text import View
from ..vocab import Vocabulary, alternation

# A unit name may carry its jurisdiction before it: 东莞市, 市委, 县, 省委 ...
LEVEL_PREFIX = r"(?:中共|国家|国务院|全国)?(?:{places})?(?:[省市县区州]?委(?!员)|自治区|[省市县区州]|乡镇|街道)?"
UNKNOWN_UNIT = re.compile(r"[\u4e00-\u9fff]{1,14}?(?:局|委|办|部|院|会|社|台|中心|大队|队|所|科|处|厅|联|室|团|站)$")


@dataclass(frozen=True)
class Hit:
    start: int          # view indices
    end: int
    code: str
    top: str
    prefix: str = ""
    collective: bool = False


class UnitMatcher:
    """Finds unit and collective-holder names in a view, for one jurisdiction's place names."""

    def __init__(self, vocab: Vocabulary, jurisdiction: Jurisdiction, places: tuple[str, ...]):
        self.jurisdiction = jurisdiction
        self.places = places
        prefix = LEVEL_PREFIX.format(places=alternation(places))
        agency = vocab.scheme("agency-type").entries
        groups = vocab.scheme("collective").entries
        self._by_label = {e.label: e for e in agency}
        self._group_by_label = {e.label: e for e in groups}
        self._placed = [(re.compile("^" + alternation([e.label], places) + "$"), e) for e in agency if "{place}" in e.label]
        core = alternation([e.label for e in agency], places)
        self.unit_re = re.compile(f"(?P<prefix>{prefix})(?P<core>{core})")
        self.group_re = re.compile(f"(?P<prefix>{prefix})(?P<core>{alternation([e.label for e in groups])})")

    def _entry(self, core: str):
        if core in self._by_label:
            return self._by_label[core]
        for rx, e in self._placed:
            if rx.match(core):
                return e
        return None

    def find(self, text: str) -> list[Hit]:
        """Every unit or collective name, non-overlapping, longest first at each place."""
        hits = []
        for m in self.group_re.finditer(text):
            e = self._group_by_label[m.group("core")]
            hits.append(Hit(m.start(), m.end(), e.code, e.top, m.group("prefix"), True))
        for m in self.unit_re.finditer(text):
            e = self._entry(m.group("core"))
            if e is not None:
                hits.append(Hit(m.start(), m.end(), e.code, e.top, m.group("prefix")))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start), not h.collective))
        out: list[Hit] = []
        for h in hits:
            if out and h.start < out[-1].end:
                if h.end - h.start > out[-1].end - out[-1].start and h.start == out[-1].start:
                    out[-1] = h
                continue
            out.append(h)
        return out

    def at_start(self, text: str) -> Hit | None:
        hits = self.find(text[:40])
        return hits[0] if hits and hits[0].start == 0 else None

    def ref(self, view: View, hit: Hit, resolve) -> UnitRef:
        """A UnitRef for a hit in ``view``; ``resolve`` maps a name prefix to a jurisdiction."""
        name = view.written(hit.start, hit.end)
        j = resolve(hit.prefix)
        if hit.collective:
            return UnitRef(name, view.span(hit.start, hit.end), j, collective=hit.code)
        return UnitRef(name, view.span(hit.start, hit.end), j, hit.code, hit.top)

    def unknown(self, view: View, resolve) -> UnitRef | None:
        """A name that looks like a unit (ends in 局, 委, 中心 ...) but is in no vocabulary."""
        name = view.text.replace(" ", "")
        if UNKNOWN_UNIT.match(name) and len(name) <= 16:
            return UnitRef(view.written(), view.span(), resolve(""))
        return None


class Tagger:
    """Finds the codes of one scheme (themes, target groups) whose labels a text contains."""

    def __init__(self, entries):
        self._top = {e.label: e.top for e in entries}
        self._re = re.compile(alternation(self._top))

    def codes(self, text: str) -> set[str]:
        return {self._top[m.group(0)] for m in self._re.finditer(text)}


@functools.lru_cache(maxsize=256)
def _unit_matcher(vocab: Vocabulary, jurisdiction: Jurisdiction, places: tuple[str, ...]) -> UnitMatcher:
    return UnitMatcher(vocab, jurisdiction, places)


@dataclass
class Context:
    """What a parser needs for one region: its jurisdiction, its ancestors and the matchers."""

    vocab: Vocabulary
    jurisdiction: Jurisdiction
    ancestors: tuple[Jurisdiction, ...]

    @functools.cached_property
    def units(self) -> UnitMatcher:
        places = []
        for j in (self.jurisdiction,) + self.ancestors:
            places += [j.name, j.short, *j.aliases]
        return _unit_matcher(self.vocab, self.jurisdiction, tuple(sorted(set(p for p in places if p))))

    @functools.cached_property
    def themes(self) -> Tagger:
        return _tagger(self.vocab, "theme")

    @functools.cached_property
    def target_groups(self) -> Tagger:
        return _tagger(self.vocab, "target-group")

    @functools.cached_property
    def roles(self) -> Tagger:
        return _tagger(self.vocab, "role")

    @functools.cached_property
    def group_roles(self) -> dict[str, str]:
        return {e.label: e.code for e in self.vocab.scheme("group-role").entries}

    def resolve(self, prefix: str) -> Jurisdiction:
        """The jurisdiction a name prefix points to: an ancestor named or implied (省), else this one
        (an ancestor that only groups divisions, named 县 or 市辖区, is named by no prefix)."""
        for j in self.ancestors:
            if j.grouping:
                continue
            if j.name in prefix or (j.short and j.short in prefix):
                return j
        if prefix.startswith("省") and self.jurisdiction.level != "province":
            for j in self.ancestors:
                if j.level == "province":
                    return j
        return self.jurisdiction

    def unit_list(self, view: View, separators: re.Pattern, collectives: bool = True) -> list[UnitRef]:
        """Units in an enumeration (市财政局、市农林委和各区县妇儿工委): each piece a known unit (or
        group), else an unknown name that looks like a unit; other pieces are skipped."""
        refs = []
        for piece in self._pieces(view, separators):
            hit = self.units.at_start(piece.text)
            if hit is not None and hit.end >= len(piece.text) - 1 and (collectives or not hit.collective):
                refs.append(self.units.ref(piece, hit, self.resolve))
            else:
                unknown = self.units.unknown(piece, self.resolve)
                if unknown:
                    refs.append(unknown)
        return refs

    def _pieces(self, view: View, separators: re.Pattern):
        """The enumeration cut at each separator outside a known unit's name: 市住房和城乡建设局 and
        市发展和改革委 hold 和 and stay whole, 市教育局和市公安局 is two."""
        pos = 0
        for sep in list(separators.finditer(view.text)) + [None]:
            if sep is not None:
                head = view[pos:].strip().without(" ")
                hit = self.units.at_start(head.text)
                if hit is not None and head.index[hit.end - 1] >= view.index[sep.start()]:
                    continue   # the separator is inside the name
            end = sep.start() if sep else len(view.text)
            piece = view[pos:end].strip().without(" ")
            pos = sep.end() if sep else end
            if piece.text:
                yield piece


@functools.lru_cache(maxsize=8)
def _tagger(vocab: Vocabulary, scheme: str) -> Tagger:
    return Tagger(vocab.scheme(scheme).entries)
