"""Numeric targets in a duty: "到2020年……不少于6万人", "98%以上", "达到100%", "1-2次"."""
from __future__ import annotations

import re

from ..records import Target
from ..text import View

MULT = {"万": 10_000, "千": 1_000, "百": 100, "亿": 100_000_000}
NUMBER = re.compile(
    r"(?P<cmp>不少于|不低于|不超过|低于|至少|达到|达|超过|实现|保持在|在|提高到|降低到)?\s*"
    r"(?P<lo>\d+(?:\.\d+)?)(?:\s*-\s*(?P<hi>\d+(?:\.\d+)?))?\s*(?P<mult>[万千百亿])?\s*"
    r"(?P<unit>%|个百分点|人次|万人|人|次|件|个|所|家|户|名|项|场)"
    r"(?P<tail>以上|以下|左右)?")
YEAR = re.compile(r"(?:到|至|在|于)?\s*(?P<year>(?:19|20)\d{2})\s*年")
PIECE_END = ",;。:"


def _comparison(cmp: str | None, tail: str | None, hi) -> str:
    if hi:
        return "range"
    if cmp in ("不少于", "不低于", "至少", "超过") or tail == "以上":
        return "at-least"
    if cmp in ("不超过", "低于") or tail == "以下":
        return "at-most"
    return "equal"


def find_targets(view: View) -> list[Target]:
    text = view.text
    out = []
    for m in NUMBER.finditer(text):
        if YEAR.match(text, m.start("lo")) and not m.group("unit"):
            continue
        mult = MULT.get(m.group("mult") or "", 1)
        value = float(m.group("lo")) * mult
        hi = float(m.group("hi")) * mult if m.group("hi") else None
        # the target's words: the comma-separated piece holding the number, with a leading 到YYYY年 piece
        a = max(text.rfind(c, 0, m.start()) for c in PIECE_END) + 1
        if a > 0 and YEAR.match(text[max(text.rfind(c, 0, a - 1) for c in PIECE_END) + 1:a].strip()):
            a = max(text.rfind(c, 0, a - 1) for c in PIECE_END) + 1
        b = m.end()
        while a < b and text[a] in " ":
            a += 1
        year = None
        for y in YEAR.finditer(text[a:b]):
            if y.end() + a <= m.start():
                year = int(y.group("year"))
        unit = m.group("unit")
        if m.group("mult") == "万" and unit == "人":
            unit = "人"
        out.append(Target(text[a:b], view.span(a, b), value, unit, year,
                          _comparison(m.group("cmp"), m.group("tail"), m.group("hi")), hi))
    return out
