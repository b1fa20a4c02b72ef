"""Answers kept for the graph they came from. A national listing takes the embedded store seconds
(tens of seconds for the country's every duty) however it is written: each row costs the store
lookups and decoding. So the rows of a query that took a while are kept in ``graph/answers/``, under
the digest of the TriG the store was loaded from, and asking the same query again — in this process
or the next command — reads them back instead. A build that changes the graph changes the digest, so
an answer is never read for a graph other than its own, and build removes the answers of others.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import sys
from pathlib import Path

from . import __version__

ANSWERS_DIR = "answers"
KEEP_AFTER_S = 1.0          # an answer that took less is asked again as quickly as it is read back
MAX_BYTES = 2 << 30         # the least recently read go beyond this (`prepare` keeps 820 MiB at 3,200 jurisdictions)
FORMAT = "dutygraph-answer-1"


def enabled() -> bool:
    """Kept answers are on unless ``DUTYGRAPH_CACHE`` says 0, off, no or false."""
    return os.environ.get("DUTYGRAPH_CACHE", "1").strip().lower() not in ("0", "off", "no", "false")


class Answers:
    """The kept answers of one graph: rows by query text, each in a file of its own (``marshal``:
    plain values only, read back several times quicker than the store's TSV is parsed)."""

    def __init__(self, graph_dir: Path, digest: str):
        self.dir = graph_dir / ANSWERS_DIR / digest[:32]
        self.keep_after = KEEP_AFTER_S   # `prepare` keeps every answer it asks for: 0

    def path(self, query: str) -> Path:
        key = "\0".join((FORMAT, __version__, str(marshal.version), sys.version.split()[0], query))
        return self.dir / f"{hashlib.sha256(key.encode()).hexdigest()}.marshal"

    def get(self, query: str) -> list[dict] | None:
        """The rows kept for this query, or None (not kept, or a file that does not read back)."""
        path = self.path(query)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            tag, names, rows = marshal.loads(data)
            if tag != FORMAT or any(len(r) != len(names) for r in rows):
                raise ValueError("not an answer of this format")
            answer = [dict(zip(names, r)) for r in rows]
        except Exception:   # damaged or foreign: asked of the store again, and kept anew
            path.unlink(missing_ok=True)
            return None
        try:
            os.utime(path)   # read now: the last to be removed
        except OSError:
            pass
        return answer

    def put(self, query: str, rows: list[dict], seconds: float) -> None:
        """Keep an answer that took ``keep_after`` seconds or more; nothing is kept where nothing can
        be written (a workspace read-only to this user answers as before)."""
        if seconds < self.keep_after:
            return
        from .build import write_atomic

        names = list(rows[0]) if rows else []
        data = marshal.dumps((FORMAT, names, [tuple(r.values()) for r in rows]))
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path(query), data)
            _cap(self.dir)
        except OSError:
            return


def prune(graph_dir: Path, digest: str) -> None:
    """Remove the answers kept for every other graph than the one of this digest (build calls this
    once it has written the graph: a reader of the graph before may still keep an answer for it,
    which the next build removes)."""
    root = graph_dir / ANSWERS_DIR
    if not root.is_dir():
        return
    for d in root.iterdir():
        if d.name != digest[:32]:
            shutil.rmtree(d, ignore_errors=True) if d.is_dir() else d.unlink(missing_ok=True)


def _cap(answers_dir: Path, max_bytes: int = MAX_BYTES) -> None:
    """Remove the least recently read answers beyond ``max_bytes``."""
    total = 0
    for _read, size, f in sorted((_stat(f) for f in answers_dir.glob("*.marshal")), reverse=True):
        total += size
        if total > max_bytes:
            f.unlink(missing_ok=True)


def _stat(f: Path) -> tuple[int, int, Path]:
    """When a kept answer was last read, and its size (a file another process removed: none)."""
    try:
        st = f.stat()
    except OSError:
        return 0, 0, f
    return st.st_mtime_ns, st.st_size, f
