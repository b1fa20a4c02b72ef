"""Lines and paragraphs of a region of text, repaired the way PDF and web extraction break them.

Page numbers standing alone and a web page's links to its pages are dropped, lines that a PDF
wrapped at a fixed width are joined, and a line that stops mid-sentence runs on into the next unless
the next starts a new item. Every piece stays a ``View`` so that offsets still point into the source.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from .text import View, display_width

PAGE_NUMBER = re.compile(r"^[-—–－]\s*\d{1,4}\s*[-—–－]$|^第\s*\d+\s*页$|^\d+\s*/\s*\d+$")
# a web page's navigation: 共2页，当前第1页12 · 共3页: 上一页 1 2 3 下一页 · 首页 上一页 1 2 下一页 尾页
# (each run of separators and each number can be matched one way only: linear on any line)
PAGE_LINKS = re.compile(r"^(?:共\s*\d+\s*页(?:[,，:：\s]*当前第\s*\d+\s*页)?|(?=.*(?:[上下]一页|首页|尾页|末页)))"
                        r"[,，:：\s]*(?:(?:首页|[上下]一页|尾页|末页|\d{1,3}(?!\d))[,，\s]*)*$")
BARE_NUMBER = re.compile(r"^\d{1,4}$")
HEADING = re.compile(r"^(?:#{1,6}\s|[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+[章节部分])")
SUBHEADING = re.compile(r"^\(\s*[一二三四五六七八九十]+\s*\)")
ITEM = re.compile(r"^(?:\d{1,3}\s*[.、]\s*(?!\d)|\(\s*[一二三四五六七八九十\d]+\s*\)|[一二三四五六七八九十]+[是要]|附件|同志们)")
# the number a list item opens with: 1. 1、 (一) (1) 一、 ①
MARKER = re.compile(r"^(?:\d{1,3}\s*[.、](?!\d)|\(\s*[一二三四五六七八九十\d]+\s*\)|[一二三四五六七八九十]+、|[\u2460-\u2473])\s*")
TERMINAL = "。!?！？:：;；”\"」』"
PUNCT = re.compile(r"[,，。;；:：、!?！？]")


@dataclass(frozen=True)
class Line:
    view: View
    full: bool = False   # filled to the wrap width of a hard-wrapped text


def is_heading(v: View) -> bool:
    t = v.text
    if HEADING.match(t):
        return True
    return bool(SUBHEADING.match(t)) and len(t) <= 24 and not any(c in t for c in "。;,")


def starts_item(v: View) -> bool:
    return bool(ITEM.match(v.text)) or is_heading(v)


def wrap_width(widths: list[int], ends: list[bool]) -> int | None:
    """The fixed width a PDF wrapped its lines at, or None if the text is not hard-wrapped. ``ends``
    says which lines end a sentence: a wrap cuts lines wherever the width runs out (7% of the lines at
    the Hulin PDF's width end one), so lines of about one length that mostly end a sentence are
    paragraphs that happen to be as long, not a wrap."""
    long = [(w, e) for w, e in zip(widths, ends) if w >= 30]
    if len(long) < 6:
        return None
    mode, _ = Counter(w // 2 * 2 for w, _e in long).most_common(1)[0]
    near = [e for w, e in long if mode - 6 <= w <= mode + 4]
    if mode > 100 or len(near) < 0.4 * len(long) or sum(near) >= 0.5 * len(near):
        return None
    return mode


def lines(source: str, start: int, end: int) -> list[Line]:
    raw = []
    pos = start
    pieces = source[start:end].split("\n")
    for k, piece in enumerate(pieces):
        v = View.of(source, pos, pos + len(piece)).strip()
        pos += len(piece) + 1
        if not v.text or PAGE_NUMBER.match(v.text) or PAGE_LINKS.match(v.text):
            continue
        # a bare number is a page number when blank lines surround it (not a row number of a table)
        if BARE_NUMBER.match(v.text) and (k == 0 or not pieces[k - 1].strip()) and (k + 1 >= len(pieces) or not pieces[k + 1].strip()):
            continue
        raw.append(v)
    width = wrap_width([display_width(v.text) for v in raw], [v.text[-1] in TERMINAL for v in raw])
    if width is None:
        return [Line(v) for v in raw]
    return [Line(v, display_width(v.text) >= width - 6) for v in raw]


def paragraphs(lines_: list[Line], new_item: Callable[[View], bool] = starts_item) -> list[View]:
    """Join lines into paragraphs; ``new_item`` says which lines must start one."""
    groups: list[list[View]] = []
    prev: Line | None = None
    wrapped = any(line.full for line in lines_)
    for line in lines_:
        if prev is not None and _joins(prev, line, new_item, wrapped):
            groups[-1].append(line.view)
        else:
            groups.append([line.view])
        prev = line
    return [g[0] if len(g) == 1 else join(g) for g in groups]


def join(views: list[View]) -> View:
    """Views one after another, built once (joining pairwise would copy quadratically)."""
    return View("".join(v.text for v in views), tuple(i for v in views for i in v.index), views[0].source)


def _joins(prev: Line, nxt: Line, new_item, wrapped: bool) -> bool:
    if new_item(nxt.view) or is_heading(nxt.view) or is_heading(prev.view):
        return False
    if prev.full:
        return True
    if wrapped:
        return False
    t = prev.view.text
    if not PUNCT.search(t) and PUNCT.search(nxt.view.text):
        return False   # a title (no punctuation at all) does not run on into the text below it
    return t[-1] not in TERMINAL and len(t) >= 6
