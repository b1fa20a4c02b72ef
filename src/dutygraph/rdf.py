"""Records to RDF: one named graph per document, plus the shared resources (agencies,
jurisdictions) that several documents speak of. Every fact points to its span with ``dg:span``; a
span is a Web Annotation SpecificResource with a TextPositionSelector and a TextQuoteSelector.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from .corpus import Document
from .jurisdictions import Jurisdiction
from .linking import body_iri, law_iri, person_iri, preferred_name, unit_iri
from .namespaces import CV, DCTERMS, DG, ELI, FOAF, ID, OA, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, concept, slug
from .records import Extraction, LawMention, Membership, Statement, Target, UnitRef
from .triples import Triples
from .vocab import Vocabulary

SPACES = re.compile(r"\s+")
INFERABLE = ("law", "administrative-regulation")   # plans and policy documents are not inferred as bases


@functools.lru_cache(maxsize=1 << 16)
def zh(text: str) -> Literal:
    """A Chinese label (names and labels repeat from document to document: made once each)."""
    return Literal(text, lang="zh")


@functools.lru_cache(maxsize=1 << 16)
def nonneg(n: int) -> Literal:
    """An offset or count (offsets repeat from document to document: made once each)."""
    return Literal(n, datatype=XSD.nonNegativeInteger)


@dataclass
class Shared:
    """What several documents say of the same unit or collective, gathered before it is written."""

    names: dict[URIRef, set[str]] = field(default_factory=dict)
    refs: dict[URIRef, UnitRef] = field(default_factory=dict)
    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)
    inferred: dict[URIRef, tuple[URIRef, tuple[str, ...]]] = field(default_factory=dict)   # basis -> (law, themes)

    def note(self, ref: UnitRef) -> URIRef:
        iri = unit_iri(ref)
        self.names.setdefault(iri, set()).add(ref.name)
        self.refs.setdefault(iri, ref)
        return iri


class DocumentWriter:
    """Writes one document's extraction into its own graph."""

    def __init__(self, doc: Document, vocab: Vocabulary, shared: Shared):
        self.doc, self.vocab, self.shared = doc, vocab, shared
        self.g = Triples()   # written once, read a few times (see triples.py)
        self.iri = ID[f"doc/{slug(doc.id)}"]
        self._agency_first: dict[URIRef, tuple[int, int]] = {}
        self._spans: dict[tuple[int, int], URIRef] = {}

    # ---------------------------------------------------------------- spans
    def span(self, s: tuple[int, int]) -> URIRef:
        hit = self._spans.get(s)
        if hit is not None:
            return hit
        g, (a, b) = self.g, s
        iri = self._spans[s] = ID[f"span/{slug(self.doc.id)}/{a}-{b}"]
        exact = self.doc.text[a:b]
        pos, quote = URIRef(f"{iri}#position"), URIRef(f"{iri}#quote")
        g.add((iri, RDF.type, OA.SpecificResource))
        g.add((iri, OA.hasSource, self.iri))
        g.add((iri, OA.hasSelector, pos))
        g.add((iri, OA.hasSelector, quote))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, nonneg(a)))
        g.add((pos, OA.end, nonneg(b)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(exact)))
        clean = SPACES.sub("", exact)
        if clean != exact:
            g.add((iri, DG.cleanText, Literal(clean)))
        return iri

    def unit(self, ref: UnitRef) -> URIRef:
        iri = self.shared.note(ref)
        self.shared.jurisdictions.setdefault(ref.jurisdiction.key, ref.jurisdiction)
        self.g.add((iri, SKOS.altLabel, zh(ref.name)))
        first = self._agency_first.get(iri)
        if first is None or ref.span < first:
            self._agency_first[iri] = ref.span
        return iri

    # ---------------------------------------------------------------- the document
    def write(self, ex: Extraction) -> Triples:
        self._document()
        mentions = {m.span: self._mention(m) for m in ex.laws}
        self._document_bases = [(m, mentions[m.span]) for m in ex.document_bases]
        for st in ex.statements:
            self._statement(st, mentions)
        bodies = {}
        for m in ex.memberships:
            self._membership(m, bodies)
        represented = {(m.body, unit_iri(m.unit)) for m in ex.memberships if m.person and m.unit}
        for body, ref in ex.member_units:
            b = self._body(body, ref.jurisdiction, bodies)
            agency = self.unit(ref)
            self.g.add((agency, DG.memberUnitOf, b))
            if (body, agency) not in represented:   # a member unit named without a person
                m = ID[f"membership/{slug(self.doc.id)}/{ref.span[0]}-{ref.span[1]}/unit"]
                self.g.add((m, RDF.type, ORG.Membership))
                self.g.add((m, ORG.organization, b))
                self.g.add((m, ORG.member, agency))
                self.g.add((m, ORG.role, concept("group-role", "member")))
                self.g.add((m, DG.onBehalfOf, agency))
                self.g.add((m, RDFS.label, zh(ref.name)))
                self.g.add((m, DG.span, self.span(ref.span)))
        for office in ex.offices:
            b = self._body(office.body, office.jurisdiction, bodies)
            o = URIRef(f"{b}/office")
            self.g.add((o, RDF.type, DG.CommitteeOffice))
            self.g.add((o, ORG.unitOf, b))
            self.g.add((o, SKOS.prefLabel, zh(office.body + "办公室")))
            self.g.add((o, DG.hostedBy, self.unit(office.unit)))
            self.g.add((o, DG.span, self.span(office.span)))
        for mech in ex.mechanisms:
            self._mechanism(mech)
        for iri, s in self._agency_first.items():
            self.g.add((iri, DG.span, self.span(s)))
        return self.g

    def _document(self) -> None:
        d, g = self.doc, self.g
        g.add((self.iri, RDF.type, DG.SourceDocument))
        g.add((self.iri, DCTERMS.identifier, Literal(d.id)))
        g.add((self.iri, DCTERMS.title, zh(d.title)))
        g.add((self.iri, DG.path, Literal(d.path)))
        for genre in d.genres:
            g.add((self.iri, DG.genre, concept("genre", genre)))
        if d.date:
            dtype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(d.date), XSD.date)
            g.add((self.iri, DCTERMS.issued, Literal(d.date, datatype=dtype)))
        if d.issuer:
            g.add((self.iri, DG.issuerName, zh(d.issuer)))
        if d.source:
            g.add((self.iri, DCTERMS.source, Literal(d.source)))
        if d.notes:
            g.add((self.iri, DCTERMS.description, Literal(d.notes, lang="en")))
        for j in d.jurisdictions():
            self.shared.jurisdictions.setdefault(j.key, j)
            g.add((self.iri, DCTERMS.spatial, j.iri))
        for r in d.regions:
            rng = ID[f"doc/{slug(d.id)}/range/{r.start}-{r.end}"]
            g.add((self.iri, DG.contentRange, rng))
            g.add((rng, RDF.type, DG.ContentRange))
            g.add((rng, DCTERMS.spatial, r.jurisdiction.iri))
            g.add((rng, DG.span, self.span((r.start, r.end))))
            if r.label:
                g.add((rng, RDFS.label, Literal(r.label)))

    def _statement(self, st: Statement, mentions: dict) -> None:
        g = self.g
        iri = ID[f"duty/{slug(self.doc.id)}/{st.span[0]}-{st.span[1]}"]
        g.add((iri, RDF.type, DG.DutyStatement))
        if st.is_task:
            g.add((iri, RDF.type, DG.Task))
        g.add((iri, DG.inDocument, self.iri))
        g.add((iri, DCTERMS.spatial, st.jurisdiction.iri))
        g.add((iri, DG.genre, concept("genre", st.genre)))
        g.add((iri, DG.span, self.span(st.span)))
        for r in st.repeats:
            g.add((iri, DG.repeatSpan, self.span(r)))
        if st.paragraph:
            g.add((iri, DCTERMS.isPartOf, self.span(st.paragraph)))
        for t in sorted(st.themes):
            g.add((iri, DG.theme, concept("theme", t)))
        for t in sorted(st.target_groups):
            g.add((iri, DCTERMS.audience, concept("target-group", t)))
        if st.is_task:
            g.add((iri, DG.taskNumber, Literal(st.number)))
            if st.group:
                g.add((iri, DG.taskGroup, zh(st.group)))
        for k, (ref, role) in enumerate(st.holders):
            p = URIRef(f"{iri}/participation/{k}")
            g.add((iri, CV.hasParticipation, p))
            g.add((p, RDF.type, CV.Participation))
            g.add((p, CV.hasParticipant, self.unit(ref)))
            g.add((p, CV.role, concept("role", role)))
            g.add((p, RDFS.label, zh(ref.name)))
            g.add((p, DG.span, self.span(ref.span)))
        for k, t in enumerate(st.targets):
            self._target(URIRef(f"{iri}/target/{k}"), iri, t)
        self._bases(iri, st, mentions)

    def _bases(self, iri: URIRef, st: Statement, mentions: dict) -> None:
        """Stated bases (cited in the duty, or by the document for all its duties) and inferred ones
        (a registered law or regulation about one of the duty's themes, for a group it protects)."""
        g = self.g
        stated: dict[str, tuple[str, URIRef]] = {}
        for m in st.laws:
            g.add((iri, DG.citesMention, mentions[m.span]))
            if m.key:
                stated.setdefault(m.key, ("duty", mentions[m.span]))
        for m, mention in self._document_bases:
            stated.setdefault(m.key, ("document", mention))
        groups = set(st.target_groups)
        inferred: dict[str, tuple[str, ...]] = {}
        for key, themes, audience in _inferable(self.vocab):
            via = tuple(sorted(themes & st.themes))
            if via and not (audience and groups and not groups & audience):
                inferred[key] = via
        for key in sorted(set(stated) | set(inferred)):
            if key in stated:
                b = URIRef(f"{iri}/basis/{slug(key)}")
                scope, mention = stated[key]
                g.add((b, RDF.type, DG.LegalBasis))
                g.add((b, DG.instrument, law_iri(key)))
                g.add((b, RDF.type, DG.StatedBasis))
                g.add((b, DG.basisKind, Literal("stated")))
                g.add((b, DG.basisScope, Literal(scope)))
                g.add((b, PROV.wasDerivedFrom, mention))
                for t in inferred.get(key, ()):   # a stated basis may also be one the themes call for
                    g.add((b, DG.viaTheme, concept("theme", t)))
            else:
                b = self._inferred_basis(key, inferred[key])
            g.add((iri, DG.hasLegalBasis, b))

    def _inferred_basis(self, key: str, via: tuple[str, ...]) -> URIRef:
        """The inference "this instrument governs these themes" is the same for every duty it is
        drawn for, in every document: one node per instrument and themes, written once in the graph
        ``inferences`` (see :func:`inference_graph`); a document's graph holds only its duties'
        links to it (a node per duty was seven triples a basis, a sixth of the national graph)."""
        b = inferred_basis_iri(key, via)
        self.shared.inferred.setdefault(b, (law_iri(key), via))
        return b

    def _target(self, iri: URIRef, duty: URIRef, t: Target) -> None:
        g = self.g
        g.add((duty, DG.hasTarget, iri))
        g.add((iri, RDF.type, DG.Target))
        num = Literal(int(t.value)) if t.value == int(t.value) else Literal(t.value)
        g.add((iri, SCHEMA.value, num))
        if t.comparison in ("at-least", "range"):
            g.add((iri, SCHEMA.minValue, num))
        if t.comparison == "at-most":
            g.add((iri, SCHEMA.maxValue, num))
        if t.upper is not None:
            g.add((iri, SCHEMA.maxValue, Literal(int(t.upper)) if t.upper == int(t.upper) else Literal(t.upper)))
        g.add((iri, SCHEMA.unitText, Literal(t.unit)))
        g.add((iri, DG.comparison, Literal(t.comparison)))
        if t.year:
            g.add((iri, DG.targetYear, Literal(t.year)))
        g.add((iri, DG.span, self.span(t.span)))

    def _mention(self, m: LawMention) -> URIRef:
        g = self.g
        iri = ID[f"mention/{slug(self.doc.id)}/{m.span[0]}-{m.span[1]}"]
        g.add((iri, RDF.type, DG.LegalMention))
        g.add((iri, DG.inDocument, self.iri))
        g.add((iri, RDFS.label, zh(m.title)))
        g.add((iri, DG.span, self.span(m.span)))
        g.add((self.iri, DG.citesMention, iri))
        if m.article:
            g.add((iri, DG.article, zh(m.article)))
        if m.key:
            law = law_iri(m.key)
            g.add((iri, DG.refersTo, law))
            if m.key not in self.vocab.instruments:
                g.add((law, RDF.type, ELI.LegalResource))
                g.add((law, DCTERMS.title, zh(m.canonical)))
                g.add((law, SKOS.prefLabel, zh(m.canonical)))
                g.add((law, ELI.type_document, concept("instrument-kind", m.kind)))
        return iri

    def _body(self, name: str, j: Jurisdiction, bodies: dict, span=None) -> URIRef:
        iri = body_iri(j, name)
        if iri not in bodies:
            bodies[iri] = name
            self.g.add((iri, RDF.type, DG.Committee))
            self.g.add((iri, SKOS.prefLabel, zh(name)))
            self.g.add((iri, DCTERMS.spatial, j.iri))
            self.g.add((iri, ORG.classification, concept("agency-type", "wcwc")))
            self.shared.jurisdictions.setdefault(j.key, j)
        if span:
            self.g.add((iri, DG.span, self.span(span)))
        return iri

    def _membership(self, m: Membership, bodies: dict) -> None:
        g = self.g
        body = self._body(m.body, m.jurisdiction, bodies, m.body_span)
        org = URIRef(f"{body}/office") if m.office else body
        iri = ID[f"membership/{slug(self.doc.id)}/{m.span[0]}-{m.span[1]}/{slug(m.role)}/{slug(m.unit.code or 'x') if m.unit else 'x'}"]
        g.add((iri, RDF.type, ORG.Membership))
        g.add((iri, ORG.organization, org))
        g.add((iri, ORG.role, concept("group-role", m.role)))
        g.add((iri, DG.span, self.span(m.span)))
        if m.post:
            g.add((iri, DG.postTitle, zh(m.post)))
        agency = self.unit(m.unit) if m.unit else None
        if agency is not None:
            g.add((iri, DG.onBehalfOf, agency))
            g.add((iri, RDFS.label, zh(m.unit.name)))
            g.add((agency, DG.memberUnitOf, body))
        if m.person:
            person = person_iri(m.jurisdiction, m.body, m.person)
            g.add((iri, ORG.member, person))
            g.add((person, RDF.type, FOAF.Person))
            g.add((person, FOAF.name, zh(m.person)))
            g.add((person, DG.span, self.span(m.person_span)))
        elif agency is not None:
            g.add((iri, ORG.member, agency))

    def _mechanism(self, mech) -> None:
        g = self.g
        iri = ID[f"mechanism/{slug(self.doc.id)}/{mech.span[0]}"]
        g.add((iri, RDF.type, DG.Mechanism))
        g.add((iri, DCTERMS.title, zh(mech.name)))
        g.add((iri, DG.establishedBy, self.iri))
        g.add((iri, DCTERMS.spatial, mech.jurisdiction.iri))
        g.add((iri, DG.span, self.span(mech.span)))
        for t in sorted(mech.themes):
            g.add((iri, DG.theme, concept("theme", t)))


@functools.lru_cache(maxsize=8)
def _inferable(vocab: Vocabulary) -> tuple:
    """(key, themes, audience) of the registered instruments a duty's themes can rest on."""
    return tuple((i.key, frozenset(i.themes), frozenset(i.audience))
                 for i in sorted(vocab.instruments.values(), key=lambda i: i.key) if i.kind in INFERABLE)


@functools.lru_cache(maxsize=4096)
def inferred_basis_iri(key: str, via: tuple[str, ...]) -> URIRef:
    """``id/inferred-basis/<instrument>/<theme>+<theme>``: the rule's conclusion that an
    instrument governs duties through these themes."""
    return ID[f"inferred-basis/{slug(key)}/{'+'.join(slug(t) for t in via)}"]


def inference_graph(inferred: dict[URIRef, tuple[URIRef, tuple[str, ...]]]) -> Graph:
    """The inferred bases the documents' duties point to: each says which instrument the rule
    ``dg:ThemeGovernedByLaw`` ties to a duty, and through which of the duty's themes."""
    g = Graph(store="SimpleMemory", bind_namespaces="none")
    for b, (law, via) in inferred.items():
        g.add((b, RDF.type, DG.LegalBasis))
        g.add((b, RDF.type, DG.InferredBasis))
        g.add((b, DG.instrument, law))
        g.add((b, DG.basisKind, Literal("inferred")))
        g.add((b, DG.inferredBy, DG.ThemeGovernedByLaw))
        for t in via:
            g.add((b, DG.viaTheme, concept("theme", t)))
    return g


def shared_graph(shared: Shared) -> Graph:
    """Agencies and collectives: type, jurisdiction and the name to show, once for all documents."""
    g = Graph(store="SimpleMemory", bind_namespaces="none")
    for iri, ref in shared.refs.items():
        g.add((iri, DCTERMS.spatial, ref.jurisdiction.iri))
        g.add((iri, SKOS.prefLabel, zh(preferred_name(shared.names[iri]))))
        if ref.collective:
            g.add((iri, RDF.type, DG.CollectiveHolder))
            g.add((iri, ORG.classification, concept("collective", ref.collective)))
            continue
        g.add((iri, RDF.type, CV.PublicOrganisation if ref.code else ORG.Organization))
        if ref.agency_type:
            g.add((iri, ORG.classification, concept("agency-type", ref.agency_type)))
            if ref.code != ref.agency_type:
                g.add((iri, DG.unitKind, concept("agency-type", ref.code)))
    return g


def jurisdiction_graph(shared: Shared, resolve_chain) -> Graph:
    g = Graph(store="SimpleMemory", bind_namespaces="none")
    scheme = ID["jurisdiction"]
    for j in sorted(shared.jurisdictions.values(), key=lambda j: j.key):
        for x in resolve_chain(j):
            g.add((x.iri, RDF.type, DG.Jurisdiction))
            g.add((x.iri, SKOS.inScheme, scheme))
            g.add((x.iri, SKOS.prefLabel, zh(x.name)))
            if x.short != x.name:
                g.add((x.iri, SKOS.altLabel, zh(x.short)))
            for a in x.aliases:
                g.add((x.iri, SKOS.altLabel, zh(a)))
            g.add((x.iri, DG.level, concept("level", x.level)))
            if x.code:
                g.add((x.iri, SKOS.notation, Literal(x.code)))
            if x.parent:
                g.add((x.iri, SKOS.broader, ID[f"jurisdiction/{slug(x.parent)}"]))
            if x.note:
                g.add((x.iri, RDFS.comment, Literal(x.note, lang="en")))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("行政区域", lang="zh")))
    g.add((scheme, SKOS.prefLabel, Literal("Jurisdictions", lang="en")))
    return g
