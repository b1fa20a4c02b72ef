"""The corpus: documents (``corpus/<id>.txt``, UTF-8) and their metadata (``corpus/<id>.yaml``).

Reading checks everything a parser relies on and fails with one clear line: an empty or binary
document, metadata that is missing, malformed or names an unknown genre or place, character ranges
that fall outside the text or do not start with the words they claim.
"""
from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import DutygraphError
from .jurisdictions import Jurisdiction, resolve_meta

GENRES = ("duty-list", "task-division", "roster", "mechanism", "speech")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def checked_date(date, where: str) -> str | None:
    """A document's date as its text (YYYY, YYYY-MM or YYYY-MM-DD, a day of the calendar: it becomes
    an xsd:gYear, xsd:gYearMonth or xsd:date), None when not given; else one error line."""
    if date is None or date == "":
        return None
    text = str(date)   # YAML reads 2020-05-01 as a date and 2020 as a number
    try:
        valid = bool(DATE.match(text)) and bool(datetime.date.fromisoformat((text + "-01-01")[:10]))
    except ValueError:
        valid = False
    if not valid:
        raise DutygraphError(f"{where}: date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD (a day of the calendar)")
    return text


@dataclass(frozen=True)
class Region:
    """A character range of a document and the jurisdiction it speaks for."""

    start: int
    end: int
    jurisdiction: Jurisdiction
    label: str = ""


@dataclass
class Document:
    id: str
    path: str                 # relative to the workspace: corpus/<id>.txt
    text: str
    title: str
    jurisdiction: Jurisdiction
    genres: tuple[str, ...]
    issuer: str | None = None
    date: str | None = None
    source: str | None = None
    body: str | None = None
    notes: str | None = None
    regions: list[Region] = field(default_factory=list)
    skips: list[tuple[int, int]] = field(default_factory=list)

    def content_regions(self) -> list[Region]:
        """The regions to parse, with the skipped ranges cut out."""
        regions = self.regions or [Region(0, len(self.text), self.jurisdiction)]
        out: list[Region] = []
        for r in regions:
            pieces = [(r.start, r.end)]
            for s, e in self.skips:
                pieces = [p for a, b in pieces for p in ((a, min(b, s)), (max(a, e), b)) if p[0] < p[1]]
            out.extend(Region(a, b, r.jurisdiction, r.label) for a, b in pieces)
        return sorted(out, key=lambda r: r.start)

    def jurisdictions(self) -> list[Jurisdiction]:
        seen = {self.jurisdiction.key: self.jurisdiction}
        for r in self.regions:
            seen.setdefault(r.jurisdiction.key, r.jurisdiction)
        return list(seen.values())


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DutygraphError(f"{path}: cannot read ({exc.strerror})") from None
    if not raw.strip():
        raise DutygraphError(f"{path}: the document is empty")
    if b"\x00" in raw:
        raise DutygraphError(f"{path}: looks binary (NUL bytes), not a UTF-8 text document")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DutygraphError(f"{path}: not UTF-8 at byte {exc.start} (ingest converts other encodings)") from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise DutygraphError(f"{path}: looks binary ({controls} control characters)")
    return text


def read_meta(path: Path) -> dict:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DutygraphError(f"{path}: cannot read metadata ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise DutygraphError(f"{path}: metadata is not UTF-8") from None
    try:
        meta = json.loads(raw) if path.suffix == ".json" else yaml.safe_load(raw)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DutygraphError(f"{path}: malformed metadata ({first})") from None
    if not isinstance(meta, dict):
        raise DutygraphError(f"{path}: metadata must be a mapping of fields (title, jurisdiction, genres, ...)")
    return meta


def _range(item: dict, text: str, where: str) -> tuple[int, int]:
    try:
        start, end = int(item["start"]), int(item["end"])
    except (KeyError, TypeError, ValueError):
        raise DutygraphError(f"{where}: a range needs integer start and end") from None
    if not 0 <= start < end <= len(text):
        raise DutygraphError(f"{where}: range {start}-{end} is outside the text (length {len(text)})")
    quote = item.get("starts_with")
    if quote and not text[start:end].startswith(quote):
        raise DutygraphError(f"{where}: range {start}-{end} does not start with '{quote}'")
    return start, end


def load_document(txt: Path, workspace: Path) -> Document:
    meta_path = next((p for p in (txt.with_suffix(".yaml"), txt.with_suffix(".yml"), txt.with_suffix(".json")) if p.exists()), None)
    if meta_path is None:
        raise DutygraphError(f"{txt}: no metadata file ({txt.stem}.yaml) beside it")
    text = read_text(txt)
    meta = read_meta(meta_path)
    where = str(meta_path.relative_to(workspace)) if meta_path.is_relative_to(workspace) else str(meta_path)
    if not meta.get("title"):
        raise DutygraphError(f"{where}: missing title")
    genres = meta.get("genres") or meta.get("genre")
    genres = [genres] if isinstance(genres, str) else genres
    if not genres or not isinstance(genres, list):
        raise DutygraphError(f"{where}: missing genres (one or more of {', '.join(GENRES)})")
    for g in genres:
        if g not in GENRES:
            raise DutygraphError(f"{where}: unknown genre '{g}' (use one of {', '.join(GENRES)})")
    date = checked_date(meta.get("date"), where)
    jur = resolve_meta(meta.get("jurisdiction"), where)
    regions = []
    for k, item in enumerate(meta.get("regions") or []):
        start, end = _range(item, text, f"{where} regions[{k}]")
        rj = resolve_meta(item.get("jurisdiction"), f"{where} regions[{k}]") if item.get("jurisdiction") else jur
        regions.append(Region(start, end, rj, str(item.get("label", ""))))
    skips = [_range(item, text, f"{where} skip[{k}]") for k, item in enumerate(meta.get("skip") or [])]
    rel = txt.relative_to(workspace).as_posix() if txt.is_relative_to(workspace) else txt.as_posix()
    return Document(id=txt.stem, path=rel, text=text, title=str(meta["title"]), jurisdiction=jur,
                    genres=tuple(genres), issuer=meta.get("issuer"), date=date,
                    source=meta.get("source"), body=meta.get("body"), notes=meta.get("notes"),
                    regions=regions, skips=skips)


def document_paths(workspace: Path) -> list[Path]:
    corpus = Path(workspace) / "corpus"
    if not corpus.is_dir():
        raise DutygraphError(f"no corpus/ directory in {workspace} (run from a workspace or give --workspace)")
    return sorted(corpus.glob("*.txt"))

