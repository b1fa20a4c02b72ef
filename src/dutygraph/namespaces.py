"""RDF namespaces and the IRIs dutygraph mints: one place, so every module names things alike."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from rdflib import Namespace as _Namespace
from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD


class Namespace(_Namespace):
    """rdflib's Namespace, with each property or class made once: ``DG.span`` builds (and checks) a
    new URIRef at every use in rdflib, which cost a tenth of a national build."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        hit = _TERMS.get((self, name))
        if hit is None:
            hit = _TERMS[(self, name)] = URIRef(str(self) + name)
        return hit


_TERMS: dict = {}

BASE = "https://w3id.org/dutygraph/"
DG = Namespace(BASE + "ontology#")
ID = _Namespace(BASE + "id/")      # one IRI per resource: nothing to reuse
VOCAB = Namespace(BASE + "vocab/")
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "dg": DG, "id": ID, "vocab": VOCAB, "org": ORG, "cv": CV, "eli": ELI, "oa": OA,
    "schema": SCHEMA, "skos": SKOS, "dct": DCTERMS, "prov": PROV, "foaf": FOAF, "rdf": RDF,
    "rdfs": RDFS, "owl": OWL, "xsd": XSD, "sh": SH,
}

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def slug(text: str) -> str:
    """A path segment safe in any IRI: ASCII kept, anything else percent-encoded."""
    return quote(text, safe="") if _SAFE.search(text) else text


def digest(*parts: str, n: int = 12) -> str:
    """A short stable hash for resources that have no natural key (people, unregistered laws)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:n]


def concept(scheme: str, code: str):
    return VOCAB[f"{scheme}/{code}"]


def graph_iri(name: str):
    return ID[f"graph/{slug(name)}"]
