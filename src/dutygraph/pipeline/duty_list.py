"""Unit-and-duties lists: ``名称  职责``, ``名称：职责`` and ``（一）名称。职责`` layouts, in prose or
broken by a PDF.

A list starts at the first line that opens with a unit name (after the item's number, if any) and a
colon, a wide gap or a full stop, and runs to the next heading; a name the vocabularies do not know
counts only before a colon (so that 提高站位。 stays a heading). A paragraph inside it that names no
unit is a duty that lost its holder: it stays, without one, and ``gaps`` reports it.
"""
from __future__ import annotations

import re

from ..records import Extraction, UnitRef
from ..text import View
from .. import layout
from .matchers import Context
from .statements import clauses, make, role_of

GAP = re.compile(r"^(?::|。|\s{2,}|\t|\s(?=[\u4e00-\u9fff]))")


def unit_head(ctx: Context, line: View) -> tuple[UnitRef, int] | None:
    """The unit a line opens with (after its item number) and where its duties start, or None."""
    marker = layout.MARKER.match(line.text)
    skip = marker.end() if marker else 0
    head = _head(ctx, line[skip:])
    return None if head is None else (head[0], skip + head[1])


def _head(ctx: Context, view: View) -> tuple[UnitRef, int] | None:
    compact = view.without(" \t")
    hit = ctx.units.at_start(compact.text)
    ref = None
    if hit is not None:
        end_in_view = view.index.index(compact.index[hit.end - 1]) + 1
        ref = ctx.units.ref(compact, hit, ctx.resolve)
    else:
        colon = view.text.find(":")
        if 0 < colon <= 18:
            ref = ctx.units.unknown(view[:colon].strip(), ctx.resolve)
            end_in_view = colon
    if ref is None:
        return None
    rest = view.text[end_in_view:]
    gap = GAP.match(rest)
    if not gap:
        return None
    if gap.group(0).strip() != ":" and len(rest.strip()) < 6:
        return None
    return ref, end_in_view + len(gap.group(0))


def parse(ctx: Context, lines: list[layout.Line], out: Extraction, body: str | None) -> None:
    # first source offset of a line -> the unit it opens with and where its duties start
    heads = {line.view.index[0]: h for line in lines if (h := unit_head(ctx, line.view))}

    def new_item(v: View) -> bool:
        return v.index[0] in heads or layout.starts_item(v)

    if not heads:
        _prose(ctx, lines, out, body)
        return

    inside = False
    for para in layout.paragraphs(lines, new_item):
        head = heads.get(para.index[0])
        if head is not None:
            inside = True
            ref, at = head
            if body:
                out.member_units.append((body, ref))
            for c in clauses(para[at:]):
                out.statements.append(make(ctx, c, "duty-list", [(ref, role_of(ctx, c.text))], para))
        elif inside and (layout.is_heading(para) or para.text.startswith("附件")):
            inside = False
        elif inside:
            for c in clauses(para):
                out.statements.append(make(ctx, c, "duty-list", [], para))



def _prose(ctx: Context, lines: list[layout.Line], out: Extraction, body: str | None) -> None:
    """Duties written as prose (省教育厅负责……；省卫生健康委负责……): each clause's subject holds it."""
    from . import speech

    before = len(out.statements)
    speech.parse(ctx, lines, out, body)
    for st in out.statements[before:]:
        st.genre = "duty-list"
        if body:
            out.member_units.extend((body, ref) for ref, _role in st.holders if not ref.collective)
