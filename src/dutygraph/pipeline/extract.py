"""Run the genre parsers over a document's content regions and gather what they read."""
from __future__ import annotations

import bisect
import difflib
import re

from ..corpus import Document
from ..jurisdictions import Jurisdiction, with_ancestors
from ..records import Extraction, Statement
from ..vocab import Vocabulary
from .. import layout
from . import duty_list, mechanism, roster, speech, task_division
from .laws import law_matcher
from .matchers import Context

PARSERS = {"roster": roster, "duty-list": duty_list, "task-division": task_division,
           "mechanism": mechanism, "speech": speech}
ORDER = ("roster", "mechanism", "duty-list", "task-division", "speech")
NON_WORD = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]")
# the words that make a citation the ground of all a document sets out: 根据《X》, and the purpose
# it opens with, 为(认真)贯彻落实《X》 (a citation in passing, 《X》颁布实施以来, is none)
GROUNDS = re.compile(r"根据|依据|依照|按照|遵照|(?<![作成因认称行])为了?(?:认真|深入|全面|进一步)?(?:贯彻|落实|实施)")   # not 作为实施主体


def context(vocab: Vocabulary, j: Jurisdiction, known: dict[str, Jurisdiction]) -> Context:
    return Context(vocab, j, tuple(with_ancestors(j, known)[1:]))


def extract(doc: Document, vocab: Vocabulary) -> Extraction:
    out = Extraction()
    known = {j.key: j for j in doc.jurisdictions()}
    laws = law_matcher(vocab)
    for region in doc.content_regions():
        ctx = context(vocab, region.jurisdiction, known)
        lines = layout.lines(doc.text, region.start, region.end)
        for genre in ORDER:
            if genre in doc.genres:
                PARSERS[genre].parse(ctx, lines, out, doc.body)
        places = tuple(p for j in (ctx.jurisdiction,) + ctx.ancestors for p in (j.name, j.short))
        for para in layout.paragraphs(lines):
            found = laws.find(para, places, doc.title)
            out.laws.extend(found)
            if GROUNDS.search(para.text):
                out.document_bases.extend(found)
    out.statements.sort(key=lambda s: s.span)
    out.memberships = _named_first(out.memberships)
    _attach_laws(out)
    out.statements = merge_repeats(out.statements)
    return out


def _named_first(memberships):
    """A post assigned in prose (组长由机关党委专职副书记担任) and filled in the roster is one membership."""
    named = {(m.unit.code, m.role) for m in memberships if m.person and m.unit}
    return [m for m in memberships if m.person or not m.unit or (m.unit.code, m.role) not in named]


def _attach_laws(out: Extraction) -> None:
    mentions = sorted(out.laws, key=lambda m: m.span)
    starts = [m.span[0] for m in mentions]
    for st in out.statements:
        k = bisect.bisect_left(starts, st.span[0])
        found = []
        while k < len(mentions) and mentions[k].span[0] < st.span[1]:
            if mentions[k].span[1] <= st.span[1]:
                found.append(mentions[k])
            k += 1
        st.laws = found
    # a law the document cites as its ground (根据……) before any duty is a basis of all its duties
    first = min((st.span[0] for st in out.statements), default=None)
    out.document_bases = [m for m in out.document_bases if m.key and first is not None and m.span[1] <= first
                          and not any(st.span[0] <= m.span[0] < st.span[1] for st in out.statements)]


def _key(st: Statement) -> str:
    return NON_WORD.sub("", st.text)


def merge_repeats(statements: list[Statement]) -> list[Statement]:
    """A passage printed twice (or nearly so) gives one statement with both spans. Candidates are
    those with the same place, holders and genre and the same opening words, so the work stays
    linear in the number of statements. A copy may differ by a tenth (a word added, 切实): from 12
    characters on, where two different duties of one unit differ by more (打击拐卖妇女/儿童犯罪)."""
    kept: list[Statement] = []
    buckets: dict[tuple, list[tuple[str, Statement]]] = {}   # each kept statement with its key, made once
    for st in statements:
        key = _key(st)
        holders = tuple(sorted(u.name for u, _ in st.holders))
        bucket = buckets.setdefault((st.jurisdiction.key, holders, st.genre, key[:6]), [])
        twin = None
        for okey, other in bucket[-50:]:
            if okey == key or (len(key) >= 12 and abs(len(okey) - len(key)) <= 0.15 * len(key)
                               and difflib.SequenceMatcher(None, okey, key, autojunk=False).ratio() >= 0.9):
                twin = other
                break
        if twin is None:
            kept.append(st)
            bucket.append((key, st))
        else:
            twin.repeats.append(st.span)
    return kept
