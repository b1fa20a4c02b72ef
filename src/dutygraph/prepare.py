"""The country's listings asked once after a build, so that the first researcher to ask one reads
its kept answer.

A national listing takes the embedded store seconds — about a minute for one target group's duties
with their bases at 3,200 jurisdictions — since each row costs the store its lookups (README, *Why
the national listings stay over 2 s*). Once asked, an answer that took a second or more is kept for
the graph (answers.py) and read back in well under a second. ``prepare`` does that first asking for
everyone, as QLever's warm-up pins the results of the queries its users ask most: every library
query over the whole graph, as it is and once for each value of each parameter drawn from a
vocabulary or a fixed list (a theme, a target group, an agency type, a severity), then the `duties`
listing for each of those values, which also asks for the bases of the duties it found. It keeps
every answer it asks for, the quick ones too: a command such as `gaps` reads several listings, and
one of them left to the store can cost it seconds on a cold store. Questions about one place are
left to be asked: each takes the store well under a second.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from . import answers
from .errors import DutygraphError
from .output import Progress

# the filters of the `duties` listing (Workspace.duties): each keyword, and the kind of its values
DUTIES_FILTERS = {"theme": "theme", "target_group": "target-group", "agency_type": "agency-type"}


@dataclass
class Ask:
    """One listing to ask: the command line a researcher would type for it, and how to ask it."""
    command: str
    query: str | None           # a library query's name, or None for the `duties` listing
    params: dict[str, list[str]]


def values_of(ws, kind: str) -> list[str]:
    """The values a parameter of this kind can take, where they are a closed list: a vocabulary's
    codes (from ``ontology/``), or SHACL's severities; none for places, IRIs and free text."""
    from .api import SCHEME_OF_KIND, SEVERITIES

    if kind in SCHEME_OF_KIND:
        return sorted(ws.vocab.scheme(SCHEME_OF_KIND[kind]).labels)
    if kind == "severity":
        return list(SEVERITIES)
    return []


def asks(ws) -> list[Ask]:
    """What ``prepare`` asks, in order: each library query over the country, then the `duties`
    listing for each value of each of its filters (the `duties` query itself is then read back)."""
    out = []
    for name, q in sorted(ws.library.items()):
        out.append(Ask(f"query {name}", name, {}))
        for param, p in q.params.items():
            out += [Ask(f"query {name} --param {param}={v}", name, {param: [v]}) for v in values_of(ws, p.kind)]
    for param, kind in DUTIES_FILTERS.items():
        option = "--" + param.replace("_", "-")
        out += [Ask(f"duties {option} {v}", None, {param: [v]}) for v in values_of(ws, kind)]
    return out


def prepare(ws) -> list[dict]:
    """Ask each of ``asks(ws)`` on the embedded store, keeping every answer; one row per listing:
    the command, its rows, the seconds it took, and how many answers it kept."""
    if ws.endpoint:
        raise DutygraphError("prepare keeps the answers of the graph built here; an endpoint's are not kept "
                             "(leave out --endpoint)")
    kept = _writable_answers(ws)
    todo = asks(ws)
    progress = Progress(len(todo), "listings", least=1)
    rows, count = [], _kept_in(kept.dir)[0]
    keep_after, kept.keep_after = kept.keep_after, 0.0   # quick answers too: a command reading only kept ones never waits on the store
    try:
        for ask in todo:
            started = time.perf_counter()
            found = ws.run(ask.query, **ask.params) if ask.query else ws.duties(**ask.params)
            seconds, before, count = time.perf_counter() - started, count, _kept_in(kept.dir)[0]
            rows.append({"command": f"dutygraph {ask.command}", "rows": len(found),
                         "seconds": round(seconds, 3), "kept": count - before})
            progress.step()
    finally:
        kept.keep_after = keep_after
    return rows


def _writable_answers(ws) -> answers.Answers:
    """This graph's kept answers, their directory made if need be: an error if none can be kept."""
    if not answers.enabled() or not ws.cache:
        raise DutygraphError("answers are not kept (DUTYGRAPH_CACHE=0, or Workspace(cache=False)): there is nothing to prepare")
    kept = ws.store.answers
    if kept is None:
        raise DutygraphError("the graph changed while it was opened (a build?): run 'dutygraph prepare' again when it is done")
    try:
        kept.dir.mkdir(parents=True, exist_ok=True)
        probe = kept.dir / f".probe.{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DutygraphError(f"answers cannot be kept in {kept.dir} ({exc.strerror or exc}): "
                             "prepare where graph/ can be written") from None
    return kept


def kept(ws) -> tuple[int, int]:
    """How many answers are kept for the workspace's graph, and their bytes."""
    return _kept_in(ws.store.answers.dir) if ws.store.answers else (0, 0)


def _kept_in(kept_dir: Path) -> tuple[int, int]:
    sizes = [f.stat().st_size for f in kept_dir.glob("*.marshal")]
    return len(sizes), sum(sizes)
