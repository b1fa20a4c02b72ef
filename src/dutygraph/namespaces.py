"""RDF namespaces and the IRIs dutygraph mints: one place, so every module names things alike."""
from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import quote

from rdflib import Namespace as _Namespace
from rdflib import URIRef
from rdflib import namespace as _std


class Namespace(_Namespace):
    """rdflib's Namespace, with each property or class made once and kept as an attribute of the
    namespace: ``DG.span`` builds (and checks) a new URIRef at every use in rdflib, and even a
    cached lookup at every use cost a twentieth of a national build's writing."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        hit = URIRef(str(self) + name)
        object.__setattr__(self, name, hit)   # read as a plain attribute from now on
        return hit


class Minted(_Namespace):
    """The namespace of the IRIs dutygraph mints, whose paths are made of :func:`slug`'s safe
    segments: rdflib's check of every new IRI (a thousand a document) is skipped."""

    def __getitem__(self, path: str) -> URIRef:
        return str.__new__(URIRef, self + path)


BASE = "https://w3id.org/dutygraph/"
DG = Namespace(BASE + "ontology#")
ID = Minted(BASE + "id/")      # one IRI per resource: nothing to reuse
VOCAB = Namespace(BASE + "vocab/")
ORG = Namespace("http://www.w3.org/ns/org#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
# rdflib's closed namespaces build a term at every attribute read: the same IRIs, each made once
DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD = (Namespace(str(ns)) for ns in (
    _std.DCTERMS, _std.FOAF, _std.OWL, _std.PROV, _std.RDF, _std.RDFS, _std.SKOS, _std.XSD))

PREFIXES = {
    "dg": DG, "id": ID, "vocab": VOCAB, "org": ORG, "cv": CV, "eli": ELI, "oa": OA,
    "schema": SCHEMA, "skos": SKOS, "dct": DCTERMS, "prov": PROV, "foaf": FOAF, "rdf": RDF,
    "rdfs": RDFS, "owl": OWL, "xsd": XSD, "sh": SH, "qb": QB, "sdmx-dimension": SDMX_DIMENSION,
}

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def slug(text: str) -> str:
    """A path segment safe in any IRI: ASCII kept, anything else percent-encoded."""
    return quote(text, safe="") if _SAFE.search(text) else text


def digest(*parts: str, n: int = 12) -> str:
    """A short stable hash for resources that have no natural key (people, unregistered laws)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:n]


@functools.lru_cache(maxsize=1 << 14)
def concept(scheme: str, code: str) -> URIRef:
    """A vocabulary concept's IRI (the same object each time: sets and dicts then find it by identity)."""
    return VOCAB[f"{scheme}/{code}"]


def graph_iri(name: str):
    return ID[f"graph/{slug(name)}"]
