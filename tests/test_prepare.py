"""`prepare`: the country's listings asked once after a build, so that whoever asks one next reads
its kept answer instead of waiting for the store."""
from __future__ import annotations

import json

import pytest

from dutygraph import Workspace
from dutygraph.cli import main
from dutygraph.prepare import asks
from dutygraph.store import LocalStore

# listings a researcher asks of the whole graph, each reading only national listings
NATIONAL = [["duties"], ["duties", "--theme", "anti-trafficking"], ["duties", "--target-group", "children"],
            ["duties", "--agency-type", "civil-affairs"], ["gaps"], ["laws"], ["tasks"], ["members"],
            ["validate"], ["validate", "--severity", "Warning"], ["network", "--kind", "shared-theme"],
            ["network"], ["query", "units-sharing-theme"], ["query", "type-theme-use", "--param", "theme=child-welfare"]]


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_prepare_asks_each_library_query_of_the_country_and_each_value_of_its_vocabulary_parameters(seed_ws):
    commands = {a.command for a in asks(seed_ws)}
    assert {f"query {name}" for name in seed_ws.library} <= commands
    themes, groups = seed_ws.vocab.scheme("theme").labels, seed_ws.vocab.scheme("target-group").labels
    types = seed_ws.vocab.scheme("agency-type").labels
    assert {f"query duties --param theme={t}" for t in themes} <= commands
    assert {f"query units-sharing-theme --param theme={t}" for t in themes} <= commands
    assert {f"query agency-type-duties --param unit_type={t}" for t in types} <= commands
    assert {f"duties --target-group {g}" for g in groups} <= commands   # with the bases of the duties found
    assert {f"query validation --param only={s}" for s in ("Violation", "Warning", "Info")} <= commands
    assert not [c for c in commands if "place=" in c or "--jurisdiction" in c]   # one place's: quick to ask


def test_after_prepare_the_country_s_listings_are_read_back_not_asked(tiny_ws, capsys, monkeypatch):
    """Every answer prepare asks for is kept, the quick ones too (here all take milliseconds): a
    command that reads only national listings then never opens a worker or waits on the store."""
    monkeypatch.delenv("DUTYGRAPH_CACHE", raising=False)
    Workspace(tiny_ws).build()
    ws = ["--workspace", str(tiny_ws), "--format", "json"]
    truth = {}
    for argv in NATIONAL:
        code, out, _err = cli(capsys, *argv, *ws, "--no-cache")
        assert code == 0
        truth[tuple(argv)] = out
    code, out, err = cli(capsys, "prepare", *ws)
    assert code == 0
    rows = json.loads(out)
    assert {"dutygraph duties --theme anti-trafficking", "dutygraph query gap-facts"} <= {r["command"] for r in rows}
    assert all(r["rows"] >= 0 and r["seconds"] >= 0 for r in rows)
    assert sum(r["kept"] for r in rows) > 0 and "answers kept for this graph" in err

    same = Workspace(tiny_ws)
    same.prepare()
    same.duties(jurisdiction=["成都"])   # asked after prepare by the same workspace: quick, so not kept

    def no_store(*_a, **_k):
        raise AssertionError("the store was asked")

    monkeypatch.setattr(LocalStore, "_select", no_store)
    monkeypatch.setattr(LocalStore, "_asked_of_workers", no_store)
    for argv in NATIONAL:
        code, out, _err = cli(capsys, *argv, *ws)
        assert (code, out) == (0, truth[tuple(argv)]), argv
    with pytest.raises(AssertionError, match="the store was asked"):   # one place's listing was left to be asked
        Workspace(tiny_ws).duties(jurisdiction=["成都"])


def test_prepare_says_in_one_line_why_it_cannot_keep_answers(tiny_ws, capsys, monkeypatch):
    monkeypatch.delenv("DUTYGRAPH_CACHE", raising=False)
    code, _out, err = cli(capsys, "prepare", "--workspace", str(tiny_ws))
    assert code == 1 and err.count("\n") == 1 and "build" in err   # no graph yet
    Workspace(tiny_ws).build()
    (tiny_ws / "graph" / "answers").write_text("a file where the answers' directory goes")
    code, _out, err = cli(capsys, "prepare", "--workspace", str(tiny_ws))
    assert code == 1 and err.count("\n") == 1 and "answers cannot be kept" in err
    (tiny_ws / "graph" / "answers").unlink()
    monkeypatch.setenv("DUTYGRAPH_CACHE", "0")
    code, _out, err = cli(capsys, "prepare", "--workspace", str(tiny_ws))
    assert code == 1 and err.count("\n") == 1 and "not kept" in err
    assert not (tiny_ws / "graph" / "answers").exists()
