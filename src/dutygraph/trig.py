"""Deterministic TriG: the same dataset gives the same bytes (graphs and triples sorted, no blank
nodes, prefixes fixed), so ``build --check`` can compare a fresh build with what is on disk.
"""
from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import NamespaceManager

from .namespaces import PREFIXES


def _manager() -> NamespaceManager:
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for p, ns in PREFIXES.items():
        nm.bind(p, ns, override=True)
    return nm


_CACHE: dict = {}


def _term(t, nm: NamespaceManager, scope: str = "") -> str:
    if isinstance(t, BNode):
        return f"_:{scope}{t}"
    hit = _CACHE.get(t)
    if hit is None:
        hit = _CACHE[t] = _render(t, nm)
        if len(_CACHE) > 500_000:
            _CACHE.clear()
    return hit


def _render(t, nm: NamespaceManager) -> str:
    if isinstance(t, URIRef):
        try:
            prefix, ns, local = nm.compute_qname_strict(str(t), generate=False)
            if local and all(c.isalnum() or c in "-_" for c in local) and not local[0] in "-":
                return f"{prefix}:{local}"
        except (ValueError, KeyError):
            pass
        return t.n3()
    return t.n3()


_NM: list = []


def header() -> str:
    return "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())) + "\n"


def block(name: URIRef, g: Graph) -> str:
    """One named graph, its triples sorted; blank nodes get canonical labels scoped to the graph."""
    if not _NM:
        _NM.append(_manager())
    nm = _NM[0]
    if any(isinstance(t, BNode) for triple in g for t in triple):
        g = to_canonical_graph(g)   # blank nodes (SHACL paths, lists) get stable labels
    scope = "g" + hashlib.sha1(str(name).encode()).hexdigest()[:8] + "_"
    lines = sorted(f"    {_term(s, nm, scope)} {_term(p, nm, scope)} {_term(o, nm, scope)} ." for s, p, o in g)
    return "\n" + f"{_term(name, nm)} {{\n" + "\n".join(lines) + ("\n" if lines else "") + "}\n"


def serialize(graphs: dict[URIRef, Graph]) -> str:
    return header() + "".join(block(name, graphs[name]) for name in sorted(graphs, key=str))
