"""Legal instruments cited in a text: titles in book-title marks (《》, 〈〉) and the register's
names written without marks (劳动法、妇女权益保障法), each resolved to one instrument however written.
"""
from __future__ import annotations

import functools
import re

from ..namespaces import digest
from ..records import LawMention
from ..text import View
from ..vocab import Vocabulary, alternation

BRACKETED = re.compile(r"《([^《》\n]{1,80})》|〈([^〈〉《》\n]{1,60})〉")
ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零\d]+条(?:第[一二三四五六七八九十\d]+款)?")
YEARS = re.compile(r"[(（][^()（）]*(?:\d{2}|xx|XX)[^()（）]*[)）]")
MARKS = re.compile(r"[\s“”\"‘’'《》〈〉<>「」]")
# the verbs with which a title says it carries out what it cites: 贯彻落实《X》…方案
CARRIES_OUT = re.compile(r"(?:贯彻|落实|实施|执行|根据|依据|依照|按照|学习)$")
# A bare name must not run on into 法律, 法规, 法院, 法治 ...
BARE_GUARD = r"(?![律规院官治制人])"


def canonical(title: str) -> str:
    """The key a title is compared by: no PRC prefix, no edition years, no quotes or spaces."""
    t = MARKS.sub("", YEARS.sub("", title))
    t = t.replace("中华人民共和国", "", 1) if t.startswith("中华人民共和国") else t
    return t


def is_own(title: str, own_title: str, own: str | None = None) -> bool:
    """Whether a title cited in a document is the document itself (关于印发《X》的通知 is X), not
    what its title says it carries out (贯彻落实《江西省儿童发展规划》重点任务分工方案). ``own``:
    ``canonical(own_title)``, when the caller has it."""
    key = canonical(title)
    own = canonical(own_title) if own is None else own
    if not key or key not in own:
        return False
    cited = [m for m in BRACKETED.finditer(own_title) if canonical(m.group(1) or m.group(2)) == key]
    return not any(CARRIES_OUT.search(own_title[:m.start()]) for m in cited)


def kind_of(title: str, kinds: dict[str, str], places: tuple[str, ...]) -> str | None:
    """The instrument kind from the title's last word (法, 条例, 纲要, 意见 ...)."""
    t = canonical(title)
    for word in sorted(kinds, key=len, reverse=True):
        if t.endswith(word):
            kind = kinds[word]
            if kind == "administrative-regulation" and any(t.startswith(p) for p in places):
                return "local-regulation"
            return kind
    return None


class LawMatcher:
    def __init__(self, vocab: Vocabulary):
        self.by_alias: dict[str, str] = {}
        for inst in vocab.instruments.values():
            for a in inst.aliases:
                self.by_alias[canonical(a)] = inst.key
        self.instruments = vocab.instruments
        bare = [a for inst in vocab.instruments.values() for a in inst.aliases
                if re.search(r"(法|法典|条例|规定)$", a) and len(a) >= 3]
        self.bare_re = re.compile(f"(?:{alternation(bare)}){BARE_GUARD}")
        self.kinds = {e.label: e.code for e in vocab.scheme("instrument-kind").entries}

    def resolve(self, title: str, places: tuple[str, ...]) -> tuple[str | None, str | None, str]:
        key = canonical(title)
        if key in self.by_alias:
            reg = self.by_alias[key]
            return reg, self.instruments[reg].kind, key
        kind = kind_of(title, self.kinds, places)
        if kind is None:
            return None, None, key
        return "x-" + digest(key), kind, key

    def find(self, view: View, places: tuple[str, ...], own_title: str = "") -> list[LawMention]:
        own = canonical(own_title)
        out: list[LawMention] = []
        taken: list[tuple[int, int]] = []
        for m in BRACKETED.finditer(view.text):
            title = m.group(1) or m.group(2)
            inner = BRACKETED.search(title)
            for t, (a, b) in [(title, m.span())] + ([(inner.group(1) or inner.group(2), (m.start(1) + inner.start(), m.start(1) + inner.end()))] if inner else []):
                if is_own(t, own_title, own):
                    continue
                out.append(self._mention(view, t, a, b, places, marked=True))
            taken.append(m.span())
        for m in self.bare_re.finditer(view.text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            out.append(self._mention(view, m.group(0), m.start(), m.end(), places))
        return sorted(out, key=lambda x: x.span)

    def _mention(self, view: View, title: str, a: int, b: int, places, marked: bool = False) -> LawMention:
        key, kind, canon = self.resolve(title, places)
        art = ARTICLE.match(view.text[b:b + 20])
        written = view.written(a + 1, b - 1) if marked else view.written(a, b)
        mention = LawMention(written, view.span(a, b), key, kind, canonical=canon)
        if art:
            mention.article = art.group(0).strip()
            mention.span = view.span(a, b + art.end())
        return mention


@functools.lru_cache(maxsize=4)
def law_matcher(vocab: Vocabulary) -> LawMatcher:
    return LawMatcher(vocab)
