"""Speeches and other running prose: a unit is the subject of a sentence ("公安部门要……",
"法院作为国家的审判机关，要……", "妇联的基本职能是……") and its duty may run on into the next sentences
of the paragraph until another subject appears.
"""
from __future__ import annotations

import re

from ..records import Extraction, UnitRef
from ..text import View
from .. import layout
from .matchers import Context
from .statements import clauses, make, role_of

# What follows a subject: a modal verb, 作为 (法院作为……要), 的基本职能, or 在……的同时 (劳动部门在……的同时，加大……)
MODAL = re.compile(r"要|应当|应|须|必须|负责|作为|的基本职能|牵头|在[^,;。]{1,24}的同时")
OPENER = re.compile(r"^(?:[一二三四五六七八九十]+[是要]|同时|此外|另外|特别是|尤其是|因此|总之)?\s*[,:]?\s*")
ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[是要]|总之)")
LISTED_BEFORE = re.compile(r"^[\u4e00-\u9fff、]{1,10}等$")   # 广播、电视等新闻媒体要……
JOINERS = set("、,和及与等也都还 ")


def _hits(ctx: Context, view: View):
    lead = OPENER.match(view.text).end()
    return lead, ctx.units.find(view.text[lead:lead + 40])


def subjects(ctx: Context, view: View) -> list[UnitRef]:
    """The units a clause opens with as its subject, or [] if it has none."""
    lead, hits = _hits(ctx, view)
    if not hits or (hits[0].start != 0 and not LISTED_BEFORE.match(view.text[lead:lead + hits[0].start])):
        return []
    text = view.text[lead:]
    # the first modal verb outside a unit's name (应 of 应急管理局 is none)
    modal = next((m for m in MODAL.finditer(text) if not any(h.start <= m.start() < h.end for h in hits)), None)
    if modal is None or modal.start() > 30:
        return []
    head = [h for h in hits if h.end <= modal.start()]
    if not head:
        return []
    # the head before the modal verb holds only unit names, joiners and a few generic words
    covered = set()
    for h in head:
        covered.update(range(h.start, h.end))
    between = text[:modal.start()]
    rest = "".join(c for k, c in enumerate(between[hits[0].start:]) if k + hits[0].start not in covered and c not in JOINERS)
    if len(rest) > 6 or any(c in between for c in ";。:"):
        return []
    return [ctx.units.ref(view[lead:], h, ctx.resolve) for h in head]


def parse(ctx: Context, lines: list[layout.Line], out: Extraction, body: str | None) -> None:
    for para in layout.paragraphs(lines):
        if layout.is_heading(para):
            continue
        holders: list[UnitRef] = []
        for sentence in clauses(para):
            for piece in _subject_pieces(ctx, sentence):
                found = subjects(ctx, piece)
                if found:
                    holders = found
                else:
                    hits = _hits(ctx, piece)[1]
                    if (hits and hits[0].start == 0) or ENUMERATOR.match(piece.text):
                        holders = []   # another unit, or a new point, without a duty of its own
                if holders and not piece.text.rstrip().endswith(":"):
                    role = role_of(ctx, piece.text[:12])
                    out.statements.append(make(ctx, piece, "speech", [(u, role) for u in holders], para))


def _subject_pieces(ctx: Context, sentence: View) -> list[View]:
    """A sentence cut where a new subject starts after a comma (……法律服务,劳动部门在……)."""
    cuts = [0]
    for m in re.finditer(",", sentence.text):
        if subjects(ctx, sentence[m.end():]):
            cuts.append(m.end())
    cuts.append(len(sentence.text))
    return [sentence[a:b].strip(" ,") for a, b in zip(cuts, cuts[1:]) if sentence.text[a:b].strip(" ,")]
