"""Linking: one resource per unit within a jurisdiction however it is written, one per collective,
committee and person, and one per legal instrument across all documents.

A unit's identity is its jurisdiction and the vocabulary concept its name matched (人社局 and
人力资源和社会保障局 are both ``human-resources``); narrower concepts keep distinct units of one type
apart (刑警大队 from 治安分局). A name no vocabulary knows is its own unit, with no type.
"""
from __future__ import annotations

import functools
import re

from rdflib import URIRef

from .jurisdictions import Jurisdiction
from .namespaces import ID, digest, slug
from .records import UnitRef

SPACE = re.compile(r"\s+")


def unit_key(ref: UnitRef) -> str:
    if ref.collective:
        return f"group:{ref.collective}"
    if ref.code:
        return ref.code
    return "x-" + digest(SPACE.sub("", ref.name))


def unit_iri(ref: UnitRef) -> URIRef:
    if ref.collective:
        return ID[f"group/{slug(ref.jurisdiction.key)}/{ref.collective}"]
    return ID[f"agency/{slug(ref.jurisdiction.key)}/{slug(unit_key(ref))}"]


def body_iri(jurisdiction: Jurisdiction, name: str) -> URIRef:
    return ID[f"body/{slug(jurisdiction.key)}/{digest(SPACE.sub('', name))}"]


def person_iri(jurisdiction: Jurisdiction, body: str, name: str) -> URIRef:
    return ID[f"person/{slug(jurisdiction.key)}/{digest(body, name)}"]


@functools.lru_cache(maxsize=1 << 12)
def law_iri(key: str) -> URIRef:
    return ID[f"law/{slug(key)}"]


def preferred_name(names: set[str]) -> str:
    """The name to show for a unit: the fullest form any document writes."""
    return sorted(names, key=lambda n: (-len(n), n))[0]
