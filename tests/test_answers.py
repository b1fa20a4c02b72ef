"""Answers kept for the graph they came from (graph/answers/): asked again, a query reads back the
rows it gave; a build that changes the graph makes every query ask the store again."""
from __future__ import annotations

import pytest

from dutygraph import Workspace, answers
from dutygraph.cli import main
from dutygraph.store import LocalStore

from conftest import write_doc


def kept_files(ws_dir):
    return sorted((ws_dir / "graph" / answers.ANSWERS_DIR).glob("*/*.marshal"))


def test_asked_again_a_query_reads_back_its_answer(tiny_ws, keep_all, monkeypatch):
    Workspace(tiny_ws).build()
    first = Workspace(tiny_ws).run("duties")
    assert {r["agency"] for r in first} == {"市公安局", "市民政局"}
    assert len(kept_files(tiny_ws)) == 1

    def no_store(self, query):
        raise AssertionError("the store was asked again")

    monkeypatch.setattr(LocalStore, "_select", no_store)
    assert Workspace(tiny_ws).run("duties") == first   # a new process would read it the same way
    with pytest.raises(AssertionError, match="asked again"):
        Workspace(tiny_ws).run("duties", theme="anti-trafficking")   # another question is not kept


def test_a_build_that_changes_the_graph_forgets_the_answers(tiny_ws, keep_all):
    ws = Workspace(tiny_ws)
    ws.build()
    assert len(Workspace(tiny_ws).run("duties")) == 2
    old = kept_files(tiny_ws)
    write_doc(tiny_ws, "t02", "绵阳市妇女儿童工作委员会成员单位职责\n市教育局：负责预防校园欺凌工作。\n",
              """\
              title: 绵阳市妇女儿童工作委员会成员单位职责
              jurisdiction: {name: 绵阳市, code: "510700", level: prefecture}
              body: 绵阳市妇女儿童工作委员会
              genres: [duty-list]
              """)
    ws.build()
    assert not any(f.exists() for f in old)   # the answers of the graph before are removed
    rows = Workspace(tiny_ws).run("duties")
    assert {r["agency"] for r in rows} == {"市公安局", "市民政局", "市教育局"}
    assert rows == Workspace(tiny_ws, cache=False).run("duties")
    assert not ws.build(check=True).changed   # kept answers are not part of the graph build writes


def test_a_build_removes_what_a_killed_reader_left_half_written(tiny_ws, keep_all):
    import subprocess
    import sys

    ws = Workspace(tiny_ws)
    ws.build()
    Workspace(tiny_ws).run("duties")
    [kept] = kept_files(tiny_ws)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    left = kept.with_name(f".{kept.name}.{dead}.tmp")
    left.write_bytes(b"half an answer")
    ws.build()   # nothing changed: the answers stay, the leftover goes
    assert kept.exists() and not left.exists()


def test_a_damaged_kept_answer_is_asked_of_the_store_again(tiny_ws, keep_all):
    Workspace(tiny_ws).build()
    truth = Workspace(tiny_ws, cache=False).run("duties")
    Workspace(tiny_ws).run("duties")
    [kept] = kept_files(tiny_ws)
    kept.write_bytes(b"\x00not an answer")
    assert Workspace(tiny_ws).run("duties") == truth
    assert Workspace(tiny_ws).run("duties") == truth   # and kept anew
    assert kept.read_bytes() != b"\x00not an answer"


@pytest.mark.parametrize("off", ["env", "argument", "command line"])
def test_answers_are_not_kept_when_turned_off(tiny_ws, keep_all, monkeypatch, capsys, off):
    Workspace(tiny_ws).build()
    if off == "env":
        monkeypatch.setenv("DUTYGRAPH_CACHE", "0")
    if off == "command line":
        assert main(["duties", "--no-cache", "--format", "json", "--workspace", str(tiny_ws)]) == 0
        assert "市公安局" in capsys.readouterr().out
    else:
        Workspace(tiny_ws, cache=off == "env").run("duties")
    assert kept_files(tiny_ws) == []
    assert main(["duties", "--format", "json", "--workspace", str(tiny_ws)]) == 0
    assert (kept_files(tiny_ws) == []) == (off == "env")   # without the flag, kept unless the environment says no


def test_an_answer_that_came_quickly_is_not_kept(tiny_ws, monkeypatch):
    monkeypatch.delenv("DUTYGRAPH_CACHE", raising=False)
    Workspace(tiny_ws).build()
    Workspace(tiny_ws).run("duties")   # milliseconds: asked again as quickly as it would be read back
    assert kept_files(tiny_ws) == []


def test_a_sessions_workers_answer_from_the_store_it_opened_after_a_build(tiny_ws, monkeypatch):
    """The worker processes that answer a query's parts keep the store the session opened: after a
    build puts another graph in its place, the session's answers are still its own graph's, from
    the workers (the session itself never asked the store for a part), while a new session reads
    the new graph."""
    import dutygraph.store as store

    Workspace(tiny_ws).build()
    session = Workspace(tiny_ws, threads=2, cache=False)
    before = session.run("duties")
    assert {r["agency"] for r in before} == {"市公安局", "市民政局"}
    write_doc(tiny_ws, "t02", "绵阳市妇女儿童工作委员会成员单位职责\n市教育局：负责预防校园欺凌工作。\n",
              """\
              title: 绵阳市妇女儿童工作委员会成员单位职责
              jurisdiction: {name: 绵阳市, code: "510700", level: prefecture}
              body: 绵阳市妇女儿童工作委员会
              genres: [duty-list]
              """)
    Workspace(tiny_ws).build()

    def not_here(_store, query):
        raise AssertionError("a part was answered by the session, not its workers")

    monkeypatch.setattr(store, "_tsv", not_here)
    assert session.run("duties") == before
    monkeypatch.undo()
    assert {r["agency"] for r in Workspace(tiny_ws, cache=False).run("duties")} == {"市公安局", "市民政局", "市教育局"}
