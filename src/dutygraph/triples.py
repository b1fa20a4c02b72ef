"""A document's triples as the build makes them: added once, then read a few times by predicate.

rdflib's graph keeps three indexes up to date at every ``add``; a document's graph is only
written, turned into TriG lines and SHACL input, and asked a handful of questions by predicate, so
a set with an index by predicate made on the first question does the same work in a fraction of
the time (the writer was the largest cost of a national build). The reading methods are rdflib's,
for patterns with a predicate.
"""
from __future__ import annotations

from collections.abc import Iterator


class Triples:
    """A set of (subject, predicate, object) rdflib terms with rdflib's reading methods."""

    def __init__(self):
        self._set: set[tuple] = set()
        self._by_p: dict | None = None

    def add(self, triple: tuple) -> None:
        if triple not in self._set:
            self._set.add(triple)
            self._by_p = None

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._set)

    def __len__(self) -> int:
        return len(self._set)

    def __contains__(self, triple: tuple) -> bool:
        return triple in self._set

    def _index(self) -> dict:
        if self._by_p is None:
            by_p: dict = {}
            for s, p, o in self._set:
                by_p.setdefault(p, []).append((s, o))
            self._by_p = by_p
        return self._by_p

    def subject_objects(self, predicate) -> Iterator[tuple]:
        return iter(self._index().get(_needed(predicate), ()))

    def objects(self, subject=None, predicate=None) -> Iterator:
        pairs = self._index().get(_needed(predicate), ())
        if subject is None:
            return (o for _s, o in pairs)
        wanted = {subject}   # a set compares by identity and hash first: rdflib's == is Python
        return (o for s, o in pairs if s in wanted)

    def subjects(self, predicate=None, object=None) -> Iterator:
        pairs = self._index().get(_needed(predicate), ())
        if object is None:
            return (s for s, _o in pairs)
        wanted = {object}
        return (s for s, o in pairs if o in wanted)


def _needed(predicate):
    if predicate is None:
        raise TypeError("Triples answers patterns with a predicate only")
    return predicate
