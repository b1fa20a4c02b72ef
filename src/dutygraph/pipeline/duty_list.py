"""Unit-and-duties lists: ``名称  职责``, ``名称：职责`` and ``（一）名称。职责`` layouts, a unit's name
on a line of its own above its duties (``（一）市民政局`` then ``1.……`` ``2.……``), in prose or broken
by a PDF.

A list starts at the first line that opens with a unit name (after the item's number, if any) and a
colon, a wide gap or a full stop, or that is a unit's name alone, and runs to the next heading; a
name the vocabularies do not know counts only before a colon (so that 提高站位。 stays a heading).
The paragraphs below a name alone are that unit's duties, up to the next unit or heading. A
paragraph below a unit's line of duties that names no unit is a duty that lost its holder: it
stays, without one, and ``gaps`` reports it.
"""
from __future__ import annotations

import re

from ..records import Extraction, UnitRef
from ..text import View
from .. import layout
from .matchers import Context
from .statements import clauses, make, role_of

GAP = re.compile(r"^(?::|。|\s{2,}|\t|\s(?=[\u4e00-\u9fff]))")
# what may follow a unit's name on a line of its own: 职责, 主要职责, 工作职责 and a colon
ALONE = re.compile(r"^(?:(?:主要|工作)?职责(?:分工)?)?:?$")


def unit_head(ctx: Context, line: View) -> tuple[UnitRef, int] | None:
    """The unit a line opens with (after its item number) and where its duties start, or None."""
    marker = layout.MARKER.match(line.text)
    skip = marker.end() if marker else 0
    head = _head(ctx, line[skip:])
    return None if head is None else (head[0], skip + head[1])


def unit_alone(ctx: Context, line: View) -> UnitRef | None:
    """The unit a line names and nothing else, after its item number (（二）市民政局, 市教育局职责：),
    else None; a name the vocabularies do not know only before a colon (市慈善总会：)."""
    marker = layout.MARKER.match(line.text)
    compact = line[marker.end() if marker else 0:].without(" \t")
    hit = ctx.units.at_start(compact.text)
    if hit is not None:
        return ctx.units.ref(compact, hit, ctx.resolve) if ALONE.match(compact.text[hit.end:]) else None
    if compact.text.endswith(":") and ":" not in compact.text[:-1]:
        return ctx.units.unknown(compact[:-1], ctx.resolve)
    return None


def _heads_a_list(line: View, nxt: layout.Line | None) -> bool:
    """Whether a line, if it names a unit alone, stands above that unit's duties: it is an item of a
    list itself (（二）市民政局), it ends with a colon, or the line below it is numbered (1.……). A
    notice's issuer above its title (市人民政府办公室) or a signature above its date is none."""
    return bool(layout.MARKER.match(line.text) or line.text.rstrip().endswith(":")
                or (nxt is not None and layout.MARKER.match(nxt.view.text)))


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
    # first source offset of a line -> the unit it names alone, or the unit it opens with and where its duties start
    alone = {line.view.index[0]: ref for line, nxt in zip(lines, [*lines[1:], None])
             if _heads_a_list(line.view, nxt) and (ref := unit_alone(ctx, line.view))}
    heads = {line.view.index[0]: h for line in lines
             if line.view.index[0] not in alone and (h := unit_head(ctx, line.view))}

    def new_item(v: View) -> bool:
        return v.index[0] in heads or v.index[0] in alone or layout.starts_item(v)

    if not heads and not alone:
        _prose(ctx, lines, out, body)
        return

    inside, owner = False, None   # owner: the unit named alone above, which holds the paragraphs below it
    for para in layout.paragraphs(lines, new_item):
        head = heads.get(para.index[0])
        if para.index[0] in alone:
            inside, owner = True, alone[para.index[0]]
            if body:
                out.member_units.append((body, owner))
        elif head is not None:
            inside, owner = True, None
            ref, at = head
            if body:
                out.member_units.append((body, ref))
            for c in clauses(para[at:]):
                out.statements.append(make(ctx, c, "duty-list", [(ref, role_of(ctx, c.text))], para))
        elif inside and (layout.is_heading(para) or para.text.startswith("附件")):
            inside, owner = False, None
        elif inside:   # the owner's duty, its item number left out, or a duty that lost its unit
            marker = layout.MARKER.match(para.text) if owner else None
            for c in clauses(para[marker.end() if marker else 0:]):
                out.statements.append(make(ctx, c, "duty-list", [(owner, role_of(ctx, c.text))] if owner else [], para))


def _prose(ctx: Context, lines: list[layout.Line], out: Extraction, body: str | None) -> None:
    """Duties written as prose (省教育厅负责……；省卫生健康委负责……): each clause's subject holds it."""
    from . import speech

    before = len(out.statements)
    speech.parse(ctx, lines, out, body)
    for st in out.statements[before:]:
        st.genre = "duty-list"
        if body:
            out.member_units.extend((body, ref) for ref, _role in st.holders if not ref.collective)
