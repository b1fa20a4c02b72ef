"""Numbered task divisions: ``1.任务……（牵头单位：A；责任单位：B、C）`` in full-width or ASCII
punctuation, tasks broken over lines, group headings (一、……) kept with their tasks.
"""
from __future__ import annotations

import re

from ..records import Extraction, UnitRef
from ..text import View
from .. import layout
from .matchers import Context
from .statements import make

NUMBER = re.compile(r"^(?P<n>\d{1,3})\s*[.、]\s*(?!\d)")
GROUP = re.compile(r"^(?:[一二三四五六七八九十]+)、\s*(?P<title>.+)$")
PAREN = re.compile(r"\((?P<body>[^()]*?(?:牵头|责任|配合|协办|参与)单位[^()]*)\)\s*[。.]?\s*$")
PART = re.compile(r"(?P<label>[^:;]*?单位)\s*:\s*(?P<units>[^;]*)")
SEPARATORS = re.compile(r"[、,和及]+")


def _units(ctx: Context, view: View) -> list[UnitRef]:
    """Units in a list such as 市财政局、市农林委、各区县妇儿工委; unknown names kept as unknown units."""
    refs = []
    pos = 0
    for m in list(SEPARATORS.finditer(view.text)) + [None]:
        end = m.start() if m else len(view.text)
        piece = view[pos:end].strip()
        pos = m.end() if m else end
        if not piece.text:
            continue
        compact = piece.without(" ")
        hit = ctx.units.at_start(compact.text)
        if hit is not None and hit.end >= len(compact.text) - 1:
            refs.append(ctx.units.ref(compact, hit, ctx.resolve))
        else:
            unk = ctx.units.unknown(compact, ctx.resolve)
            if unk:
                refs.append(unk)
    return refs


def parse(ctx: Context, lines: list[layout.Line], out: Extraction, body: str | None) -> None:
    group = None
    for para in layout.paragraphs(lines):
        g = GROUP.match(para.text)
        if g:
            group = g.group("title").strip()
            continue
        n = NUMBER.match(para.text)
        paren = PAREN.search(para.text)
        if not n or not paren:
            continue
        holders = []
        inner = para[paren.start("body"):paren.end("body")]
        for part in PART.finditer(inner.text):
            role = ctx.roles.codes(part.group("label"))
            role = "lead" if "lead" in role else "support"
            for ref in _units(ctx, inner[part.start("units"):part.end("units")]):
                holders.append((ref, role))
        task = para[n.end():paren.start()].strip()
        out.statements.append(make(ctx, task, "task-division", holders, para,
                                   number=int(n.group("n")), group=group))
