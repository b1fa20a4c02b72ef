"""Numbered task divisions: ``1.任务……（牵头单位：A；责任单位：B、C）`` in full-width or ASCII
punctuation, or with each ``牵头单位：A`` on a line of its own below the task; tasks broken over
lines, group headings (一、……) kept with their tasks.
"""
from __future__ import annotations

import itertools
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
LABELLED = re.compile(r"^(?:主要)?(?:牵头|责任|配合|协办|参与)单位\s*:")
SEPARATORS = re.compile(r"[、,和及]+")


def _units(ctx: Context, view: View) -> list[UnitRef]:
    """Units in a list such as 市财政局、市农林委、各区县妇儿工委; unknown names kept as unknown units."""
    return ctx.unit_list(view, SEPARATORS)


HEADER_CELL = re.compile(r"^(?:序号|编号|(?:重点|主要|工作|目标)?任务(?:内容)?|(?:主要)?(?:牵头|责任|配合|协办|参与)单位|完成时限|时间节点|备注)$")
ROW_NUMBER = re.compile(r"^\d{1,3}\.?$")


def _table(ctx: Context, lines: list[layout.Line], out: Extraction) -> bool:
    """A task table flattened to one cell per line (序号 / 任务 / 牵头单位 / 责任单位, then the rows)."""
    texts = [line.view.text.strip() for line in lines]
    start = next((k for k in range(len(texts)) if HEADER_CELL.match(texts[k]) and "牵头" in "".join(texts[k:k + 6])), None)
    if start is None:
        return False
    k = start
    header = []
    while k < len(lines) and HEADER_CELL.match(texts[k]):
        header.append(texts[k])
        k += 1
    roles = ["lead" if "牵头" in h else "support" for h in header if "单位" in h]
    group = None
    while k < len(lines):
        if not ROW_NUMBER.match(texts[k]):
            g = GROUP.match(texts[k])
            group = g.group("title").strip() if g else group
            k += 1
            continue
        number = int(texts[k].rstrip("."))
        k += 1
        cells = []
        while k < len(lines) and not ROW_NUMBER.match(texts[k]) and not GROUP.match(texts[k]):
            cells.append(lines[k].view)
            k += 1
        if not cells:
            continue
        # the task's words come first; then the unit cells in the header's order
        task = cells[0]
        units = [c for c in cells[1:] if _units(ctx, c)]
        holders = [(ref, roles[i] if i < len(roles) else "support") for i, c in enumerate(units) for ref in _units(ctx, c)]
        out.statements.append(make(ctx, task, "task-division", holders, task, number=number, group=group))
    return True


def _holders(ctx: Context, view: View) -> list[tuple[UnitRef, str]]:
    """The units of each ``牵头单位：A；责任单位：B、C`` part of a view, with their roles."""
    holders = []
    for part in PART.finditer(view.text):
        role = ctx.roles.codes(part.group("label"))
        role = "lead" if "lead" in role else "support"
        for ref in _units(ctx, view[part.start("units"):part.end("units")]):
            holders.append((ref, role))
    return holders


def parse(ctx: Context, lines: list[layout.Line], out: Extraction, body: str | None) -> None:
    if _table(ctx, lines, out):
        return
    group = None
    paras = layout.paragraphs(lines, lambda v: layout.starts_item(v) or bool(LABELLED.match(v.text)))
    for k, para in enumerate(paras):
        g = GROUP.match(para.text)
        if g:
            group = g.group("title").strip()
            continue
        n = NUMBER.match(para.text)
        if not n:
            continue
        paren = PAREN.search(para.text)
        if paren:
            holders = _holders(ctx, para[paren.start("body"):paren.end("body")])
            task, whole = para[n.end():paren.start()].strip(), para
        else:   # the units on lines of their own below the task
            below = list(itertools.takewhile(lambda p: LABELLED.match(p.text), paras[k + 1:]))
            if not below:
                continue
            holders = [h for v in below for h in _holders(ctx, v)]
            task, whole = para[n.end():].strip(), layout.join([para] + below)
        out.statements.append(make(ctx, task, "task-division", holders, whole,
                                   number=int(n.group("n")), group=group))
