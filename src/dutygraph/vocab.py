"""The SKOS vocabularies in ``ontology/``, read once: labels, codes and the lexicons built from them.

Everything the extractor recognises (unit names, theme keywords, target groups, collective holders,
role words, legal instruments) comes from these Turtle files; no lexicon is kept in code.
"""
from __future__ import annotations

import functools
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .errors import DutygraphError
from .namespaces import DG, ELI, ID, VOCAB

PLACE = "{place}"
# what RFC 3987 forbids in an IRI: rdflib reads such IRIs with a warning, and the build's loader
# (lenient, for speed) would store them; the vocabularies are refused when read instead
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')


@dataclass(frozen=True)
class Entry:
    """One recognisable label and what it stands for."""

    label: str
    code: str          # notation of the concept (e.g. human-resources.labour-inspection)
    top: str           # notation of the top concept (the agency type, theme, ...)


@dataclass
class Scheme:
    name: str
    labels: dict[str, dict[str, str]] = field(default_factory=dict)   # code -> {lang: label}
    definitions: dict[str, str] = field(default_factory=dict)
    broader: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)   # every word matched: alternative and hidden labels
    names: dict[str, list[str]] = field(default_factory=dict)   # code -> its alternative labels (zh): what a unit is called
    examples: dict[str, list[str]] = field(default_factory=dict)   # code -> its examples (zh): a theme's duty as worded
    usual_themes: dict[str, list[str]] = field(default_factory=dict)   # code -> theme codes its units usually hold (dg:usualTheme)

    def top(self, code: str) -> str:
        while code in self.broader:
            code = self.broader[code]
        return code

    def check(self, code: str) -> str:
        if code not in self.labels:
            known = ", ".join(sorted(self.labels)[:8])
            raise DutygraphError(f"unknown {self.name} code '{code}' (known codes include: {known}, ...)")
        return code

    def iri(self, code: str) -> URIRef:
        return VOCAB[f"{self.name}/{code}"]


@dataclass(frozen=True)
class Instrument:
    key: str
    title: str
    kind: str
    aliases: tuple[str, ...]
    themes: tuple[str, ...] = ()      # what it governs (eli:is_about)
    audience: tuple[str, ...] = ()    # the groups it protects (dct:audience); empty: everyone


class Vocabulary:
    """All schemes of one ontology directory."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.schemes: dict[str, Scheme] = {}
        self.instruments: dict[str, Instrument] = {}
        self._read_schemes()
        self._read_instruments()

    # ---------------------------------------------------------------- reading
    def _read_schemes(self) -> None:
        g = self.graph
        for scheme_iri in g.subjects(RDF.type, SKOS.ConceptScheme):
            name = str(scheme_iri)[len(str(VOCAB)):]
            if name == "legal-instrument":
                continue
            sch = self.schemes.setdefault(name, Scheme(name))
            for c in g.subjects(SKOS.inScheme, scheme_iri):
                code = str(g.value(c, SKOS.notation))
                for lab in g.objects(c, SKOS.prefLabel):
                    sch.labels.setdefault(code, {})[lab.language or ""] = str(lab)
                d = g.value(c, SKOS.definition)
                if d is not None:
                    sch.definitions[code] = str(d)
                examples = _chinese(g, c, SKOS.example)
                if examples:
                    sch.examples[code] = examples
                usual = sorted(str(g.value(t, SKOS.notation)) for t in g.objects(c, DG.usualTheme))
                if usual:
                    sch.usual_themes[code] = usual
                b = g.value(c, SKOS.broader)
                if b is not None:
                    sch.broader[code] = str(g.value(b, SKOS.notation))
                names = _chinese(g, c, SKOS.altLabel)
                sch.entries += [Entry(w, code, "") for w in names + _chinese(g, c, SKOS.hiddenLabel)]
                if names:
                    sch.names[code] = names
            sch.entries = sorted({Entry(e.label, e.code, sch.top(e.code)) for e in sch.entries},
                                 key=lambda e: (-len(e.label), e.label, e.code))

    def _read_instruments(self) -> None:
        g = self.graph
        for r in g.subjects(RDF.type, ELI.LegalResource):
            key = str(r)[len(str(ID["law/"])):]
            title = next((str(t) for t in g.objects(r, DCTERMS.title) if t.language == "zh"), key)
            kind_iri = g.value(r, ELI.type_document)
            kind = str(kind_iri).rsplit("/", 1)[-1] if kind_iri else "policy-document"
            aliases = {title} | {str(a) for a in g.objects(r, SKOS.altLabel)}
            themes = tuple(sorted(str(t).rsplit("/", 1)[-1] for t in g.objects(r, ELI.is_about)))
            audience = tuple(sorted(str(t).rsplit("/", 1)[-1] for t in g.objects(r, DCTERMS.audience)))
            self.instruments[key] = Instrument(key, title, kind, tuple(sorted(aliases)), themes, audience)

    # ---------------------------------------------------------------- access
    def scheme(self, name: str) -> Scheme:
        return self.schemes[name]

    def label(self, scheme: str, code: str, lang: str = "zh") -> str:
        labels = self.schemes[scheme].labels.get(code, {})
        return labels.get(lang) or labels.get("en") or code


def _chinese(g: Graph, concept, prop) -> list[str]:
    """A concept's Chinese words under one property, sorted (an untagged literal counts as Chinese)."""
    return sorted(str(x) for x in g.objects(concept, prop) if isinstance(x, Literal) and (x.language or "zh") == "zh")


def ontology_dir(workspace: Path) -> Path:
    """The workspace's own ontology/ if it has one, else the project's (beside src/)."""
    own = Path(workspace) / "ontology"
    if own.is_dir():
        return own
    return Path(__file__).resolve().parents[2] / "ontology"


@functools.lru_cache(maxsize=4)
def _load(directory: str, stamp: tuple) -> Vocabulary:
    g = Graph()
    files = sorted(Path(directory).glob("*.ttl"))
    with _quiet("rdflib.term"):   # its warning of a bad IRI: _check_iris says it in one line
        for f in files:
            try:
                g.parse(f, format="turtle")
            except Exception as exc:  # rdflib raises many kinds
                raise DutygraphError(f"{f}: not valid Turtle ({str(exc).splitlines()[0][:160]})") from None
    _check_iris(files, g)
    return Vocabulary(g)


@contextmanager
def _quiet(logger: str):
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _check_iris(files: list[Path], g: Graph) -> None:
    """Every IRI of the vocabularies, and every code (a concept's IRI ends with it), can be an IRI."""
    bad = [(t, "IRI") for t in {*g.subjects(), *g.predicates(), *g.objects()} if isinstance(t, URIRef) and NOT_IN_IRI.search(t)]
    bad += [(c, "code") for c in g.objects(None, SKOS.notation) if NOT_IN_IRI.search(c)]
    if bad:
        term, kind = min(bad, key=lambda b: (b[1], str(b[0])))
        where = next((f for f in files if str(term) in f.read_text(encoding="utf-8")), files[0].parent)
        what = f"<{term}> is not a valid IRI" if kind == "IRI" else f"the code {str(term)!r} cannot end an IRI"
        raise DutygraphError(f"{where}: {what} (an IRI holds no spaces and none of <>\"{{}}|\\^`); fix it")


def load(directory: Path) -> Vocabulary:
    directory = Path(directory)
    if not directory.is_dir():
        raise DutygraphError(f"no ontology directory at {directory}")
    files = sorted(directory.glob("*.ttl"))
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _load(str(directory), stamp)


def alternation(labels, place_names=()) -> str:
    """A regular-expression alternation of labels, longest first, with {place} expanded."""
    places = "|".join(re.escape(p) for p in sorted(set(place_names), key=len, reverse=True))
    parts = []
    for lab in sorted(set(labels), key=lambda s: (-len(s), s)):
        if PLACE in lab:
            if not places:
                continue
            parts.append(re.escape(lab).replace(re.escape(PLACE), f"(?:{places})"))
        else:
            parts.append(re.escape(lab))
    return "|".join(parts) if parts else "(?!)"
