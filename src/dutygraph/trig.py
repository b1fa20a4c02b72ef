"""Deterministic TriG: the same dataset gives the same bytes (graphs and triples sorted, no blank
nodes, prefixes fixed), so ``build --check`` can compare a fresh build with what is on disk.
"""
from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from .namespaces import PREFIXES


# longest namespace first, so a term takes the most specific prefix
_NAMESPACES = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
_CACHE: dict = {}


def _term(t, scope: str = "") -> str:
    hit = _CACHE.get(t)   # never a blank node: terms of different kinds are never equal
    if hit is not None:
        return hit
    if isinstance(t, BNode):
        return f"_:{scope}{t}"
    if len(_CACHE) > 500_000:
        _CACHE.clear()
    hit = _CACHE[t] = _render(t)
    return hit


def _render(t) -> str:
    """A prefixed name when a known namespace leaves a plain local name, else the full form."""
    if isinstance(t, URIRef):
        s = str(t)
        for ns, prefix in _NAMESPACES:
            if s.startswith(ns):
                local = s[len(ns):]
                if local and local[0] != "-" and all(c.isalnum() or c in "-_" for c in local):
                    return f"{prefix}:{local}"
                break
    if isinstance(t, Literal):
        return _literal(t)
    return t.n3()


def _literal(t: Literal) -> str:
    """A literal on one line (newlines escaped, never a triple-quoted string), so that every line
    of the TriG is one triple or a graph's brace and the file can be cut between graphs as text."""
    n3 = t.n3()
    if not n3.startswith('"""'):
        return n3
    body = str(t).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    suffix = f"@{t.language}" if t.language else (f"^^<{t.datatype}>" if t.datatype else "")
    return f'"{body}"{suffix}'


def header() -> str:
    return "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())) + "\n"


def block(name: URIRef, g: Graph) -> str:
    """One named graph, its triples sorted; blank nodes get canonical labels scoped to the graph."""
    return wrap(name, lines(g, name))


def lines(g: Graph, name: URIRef | None = None) -> list[str]:
    """The graph's triples, one sorted line each: a graph block's body and valid Turtle under
    :func:`header` (the build checks a document with the lines it writes)."""
    scope = "g" + hashlib.sha1(str(name).encode()).hexdigest()[:8] + "_"
    term, hit, out = _term, _CACHE.get, []
    for s, p, o in g:
        if type(s) is BNode or type(o) is BNode:   # SHACL paths, lists: stable labels first
            g = to_canonical_graph(g if isinstance(g, Graph) else _graph(g))
            out = [f"    {term(s, scope)} {term(p, scope)} {term(o, scope)} ." for s, p, o in g]
            break
        out.append(f"    {hit(s) or term(s)} {hit(p) or term(p)} {hit(o) or term(o)} .")
    out.sort()
    return out


def _graph(triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def term(t) -> str:
    """One term (not a blank node) as :func:`lines` writes it."""
    return _term(t)


def line(s, p, o) -> str:
    """One triple without blank nodes, as :func:`lines` writes it."""
    return f"    {_term(s)} {_term(p)} {_term(o)} ."


def subject(line: str) -> str:
    """The subject of a line as :func:`lines` writes it ("    s p o ."; no space in s or p)."""
    return line.split(" ", 5)[4]


def predicate(line: str) -> str:
    """The predicate of a line as :func:`lines` writes it."""
    return line.split(" ", 6)[5]


def wrap(name: URIRef, body: list[str]) -> str:
    return "\n" + f"{_term(name)} {{\n" + "\n".join(body) + ("\n" if body else "") + "}\n"


def serialize(graphs: dict[URIRef, Graph]) -> str:
    return header() + "".join(block(name, graphs[name]) for name in sorted(graphs, key=str))
