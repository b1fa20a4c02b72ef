"""Every listing as a table, JSON (one array of objects, UTF-8, not escaped) or CSV; on a terminal,
what a long answer is waited for."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sys
import threading
import time

from .text import WIDE_FROM, display_width

TEXT_WIDTH = 36


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return json.dumps(value, ensure_ascii=False)
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


CJK = "[\u3000-\u9fff\uff00-\uffef]"
SPACE = re.compile(r"\s")
# PDF text breaks lines inside words: in a table, drop a break beside CJK and the spaces between two
# CJK characters, and keep one space between CJK and a Latin word ("旅游岛妇工委 is a member of …")
PDF_BREAK = re.compile(rf"(?<={CJK})\s+(?={CJK})|(?<={CJK})[ \t]*\n\s*|\s*\n[ \t]*(?={CJK})")


def _clip(text: str, width: int) -> str:
    if SPACE.search(text):
        text = " ".join(PDF_BREAK.sub("", text).split())
    if len(text) * 2 <= width or display_width(text) <= width:
        return text
    w = 0
    for k, c in enumerate(text):
        w += 2 if c >= WIDE_FROM else 1
        if w > width - 1:
            return text[:k] + "…"
    return text


def _table_cell(value, key: str) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        if "how" in value[0]:     # legal bases: the law and how it was found
            return _clip("; ".join(f"{v['law']} ({v['how']})" for v in value), 48)
        if "score" in value[0]:   # suggestions: the unit (or type) and its score
            return _clip("; ".join(f"{v.get('agency') or '(' + str(v.get('agency_type')) + ')'} {v['score']}" for v in value), 48)
        if "text" in value[0]:   # mentions, targets: their distinct words, and how many in all
            return _texts_cell(value)
        return f"{len(value)} items"
    text = _cell(value)
    return _clip(text, TEXT_WIDTH if key in ("text", "message", "message_zh", "focus", "duty_texts") else 48)


def _texts_cell(value: list[dict], width: int = 48) -> str:
    """A list of quoted words in one cell: each distinct wording once (a law is cited 《反家暴法》 in
    many places), as many whole as the column holds, and the count when there is more than one — a
    law of the national graph has thousands of mentions, which a table row cannot hold."""
    words = list(dict.fromkeys(_clip(str(v.get("text", "")), 24) for v in value))
    count = f" ({len(value)})" if len(value) > 1 else ""
    room = width - len(count) - 3   # and "; …" when some are left out
    shown, used = [], -2
    for w in words:
        used += display_width(w) + 2
        if used > room:
            break
        shown.append(w)
    return "; ".join(shown) + ("; …" if len(shown) < len(words) else "") + count   # (one always fits: 24 < room)


def table(rows: list[dict], columns: list[str] | None = None) -> str:
    if not rows:
        return "(no rows)\n"
    columns = columns or [k for k in rows[0] if not k.endswith("_iri") and k not in ("duty", "task")
                          and not (k == "subject" and "text" in rows[0]) and not k.endswith(" duties")]
    cells = [[_table_cell(r.get(c), c) for c in columns] for r in rows]
    sized = [[(v, display_width(v)) for v in row] for row in [columns, *cells]]
    widths = [max(row[k][1] for row in sized) for k in range(len(columns))]

    def line(values):
        return "  ".join(v + " " * (w - vw) for (v, vw), w in zip(values, widths)).rstrip()

    out = [line(sized[0]), line([("-" * w, w) for w in widths])]
    out += [line(r) for r in sized[1:]]
    return "\n".join(out) + f"\n({len(rows)} rows)\n"


def to_json(rows: list[dict]) -> str:
    """One array with one object a line, as sqlite-utils prints rows: grep and diff read it row by
    row, and json's C encoder writes it (an indented dump is Python's, several times slower)."""
    return "[" + ",\n ".join(json.dumps(r, ensure_ascii=False) for r in rows) + "]\n"


def to_csv(rows: list[dict], bom: bool = False) -> str:
    buf = io.StringIO()
    if not rows:
        return ""
    columns = list(rows[0])
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return ("\ufeff" if bom else "") + buf.getvalue()


def render(rows: list[dict], fmt: str, columns: list[str] | None = None) -> str:
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        return to_csv(rows)
    return table(rows, columns)


def progress_wanted() -> bool:
    """Whether long work may say how it goes on stderr: not with DUTYGRAPH_PROGRESS=0."""
    return os.environ.get("DUTYGRAPH_PROGRESS", "1") != "0"


class Progress:
    """A progress line with a rate and an estimate for work of many steps (a build's documents,
    the listings ``prepare`` asks), on stderr: redrawn on a terminal, a line every 15 s elsewhere;
    not for fewer than ``least`` steps, nor with DUTYGRAPH_PROGRESS=0."""

    def __init__(self, total: int, noun: str = "documents", least: int = 200):
        self.total, self.noun, self.done, self.start, self.last = total, noun, 0, time.perf_counter(), 0.0
        self.on = total >= least and progress_wanted()
        self.tty = sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if not self.on:
            return
        now = time.perf_counter()
        if now - self.last < (0.5 if self.tty else 15) and self.done < self.total:
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-6)
        eta = (self.total - self.done) / rate if rate else 0
        bar = "#" * int(30 * self.done / self.total)
        line = f"[{bar:<30}] {self.done}/{self.total} {self.noun}  {rate:.1f}/s  eta {int(eta // 60)}:{int(eta % 60):02d}"
        sys.stderr.write(("\r" + line) if self.tty else line + "\n")
        if self.tty and self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


@contextlib.contextmanager
def waiting(what: str, stream=None, after: float = 2.0):
    """On a terminal, once an answer takes more than ``after`` seconds, a line saying what is awaited
    and for how long, each second, cleared when the answer comes: a national listing takes half a
    minute on one machine, which a silent terminal does not say. Not on a pipe or a file, nor with
    DUTYGRAPH_PROGRESS=0, nor when ``what`` is empty."""
    stream = stream or sys.stderr
    if not what or not stream.isatty() or not progress_wanted():
        yield
        return
    done, start, shown = threading.Event(), time.perf_counter(), []

    def tick() -> None:
        while not done.wait(1.0 if shown else after):
            line = f"{what} … {int(time.perf_counter() - start)} s"
            stream.write("\r" + line)
            stream.flush()
            shown.append(display_width(line))

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()
        if shown:
            stream.write("\r" + " " * max(shown) + "\r")
            stream.flush()
