"""Fuzz targets: every parser (through the extractor, all genres at once), the text decoder and the
metadata reader. Each takes bytes and must end in a result or a DutygraphError — never another
exception — and every span it returns must lie inside the text."""
from __future__ import annotations

import tempfile
from pathlib import Path

from dutygraph.corpus import Document, load_document
from dutygraph.errors import DutygraphError
from dutygraph.ingest import decode
from dutygraph.jurisdictions import from_code
from dutygraph.pipeline.extract import extract
from dutygraph.vocab import load

ROOT = Path(__file__).resolve().parents[1]
VOCAB = load(ROOT / "ontology")
PLACE = from_code("510100")
GENRES = ("duty-list", "task-division", "roster", "mechanism", "speech")


def parsers(text: str) -> None:
    doc = Document(id="f", path="corpus/f.txt", text=text, title="fuzz", jurisdiction=PLACE, genres=GENRES,
                   body="某市妇女儿童工作委员会")
    ex = extract(doc, VOCAB)
    spans = [s.span for s in ex.statements] + [m.span for m in ex.memberships] + [m.span for m in ex.laws]
    spans += [u.span for s in ex.statements for u, _r in s.holders] + [t.span for s in ex.statements for t in s.targets]
    for a, b in spans:
        assert 0 <= a <= b <= len(text), (a, b, len(text))


def decoder(data: bytes) -> None:
    try:
        text, _enc = decode(data, "fuzz")
        assert isinstance(text, str)
    except DutygraphError:
        pass


def metadata(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        (ws / "corpus").mkdir()
        (ws / "corpus" / "f.txt").write_text("市公安局：打击拐卖妇女儿童犯罪。\n", encoding="utf-8")
        (ws / "corpus" / "f.yaml").write_bytes(data)
        try:
            load_document(ws / "corpus" / "f.txt", ws)
        except DutygraphError:
            pass
