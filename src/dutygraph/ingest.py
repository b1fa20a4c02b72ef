"""Adding a document a researcher found: read it whatever its format and encoding, keep the
original bytes, store UTF-8 text and metadata, detect the genres, rebuild, and say what was found.

Formats: plain text (UTF-8, UTF-8 with BOM, UTF-16, GB18030/GBK, Big5 — detected), HTML
(BeautifulSoup), Word .docx (python-docx; table cells one per line) and PDF (pdfminer.six).
Ingesting the same text twice changes nothing; a file that cannot be read, or a rebuild that fails,
leaves the corpus as it was.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .build import write_atomic
from .corpus import GENRES, Document, checked_date, document_paths
from .errors import DutygraphError
from .jurisdictions import resolve_meta
from .namespaces import digest
from .pipeline.extract import extract

FORMATS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
BODY = re.compile(r"(?:妇女儿童工作委员会|妇儿工委|妇女儿童工作联席会议|联席会议|工作领导小组|领导小组|协调组)")
BODY_START = re.compile(r".*(?:关于|调整|印发|建立|成立|《|的|、)")
SPEECH = re.compile(r"同志们|讲话|致辞|会议记录|发言")


@dataclass
class Read:
    text: str
    fmt: str
    encoding: str | None
    original: bytes


def decode(raw: bytes, where: str) -> tuple[str, str]:
    """Text and the encoding it was in: BOMs first, then UTF-8, then a detected Chinese encoding."""
    if not raw.strip():
        raise DutygraphError(f"{where}: the file is empty")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise DutygraphError(f"{where}: starts with a {enc.upper()} byte-order mark but is not valid {enc.upper()} (byte {exc.start})") from None
    try:
        text = raw.decode("utf-8")
        if sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f") > max(8, len(text) // 100):
            raise DutygraphError(f"{where}: looks binary, not a text document")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw[:4000]:
        # UTF-16 without a BOM: many NULs in alternate places
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(enc)
                if sum(1 for c in text[:2000] if "\u4e00" <= c <= "\u9fff") > 10:
                    return text, enc
            except UnicodeDecodeError:
                continue
        raise DutygraphError(f"{where}: looks binary, not a text document")
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["gb18030", "gbk", "big5", "utf_16", "utf_8"]).best()
    for enc in ([best.encoding] if best else []) + ["gb18030", "big5"]:
        try:
            text = raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if sum(1 for c in text if "\u4e00" <= c <= "\u9fff") >= max(2, len(text) // 20):
            return text, enc.replace("_", "-")
    raise DutygraphError(f"{where}: cannot tell the text encoding (tried UTF-8, UTF-16, GB18030, Big5)")


def _html(raw: bytes, where: str) -> str:
    from bs4 import BeautifulSoup

    m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:4000])
    text = None
    if m:
        try:
            text = raw.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, _enc = decode(raw, where)
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header"]):
        tag.decompose()
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in soup.get_text("\n").splitlines()]
    return "\n".join(line for line in lines if line)


def _docx(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    out = []
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for cell in child.iter():
                if cell.tag.endswith("}tc"):
                    out.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")))
    return "\n".join(line.strip() for line in out if line.strip())


def _pdf(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def read_file(path: Path) -> Read:
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DutygraphError(f"{where}: cannot read ({exc.strerror})") from None
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise DutygraphError(f"{where}: unknown format '{path.suffix}' (dutygraph reads {', '.join(sorted(FORMATS))})")
    if not raw.strip():
        raise DutygraphError(f"{where}: the file is empty")
    encoding = None
    try:
        if fmt == "text":
            text, encoding = decode(raw, where)
        elif fmt == "html":
            text = _html(raw, where)
        elif fmt == "docx":
            text = _docx(path)
        else:
            text = _pdf(path)
    except DutygraphError:
        raise
    except Exception as exc:  # a damaged .docx or .pdf: the library's own error, in one line
        raise DutygraphError(f"{where}: cannot read this {fmt} file ({type(exc).__name__}: {str(exc)[:120]})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    if sum(1 for c in text if "\u4e00" <= c <= "\u9fff") < 2:
        raise DutygraphError(f"{where}: no Chinese text found in it")
    return Read(text, fmt, encoding, raw)


def body_of(title: str, text: str) -> str | None:
    """The committee or group a document is about, read from its title or first lines."""
    for source in (title, text[:300]):
        m = BODY.search(source)
        if m:
            head = source[:m.start()]
            head = BODY_START.sub("", head)
            head = re.split(r"[\s,，。；;：:“”\"]", head)[-1]
            return head + m.group(0)
    return None


def detect_genres(doc: Document, vocab) -> list[str]:
    """The genres whose parser finds something in the text (tried one at a time); a speech is
    recognised by how it addresses its audience (同志们) or its title (讲话)."""
    if SPEECH.search(doc.title) or SPEECH.search(doc.text[:2000]):
        return ["speech"]
    found = []
    for genre in ("duty-list", "task-division", "roster", "mechanism"):
        doc.genres = (genre,)
        ex = extract(doc, vocab)
        if genre == "duty-list" and sum(1 for s in ex.statements if s.holders) >= 2:
            found.append(genre)
        elif genre == "task-division" and sum(1 for s in ex.statements if s.is_task) >= 2:
            found.append(genre)
        elif genre == "roster" and (sum(1 for m in ex.memberships if m.person) >= 2 or len(ex.member_units) >= 3):
            found.append(genre)
        elif genre == "mechanism" and ex.mechanisms:
            found.append(genre)
    return found or ["speech"]


def _next_id(workspace: Path, text: str) -> tuple[str, Path | None]:
    h = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    existing = document_paths(workspace) if (workspace / "corpus").is_dir() else []
    for p in existing:
        if p.stem.endswith("_" + h):
            return p.stem, p
    numbers = [int(p.stem.split("_", 1)[0]) for p in existing if p.stem.split("_", 1)[0].isdigit()]
    return f"{(max(numbers) + 1 if numbers else 0):03d}_{h}", None


def jurisdiction_meta(name: str, level: str | None, parent: str | None) -> dict:
    """Metadata for --jurisdiction/--level/--parent: a division code or name the national table
    knows, or (with --level and --parent) a place outside it."""
    meta: dict = {"name": name}
    if name.isdigit():
        meta = {"code": name, "name": None}
    if level:
        meta["level"] = level
    if parent:
        meta["parent"] = {"code": parent} if parent.isdigit() else {"name": parent}
    return meta


def ingest(ws, file: Path, jurisdiction: str, level=None, parent=None, title=None, date=None, issuer=None,
           genres=(), body=None, build: bool = True) -> dict:
    workspace = ws.path
    date = checked_date(date, "--date")   # refused here, not by the next build
    read = read_file(Path(file))
    meta_j = jurisdiction_meta(jurisdiction, level, parent)
    if meta_j.get("code") and not meta_j.get("name"):
        from .jurisdictions import from_code

        meta_j["name"] = from_code(meta_j["code"]).name
    try:
        j = resolve_meta(meta_j, "--jurisdiction")
    except DutygraphError as exc:
        if "unknown jurisdiction" in str(exc) and (level == "national" or (level and parent)):
            meta_j["key"] = "cn" if level == "national" else "x-" + digest(jurisdiction, parent, n=10)
            j = resolve_meta(meta_j, "--jurisdiction")
        else:
            raise
    for g in genres:
        if g not in GENRES:
            raise DutygraphError(f"unknown genre '{g}' (use one of {', '.join(GENRES)})")
    doc_id, existing = _next_id(workspace, read.text)
    if existing is not None:
        return {"id": doc_id, "unchanged": True, "path": str(existing.relative_to(workspace))}
    first = next((line.strip() for line in read.text.splitlines() if line.strip()), Path(file).stem)
    title = title or first[:80]
    body = body or body_of(title, read.text)
    doc = Document(id=doc_id, path=f"corpus/{doc_id}.txt", text=read.text, title=title, jurisdiction=j,
                   genres=tuple(genres), body=body)
    if not genres:
        genres = detect_genres(doc, ws.vocab)
    meta = {"title": title, "jurisdiction": {k: v for k, v in meta_j.items() if v is not None},
            "issuer": issuer, "body": body, "date": date, "genres": list(genres), "source": str(Path(file).name),
            "notes": f"ingested from {Path(file).name} ({read.fmt}{', ' + read.encoding if read.encoding else ''})"}
    if j.code:
        meta["jurisdiction"]["code"] = j.code
    corpus = workspace / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    txt, yml = corpus / f"{doc_id}.txt", corpus / f"{doc_id}.yaml"
    added = [txt, yml]
    original = None
    if read.fmt != "text" or read.encoding not in ("utf-8",):
        (corpus / "original").mkdir(exist_ok=True)
        original = corpus / "original" / f"{doc_id}{Path(file).suffix.lower()}"
        added.append(original)
    try:
        if original is not None:
            write_atomic(original, read.original)
        write_atomic(txt, read.text.encode("utf-8"))
        write_atomic(yml, yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).encode("utf-8"))
        if build:
            ws.build()
    except BaseException:
        for p in added:
            p.unlink(missing_ok=True)
        raise
    return {"id": doc_id, "unchanged": False, "path": f"corpus/{doc_id}.txt", "genres": list(genres),
            "format": read.fmt, "encoding": read.encoding, "jurisdiction": j.name}
