"""Statistics the build writes so that national aggregates read a few rows, not every duty.

Both are found in each document's graph by the worker and gathered over the corpus into the graph
``statistics``:

- how each legal instrument is used (``law-use``): a W3C Data Cube observation per instrument (the
  duties resting on it, stated and inferred), the documents that cite it (``dct:isReferencedBy``)
  and the units whose duties state it as their basis (``dg:statedBasisOf``); a question about one
  place still counts the place's own duties;
- the citations no duty of their document carries out (``laws-not-carried-out``): mentions of an
  instrument that no basis of the document's duties names — inferred, stated in the duty's own
  words, or stated for the whole document where the duty's themes call for it too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from .namespaces import CV, DCTERMS, DG, ID, QB, RDF, XSD, slug

LAW_USE = ID["statistics/law-use"]


@dataclass
class LawStatistics:
    """Per instrument: bases stated and inferred, the documents citing it, the units stating it;
    the citations no duty carries out."""

    stated: dict[URIRef, int] = field(default_factory=dict)
    inferred: dict[URIRef, int] = field(default_factory=dict)
    cited_by: dict[URIRef, set] = field(default_factory=dict)
    units: dict[URIRef, set] = field(default_factory=dict)
    not_carried_out: set = field(default_factory=set)   # legal mentions

    def add(self, other: "LawStatistics") -> None:
        for mine, theirs in ((self.stated, other.stated), (self.inferred, other.inferred)):
            for law, n in theirs.items():
                mine[law] = mine.get(law, 0) + n
        for mine, theirs in ((self.cited_by, other.cited_by), (self.units, other.units)):
            for law, found in theirs.items():
                mine.setdefault(law, set()).update(found)
        self.not_carried_out |= other.not_carried_out


def document_part(g, doc: URIRef) -> LawStatistics:
    """One document's part, from its graph (``g`` answers patterns with a predicate)."""
    use = LawStatistics()
    mentions = list(g.subject_objects(DG.refersTo))
    for _m, law in mentions:
        use.cited_by.setdefault(law, set()).add(doc)
    holders, carried = _holders(g), set()
    for duty, law, how, carries in _bases(g):
        if carries:
            carried.add(law)
        if how not in ("stated", "inferred"):
            continue
        counts = use.stated if how == "stated" else use.inferred
        counts[law] = counts.get(law, 0) + 1
        if how == "stated":
            use.units.setdefault(law, set()).update(holders.get(duty, ()))
    use.not_carried_out = {m for m, law in mentions if law not in carried}
    return use


def _bases(g):
    """(duty, instrument, kind, whether it carries the instrument out) for each basis: inferred,
    stated in the duty's own words, or stated for the document where the themes call for it too."""
    kind = {b: str(k) for b, k in g.subject_objects(DG.basisKind)}
    scope = {b: str(k) for b, k in g.subject_objects(DG.basisScope)}
    via_theme = set(g.subjects(DG.viaTheme))
    instrument = dict(g.subject_objects(DG.instrument))
    for duty, b in g.subject_objects(DG.hasLegalBasis):
        if b in instrument:
            carries = kind.get(b) == "inferred" or scope.get(b) == "duty" or (scope.get(b) == "document" and b in via_theme)
            yield duty, instrument[b], kind.get(b), carries


def _holders(g) -> dict:
    """Each duty's units."""
    participant = dict(g.subject_objects(CV.hasParticipant))
    holders: dict = {}
    for duty, p in g.subject_objects(CV.hasParticipation):
        if p in participant:
            holders.setdefault(duty, set()).add(participant[p])
    return holders


def graph(use: LawStatistics) -> Graph:
    """The statistics graph: the data set, one observation per instrument, its documents and units;
    the citations no duty carries out."""
    g = Graph(store="SimpleMemory", bind_namespaces="none")
    g.add((LAW_USE, RDF.type, QB.DataSet))
    g.add((LAW_USE, QB.structure, DG.LawUseStructure))
    laws = set(use.stated) | set(use.inferred) | set(use.cited_by) | set(use.units)
    for law in laws:
        obs = ID[f"statistics/law-use/{slug(str(law).rsplit('/', 1)[-1])}"]
        g.add((obs, RDF.type, QB.Observation))
        g.add((obs, QB.dataSet, LAW_USE))
        g.add((obs, DG.law, law))
        g.add((obs, DG.statedDuties, Literal(use.stated.get(law, 0), datatype=XSD.nonNegativeInteger)))
        g.add((obs, DG.inferredDuties, Literal(use.inferred.get(law, 0), datatype=XSD.nonNegativeInteger)))
        for doc in use.cited_by.get(law, ()):
            g.add((law, DCTERMS.isReferencedBy, doc))
        for unit in use.units.get(law, ()):
            g.add((law, DG.statedBasisOf, unit))
    for mention in use.not_carried_out:
        g.add((mention, RDF.type, DG.CitationNotCarriedOut))
    return g
