"""Statistics the build writes so that national aggregates read a few rows, not every duty.

Each is found in each document's graph by the worker and gathered over the corpus into the graph
``statistics`` (W3C Data Cube data sets, one observation per combination of their dimensions):

- how each legal instrument is used (``law-use``): a W3C Data Cube observation per instrument (the
  duties resting on it, stated and inferred), the documents that cite it (``dct:isReferencedBy``)
  and the units whose duties state it as their basis (``dg:statedBasisOf``); a question about one
  place still counts the place's own duties;
- the citations no duty of their document carries out (``laws-not-carried-out``): mentions of an
  instrument that no basis of the document's duties names — inferred, stated in the duty's own
  words, or stated for the whole document where the duty's themes call for it too;
- each place's duties and units per theme (``theme-counts``): an observation per place and theme;
- the units whose duties state an instrument, per place (``laws-by-unit``): an observation per
  instrument, place and unit (``dg:noUnitNamed`` for the duties that name none) with the count of
  those duties;
- per agency type and theme, the places where a unit of that type holds a duty statement of that
  theme, and those units (``type-theme-use``, what `viz --overview` draws for the country): an
  observation per pair, made from the places' units per theme once every unit's type is known.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from .namespaces import CV, DCTERMS, DG, ID, QB, RDF, SDMX_DIMENSION, XSD, concept, digest, slug
from .triples import Triples

LAW_USE = ID["statistics/law-use"]
THEME_USE = ID["statistics/theme-use"]
LAW_UNIT_USE = ID["statistics/law-unit-use"]
TYPE_THEME_USE = ID["statistics/type-theme-use"]


@dataclass
class Statistics:
    """Per instrument: bases stated and inferred, the documents citing it, the units stating it;
    the citations no duty carries out. Per place and theme: duties and units. Per instrument,
    place and unit (None: no unit named): the duties stating the instrument."""

    stated: dict[URIRef, int] = field(default_factory=dict)
    inferred: dict[URIRef, int] = field(default_factory=dict)
    cited_by: dict[URIRef, set] = field(default_factory=dict)
    units: dict[URIRef, set] = field(default_factory=dict)
    not_carried_out: set = field(default_factory=set)   # legal mentions
    theme_duties: dict[tuple, int] = field(default_factory=dict)   # (place, theme) -> duties
    theme_units: dict[tuple, set] = field(default_factory=dict)    # (place, theme) -> units
    law_unit_duties: dict[tuple, int] = field(default_factory=dict)   # (law, place, unit) -> duties

    def add(self, other: "Statistics") -> None:
        """Gather another document's part (a duty belongs to one document, so its counts add up)."""
        for mine, theirs in ((self.stated, other.stated), (self.inferred, other.inferred),
                             (self.theme_duties, other.theme_duties), (self.law_unit_duties, other.law_unit_duties)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        for mine, theirs in ((self.cited_by, other.cited_by), (self.units, other.units), (self.theme_units, other.theme_units)):
            for key, found in theirs.items():
                mine.setdefault(key, set()).update(found)
        self.not_carried_out |= other.not_carried_out


def document_part(g, doc: URIRef, inferred: dict | None = None) -> Statistics:
    """One document's part, from its graph (``g`` answers patterns with a predicate) and the
    inferred bases its duties point to (basis -> (instrument, themes): those nodes live in the
    graph ``inferences``)."""
    use = Statistics()
    mentions = list(g.subject_objects(DG.refersTo))
    for _m, law in mentions:
        use.cited_by.setdefault(law, set()).add(doc)
    holders, place = _holders(g), _places(g)
    carried = _count_bases(use, g, holders, place, inferred or {})
    use.not_carried_out = {m for m, law in mentions if law not in carried}
    _count_themes(use, g, holders, place)
    return use


def _count_bases(use: Statistics, g, holders: dict, place: dict, inferred: dict) -> set:
    """Count the bases, stated and inferred, and the duties stating each instrument per place and
    unit; return the instruments some basis carries out."""
    carried = set()
    stating: dict[tuple, set] = {}   # (law, place, unit) -> duties: a duty may state a law twice
    for duty, law, how, carries in _bases(g, inferred):
        if carries:
            carried.add(law)
        if how not in ("stated", "inferred"):
            continue
        counts = use.stated if how == "stated" else use.inferred
        counts[law] = counts.get(law, 0) + 1
        if how == "stated":
            use.units.setdefault(law, set()).update(holders.get(duty, ()))
            for j in place.get(duty, ()):
                for unit in holders.get(duty) or (None,):
                    stating.setdefault((law, j, unit), set()).add(duty)
    use.law_unit_duties = {key: len(duties) for key, duties in stating.items()}
    return carried


def _count_themes(use: Statistics, g, holders: dict, place: dict) -> None:
    """Each place's duty statements and their units per theme (not the mechanisms, which have
    themes too)."""
    duties = set(g.subjects(RDF.type, DG.DutyStatement))
    for duty, theme in g.subject_objects(DG.theme):
        for j in place.get(duty, ()) if duty in duties else ():
            use.theme_duties[j, theme] = use.theme_duties.get((j, theme), 0) + 1
            use.theme_units.setdefault((j, theme), set()).update(holders.get(duty, ()))


def _places(g) -> dict:
    """Each subject's places (dct:spatial)."""
    place: dict = {}
    for s, j in g.subject_objects(DCTERMS.spatial):
        place.setdefault(s, []).append(j)
    return place


def _bases(g, inferred: dict):
    """(duty, instrument, kind, whether it carries the instrument out) for each basis: inferred,
    stated in the duty's own words, or stated for the document where the themes call for it too."""
    kind = {b: str(k) for b, k in g.subject_objects(DG.basisKind)}
    kind.update(dict.fromkeys(inferred, "inferred"))
    scope = {b: str(k) for b, k in g.subject_objects(DG.basisScope)}
    via_theme = set(g.subjects(DG.viaTheme))
    instrument = dict(g.subject_objects(DG.instrument))
    instrument.update((b, law) for b, (law, _via) in inferred.items())
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


def graph(use: Statistics, agency_type: dict | None = None) -> Triples:
    """The statistics graph: its data sets and their observations; the documents and units of each
    instrument; the citations no duty carries out (a plain set of triples: a million at national
    scale, where an rdflib graph would hold three indexes of them). ``agency_type`` is each unit's
    type code (collectives have none)."""
    g = Triples()
    _law_use(g, use)
    for mention in use.not_carried_out:
        g.add((mention, RDF.type, DG.CitationNotCarriedOut))
    _data_set(g, THEME_USE, DG.ThemeUseStructure)
    for (j, theme), n in use.theme_duties.items():
        obs = _observation(g, THEME_USE, _named(THEME_USE, j, theme))
        g.add((obs, SDMX_DIMENSION.refArea, j))
        g.add((obs, DG.refTheme, theme))
        g.add((obs, DG.dutyCount, _count(n)))
        g.add((obs, DG.unitCount, _count(len(use.theme_units.get((j, theme), ())))))
    _data_set(g, LAW_UNIT_USE, DG.LawUnitUseStructure)
    for (law, j, unit), n in use.law_unit_duties.items():
        unit = unit or DG.noUnitNamed
        obs = _observation(g, LAW_UNIT_USE, _named(LAW_UNIT_USE, law, j, unit))
        g.add((obs, DG.law, law))
        g.add((obs, SDMX_DIMENSION.refArea, j))
        g.add((obs, DG.refUnit, unit))
        g.add((obs, DG.statedDuties, _count(n)))
    _type_theme_use(g, use, agency_type or {})
    return g


def _type_theme_use(g: Triples, use: Statistics, agency_type: dict) -> None:
    """Per agency type and theme, the places and units, from the units each place gives each theme."""
    places: dict[tuple, set] = {}   # (type, theme) -> places
    units: dict[tuple, set] = {}    # (type, theme) -> units
    for (j, theme), held in use.theme_units.items():
        for unit in held:
            if unit in agency_type:
                key = (concept("agency-type", agency_type[unit]), theme)
                places.setdefault(key, set()).add(j)
                units.setdefault(key, set()).add(unit)
    _data_set(g, TYPE_THEME_USE, DG.TypeThemeUseStructure)
    for (kind, theme), where in places.items():
        obs = _observation(g, TYPE_THEME_USE, _named(TYPE_THEME_USE, kind, theme))
        g.add((obs, DG.refAgencyType, kind))
        g.add((obs, DG.refTheme, theme))
        g.add((obs, DG.placeCount, _count(len(where))))
        g.add((obs, DG.unitCount, _count(len(units[kind, theme]))))


def _law_use(g: Triples, use: Statistics) -> None:
    _data_set(g, LAW_USE, DG.LawUseStructure)
    laws = set(use.stated) | set(use.inferred) | set(use.cited_by) | set(use.units)
    for law in laws:
        obs = _observation(g, LAW_USE, ID[f"statistics/law-use/{slug(str(law).rsplit('/', 1)[-1])}"])
        g.add((obs, DG.law, law))
        g.add((obs, DG.statedDuties, _count(use.stated.get(law, 0))))
        g.add((obs, DG.inferredDuties, _count(use.inferred.get(law, 0))))
        for doc in use.cited_by.get(law, ()):
            g.add((law, DCTERMS.isReferencedBy, doc))
        for unit in use.units.get(law, ()):
            g.add((law, DG.statedBasisOf, unit))


def _data_set(g: Triples, data_set: URIRef, structure: URIRef) -> None:
    g.add((data_set, RDF.type, QB.DataSet))
    g.add((data_set, QB.structure, structure))


def _observation(g: Triples, data_set: URIRef, obs: URIRef) -> URIRef:
    """Make ``obs`` an observation of the data set (every data set's observations begin so)."""
    g.add((obs, RDF.type, QB.Observation))
    g.add((obs, QB.dataSet, data_set))
    return obs


def _named(data_set: URIRef, *key) -> URIRef:
    """An observation's IRI: a digest of its dimensions' values, under its data set's name."""
    return ID[f"statistics/{str(data_set).rsplit('/', 1)[-1]}/{digest(*map(str, key))}"]


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)
