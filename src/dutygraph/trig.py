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
    scope = "g" + hashlib.sha1(str(name).encode()).hexdigest()[:8] + "_"
    term, lines = _term, []
    for s, p, o in g:
        if type(s) is BNode or type(o) is BNode:   # SHACL paths, lists: stable labels first
            g = to_canonical_graph(g)
            lines = [f"    {term(s, scope)} {term(p, scope)} {term(o, scope)} ." for s, p, o in g]
            break
        lines.append(f"    {term(s)} {term(p)} {term(o)} .")
    lines.sort()
    return "\n" + f"{_term(name)} {{\n" + "\n".join(lines) + ("\n" if lines else "") + "}\n"


def serialize(graphs: dict[URIRef, Graph]) -> str:
    return header() + "".join(block(name, graphs[name]) for name in sorted(graphs, key=str))
