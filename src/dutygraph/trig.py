"""Deterministic TriG: the same dataset gives the same bytes (graphs and triples sorted, no blank
nodes, prefixes fixed), so ``build --check`` can compare a fresh build with what is on disk.
"""
from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import NamespaceManager

from .namespaces import PREFIXES


def _manager() -> NamespaceManager:
    nm = NamespaceManager(Graph(), bind_namespaces="none")
    for p, ns in PREFIXES.items():
        nm.bind(p, ns, override=True)
    return nm


def _term(t, nm: NamespaceManager, scope: str = "") -> str:
    if isinstance(t, BNode):
        return f"_:{scope}{t}"
    if isinstance(t, URIRef):
        try:
            prefix, ns, local = nm.compute_qname_strict(str(t), generate=False)
            if local and all(c.isalnum() or c in "-_" for c in local) and not local[0] in "-":
                return f"{prefix}:{local}"
        except (ValueError, KeyError):
            pass
        return t.n3()
    return t.n3()


def serialize(graphs: dict[URIRef, Graph]) -> str:
    nm = _manager()
    out = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
    for k, name in enumerate(sorted(graphs, key=str)):
        g = graphs[name]
        if any(isinstance(t, BNode) for triple in g for t in triple):
            g = to_canonical_graph(g)   # blank nodes (SHACL paths, lists) get stable labels
        scope = f"g{k}"
        lines = sorted(f"    {_term(s, nm, scope)} {_term(p, nm, scope)} {_term(o, nm, scope)} ."
                       for s, p, o in g)
        out.append("")
        out.append(f"{_term(name, nm)} {{")
        out.extend(lines)
        out.append("}")
    return "\n".join(out) + "\n"
