"""Mechanism texts: each named mechanism (（一）风险隐患排查报告机制 …, on a line of its own or opening its
paragraph: （一）强制报告机制。学校……) becomes a resource with its words and themes; sentences in it
whose subject is a unit or a group become duties of that holder.
"""
from __future__ import annotations

import re

from ..records import Extraction, Mechanism
from .. import layout
from .matchers import Context
from . import speech

NAMED = re.compile(r"^\(\s*[一二三四五六七八九十]+\s*\)\s*(?P<name>[^,;。:]{2,30}?(?:机制|制度))\s*(?:$|[。.:]\s*)")


def parse(ctx: Context, lines: list[layout.Line], out: Extraction, body: str | None) -> None:
    current = None
    for para in layout.paragraphs(lines):
        m = NAMED.match(para.text)
        if m:
            current = Mechanism(m.group("name"), para.span(m.start("name"), m.end("name")), para.span(),
                                ctx.jurisdiction, para.text)
            out.mechanisms.append(current)
            if m.end() < len(para.text):   # its words run on after the name
                _read(ctx, current, para[m.end():], out, body)
            continue
        if layout.is_heading(para):
            current = None
            continue
        if current is not None:
            current.span = (current.span[0], para.span()[1])
            current.text += para.text
            _read(ctx, current, para, out, body)


def _read(ctx: Context, mechanism: Mechanism, para, out: Extraction, body: str | None) -> None:
    """A mechanism's words: their themes, and the duties of the holders its sentences name."""
    mechanism.themes |= ctx.themes.codes(para.text)
    before = len(out.statements)
    speech.parse(ctx, [layout.Line(para)], out, body)
    for st in out.statements[before:]:
        st.genre = "mechanism"
