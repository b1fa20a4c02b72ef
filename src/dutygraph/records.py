"""What the parsers produce: plain records with source offsets, before anything becomes RDF."""
from __future__ import annotations

from dataclasses import dataclass, field

from .jurisdictions import Jurisdiction

Span = tuple[int, int]   # code-point offsets into the document text, end exclusive


@dataclass(frozen=True)
class UnitRef:
    """A unit (or a collective of units) as one document names it."""

    name: str                      # as written, spaces removed
    span: Span
    jurisdiction: Jurisdiction
    code: str | None = None        # concept notation: agency type or narrower (None: unknown unit)
    agency_type: str | None = None  # top agency-type code
    collective: str | None = None  # collective-holder code when the name is a group


@dataclass
class LawMention:
    title: str                     # as written, without the book-title marks
    span: Span                     # including the marks
    key: str | None = None         # register key, or x-<hash> for a titled instrument outside it
    kind: str | None = None
    article: str | None = None
    canonical: str = ""            # normalised title


@dataclass
class Target:
    text: str
    span: Span
    value: float
    unit: str
    year: int | None = None
    comparison: str = "equal"
    upper: float | None = None


@dataclass
class Statement:
    """A duty statement: one clause, one task, or one sentence of a speech."""

    span: Span
    text: str                      # normalised view text, for tagging
    jurisdiction: Jurisdiction
    genre: str
    holders: list[tuple[UnitRef, str]] = field(default_factory=list)   # (unit, role)
    number: int | None = None      # task number
    group: str | None = None       # task group heading
    targets: list[Target] = field(default_factory=list)
    themes: set[str] = field(default_factory=set)
    target_groups: set[str] = field(default_factory=set)
    laws: list[LawMention] = field(default_factory=list)
    repeats: list[Span] = field(default_factory=list)
    paragraph: Span | None = None  # the paragraph it came from (for gaps and suggestions)

    @property
    def is_task(self) -> bool:
        return self.number is not None


@dataclass
class Membership:
    body: str
    jurisdiction: Jurisdiction
    span: Span                     # the roster line or sentence
    unit: UnitRef | None = None
    person: str | None = None
    person_span: Span | None = None
    post: str = ""
    role: str = "member"           # group-role code
    body_span: Span | None = None
    office: bool = False           # a post in the committee's office


@dataclass
class Mechanism:
    name: str
    name_span: Span
    span: Span                     # heading and body
    jurisdiction: Jurisdiction
    text: str = ""
    themes: set[str] = field(default_factory=set)


@dataclass
class OfficeHost:
    body: str
    unit: UnitRef
    span: Span
    jurisdiction: Jurisdiction


@dataclass
class Extraction:
    """Everything read from one document."""

    statements: list[Statement] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    mechanisms: list[Mechanism] = field(default_factory=list)
    offices: list[OfficeHost] = field(default_factory=list)
    member_units: list[tuple[str, UnitRef]] = field(default_factory=list)   # (body, unit)
    laws: list[LawMention] = field(default_factory=list)                    # every mention in the document
    document_bases: list[LawMention] = field(default_factory=list)          # cited for the whole document (根据……)
