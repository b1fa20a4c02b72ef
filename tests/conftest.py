"""Shared fixtures: a built copy of the seed workspace, and small workspaces written by a test."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dutygraph import Workspace
from dutygraph.vocab import load

ROOT = Path(__file__).resolve().parents[1]


def copy_workspace(dest: Path, corpus: bool = True) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "queries") + (("corpus",) if corpus else ()):
        shutil.copytree(ROOT / name, dest / name)
    if not corpus:
        (dest / "corpus").mkdir()
    return dest


def synth_corpus(out: Path, n: int = 12, seed: int = 3) -> Path:
    """A synthetic workspace of ``n`` jurisdictions written by ``dutygraph synth``."""
    r = subprocess.run([sys.executable, "-m", "dutygraph", "synth", "--jurisdictions", str(n), "--out", str(out),
                        "--seed", str(seed)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="session")
def seed_ws(tmp_path_factory) -> Workspace:
    """The five seed documents, built once for the whole session."""
    ws = Workspace(copy_workspace(tmp_path_factory.mktemp("seeds") / "ws"))
    ws.build()
    return ws


@pytest.fixture(scope="session")
def seed_text():
    def read(source: str) -> str:
        return (ROOT / source).read_text(encoding="utf-8")
    return read


@pytest.fixture(scope="session")
def vocab():
    return load(ROOT / "ontology")


def write_doc(ws_dir: Path, doc_id: str, text: str, meta: str) -> Path:
    """A document and its metadata in a workspace's corpus/."""
    (ws_dir / "corpus").mkdir(parents=True, exist_ok=True)
    path = ws_dir / "corpus" / f"{doc_id}.txt"
    path.write_text(text, encoding="utf-8")
    (ws_dir / "corpus" / f"{doc_id}.yaml").write_text(textwrap.dedent(meta), encoding="utf-8")
    return path


@pytest.fixture
def keep_all(monkeypatch):
    """Keep every answer, however quick (a national one takes seconds; these take milliseconds)."""
    from dutygraph import answers

    monkeypatch.setattr(answers, "KEEP_AFTER_S", 0.0)
    monkeypatch.delenv("DUTYGRAPH_CACHE", raising=False)


@pytest.fixture
def tiny_ws(tmp_path) -> Path:
    """A workspace with one short duty list of a city not in the seeds."""
    ws = copy_workspace(tmp_path / "ws", corpus=False)
    write_doc(ws, "t01", "成都市妇女儿童工作委员会成员单位职责\n市公安局：牵头打击拐卖妇女儿童犯罪。\n市民政局：负责困境儿童保障工作。\n",
              """\
              title: 成都市妇女儿童工作委员会成员单位职责
              jurisdiction: {name: 成都市, code: "510100", level: prefecture}
              body: 成都市妇女儿童工作委员会
              genres: [duty-list]
              """)
    return ws


def one_duty_ws(tmp_path: Path, duty: str) -> Workspace:
    """A built workspace of one Chengdu duty list whose 市公安局 holds ``duty`` (for hostile text)."""
    ws_dir = copy_workspace(tmp_path / "ws", corpus=False)
    write_doc(ws_dir, "h1", f"成员单位职责\n市公安局：{duty}\n",
              """\
              title: 测试
              jurisdiction: {name: 成都市, code: "510100", level: prefecture}
              genres: [duty-list]
              """)
    ws = Workspace(ws_dir)
    ws.build()
    return ws
