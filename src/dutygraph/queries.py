"""The SPARQL query library in ``queries/``: one ``.rq`` file per question, each opening with a
comment header::

    # title: Duty statements
    # question: Which duties does each unit hold, in what role?
    # param: theme (theme) — a theme code; any when not given
    # list: themes, target_groups

A parameter is a ``VALUES ?name { UNDEF }`` block in the query; binding replaces ``UNDEF`` with
RDF terms (IRIs of known concepts, escaped literals), never with text pasted into the query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from .errors import DutygraphError

HEADER = re.compile(r"^#\s*(?P<key>title|question|param|list|columns)\s*:\s*(?P<value>.*)$")
PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[a-z-]+)\))?\s*(?:=\s*(?P<default>\S+))?\s*(?:[—-]+\s*(?P<doc>.*))?$")
LIST_SEP = "|"
SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


@dataclass
class Param:
    name: str
    kind: str = "string"
    default: str | None = None
    doc: str = ""


@dataclass
class Query:
    name: str
    path: Path
    text: str
    title: str = ""
    question: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    lists: tuple[str, ...] = ()

    def bind(self, values: dict[str, list]) -> str:
        """The query text with each parameter's VALUES block holding the given RDF terms."""
        text = self.text
        for name, terms in values.items():
            if name not in self.params:
                raise DutygraphError(f"query '{self.name}' has no parameter '{name}' (it has: {', '.join(self.params) or 'none'})")
            block = re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}")
            if not block.search(text):
                raise DutygraphError(f"query '{self.name}' declares '{name}' but has no 'VALUES ?{name} {{ UNDEF }}' block")
            rendered = " ".join(term_n3(t) for t in terms) if terms else "UNDEF"
            text = block.sub(lambda _m: f"VALUES ?{name} {{ {rendered} }}", text)
        return text


def term_n3(term) -> str:
    """An RDF term as SPARQL syntax, safe to place in a VALUES block."""
    if isinstance(term, URIRef):
        if not SAFE_IRI.match(str(term)):
            raise DutygraphError(f"not a usable IRI: {str(term)[:80]}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    return Literal(str(term)).n3()


def parse(path: Path) -> Query:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DutygraphError(f"cannot read query {path}: {exc}") from None
    q = Query(name=path.stem, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = HEADER.match(line)
        if not m:
            continue
        key, value = m.group("key"), m.group("value").strip()
        if key == "title":
            q.title = value
        elif key == "question":
            q.question = (q.question + " " + value).strip()
        elif key == "param":
            p = PARAM.match(value)
            if p:
                q.params[p.group("name")] = Param(p.group("name"), p.group("kind") or "string",
                                                  p.group("default"), (p.group("doc") or "").strip())
        elif key in ("list", "columns"):
            q.lists = tuple(c.strip() for c in value.split(",") if c.strip())
    return q


def variables(q: Query) -> tuple[str, ...]:
    """The variables of a query's answer (its SELECT's), read from its algebra."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        return tuple(str(v) for v in prepareQuery(q.text).algebra["PV"])
    except Exception as exc:   # pyparsing's and rdflib's errors alike: the query cannot be read
        raise DutygraphError(f"cannot read query {q.path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None


def library(directory: Path) -> dict[str, Query]:
    if not directory.is_dir():
        raise DutygraphError(f"no query library at {directory}")
    return {p.stem: parse(p) for p in sorted(directory.glob("*.rq"))}


def split_lists(rows: list[dict], lists: tuple[str, ...]) -> list[dict]:
    """GROUP_CONCAT columns back into sorted lists. A national listing repeats its values (the 84,200
    rows of one target group's duties at 3,200 jurisdictions hold 7,632 sets of themes, 151 of target
    groups, 25 of laws), so each is split once and each row given its own copy."""
    split: dict = {}
    for row in rows:
        for col in lists:
            if col in row:
                v = row[col]
                if v not in split:
                    split[v] = sorted({x for x in str(v).split(LIST_SEP) if x}) if v not in (None, "") else []
                row[col] = split[v][:]
    return rows
