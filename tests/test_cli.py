"""The command line as a user meets it: exit codes, one-line errors, formats, and a graph/ that bad
input never touches."""
import io
import json
import os
import re
import shlex
import subprocess
import sys
import time

import pytest

from dutygraph.analysis import GAP_KINDS
from dutygraph.cli import EXAMPLES, LISTINGS, main, parser



def cli(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "dutygraph", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_build_then_check_then_read_as_json(tiny_ws):
    r = cli("build", "--workspace", str(tiny_ws))
    assert r.returncode == 0, r.stderr
    assert "documents      1" in r.stdout and "violations" in r.stdout
    assert cli("build", "--check", "--workspace", str(tiny_ws)).returncode == 0
    r = cli("duties", "--workspace", str(tiny_ws), "--format", "json")
    rows = json.loads(r.stdout)
    assert "成都市" in r.stdout and "\\u" not in r.stdout
    assert {(x["agency"], x["role"]) for x in rows} == {("市公安局", "lead"), ("市民政局", "holder")}
    lines = r.stdout.splitlines()   # one row a line, as sqlite-utils prints them: grep finds whole rows
    assert len(lines) == len(rows) and all(json.loads(line.strip("[], ")) in rows for line in lines)
    (tiny_ws / "corpus" / "t01.txt").write_text("成都市成员单位职责\n市财政局：保障经费。\n", encoding="utf-8")
    r = cli("build", "--check", "--workspace", str(tiny_ws))
    assert r.returncode == 1 and "differs" in r.stdout


def test_csv_and_table_formats(tiny_ws):
    assert cli("build", "--workspace", str(tiny_ws)).returncode == 0
    r = cli("duties", "--workspace", str(tiny_ws), "--format", "csv")
    assert r.stdout.splitlines()[0].startswith("jurisdiction,agency,agency_type,role,themes")
    r = cli("duties", "--workspace", str(tiny_ws))
    assert "(2 rows)" in r.stdout


def _edit(path, old, new, count=-1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.mark.parametrize("breakage,message", [
    (lambda d: (d / "t01.yaml").write_text("title: [unclosed", encoding="utf-8"), "malformed metadata"),
    (lambda d: (d / "t01.yaml").unlink(), "no metadata file"),
    (lambda d: (d / "t01.txt").write_text("", encoding="utf-8"), "empty"),
    (lambda d: (d / "t01.txt").write_bytes(b"\x00\x01\x02binary\x00"), "binary"),
    (lambda d: (d / "t01.txt").write_bytes("市公安局：打击拐卖。".encode("gb18030")), "not UTF-8"),
    (lambda d: (d / "t01.yaml").write_text("title: x\njurisdiction: {name: 成都市, code: '510100'}\ngenres: [poem]\n", encoding="utf-8"), "unknown genre"),
    (lambda d: (d / "t01.yaml").write_text("title: x\njurisdiction: {name: 不存在市}\ngenres: [duty-list]\n", encoding="utf-8"), "unknown jurisdiction"),
    # the store is loaded without checking IRIs again: a vocabulary's IRI or code that cannot be one
    # is refused when the vocabularies are read
    (lambda d: _edit(d.parent / "ontology" / "themes.ttl", 'skos:notation "anti-trafficking"', 'skos:notation "anti trafficking"'),
     "themes.ttl: the code 'anti trafficking' cannot end an IRI"),
    (lambda d: _edit(d.parent / "ontology" / "agency-types.ttl", "skos:inScheme", "<https://w3id.org/dutygraph/in|scheme>", 1),
     "agency-types.ttl: <https://w3id.org/dutygraph/in|scheme> is not a valid IRI"),
])
def test_bad_input_is_one_line_exit_1_and_graph_untouched(tiny_ws, breakage, message):
    assert cli("build", "--workspace", str(tiny_ws)).returncode == 0
    before = (tiny_ws / "graph" / "dutygraph.trig").read_bytes()
    breakage(tiny_ws / "corpus")
    r = cli("build", "--workspace", str(tiny_ws))
    assert r.returncode == 1
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert (tiny_ws / "graph" / "dutygraph.trig").read_bytes() == before
    assert not list((tiny_ws / "graph").glob(".*.tmp"))


def test_unknown_codes_and_places_are_user_errors(seed_ws, capsys):
    assert main(["duties", "--workspace", str(seed_ws.path), "--theme", "no-such-theme"]) == 1
    assert "unknown theme code 'no-such-theme'" in capsys.readouterr().err
    assert main(["duties", "--workspace", str(seed_ws.path), "--jurisdiction", "火星"]) == 1
    assert "unknown jurisdiction '火星'" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["duties", "--format", "xml"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(["no-such-command"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:   # one page or the other
        main(["viz", "--overview", "--coverage"])
    assert e.value.code == 2 and "not allowed with argument --overview" in capsys.readouterr().err


def test_a_gap_kind_not_known_is_a_usage_error_that_lists_the_kinds(capsys):
    """A mistyped --kind would otherwise filter every gap out and print no rows, as if there were none."""
    with pytest.raises(SystemExit) as e:
        main(["gaps", "--kind", "uncovered-themes"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "invalid choice: 'uncovered-themes'" in err and all(k in err for k in GAP_KINDS)


def test_each_command_s_help_gives_its_examples_and_the_listings_answer_on_the_seeds(seed_ws, monkeypatch, capsys):
    """Every command's --help shows examples; each must still parse (an option renamed, a code
    changed), and each example of a listing answers with rows on the seed graph, as a researcher
    trying it in the workspace would see."""
    monkeypatch.chdir(seed_ws.path)
    top = parser()
    commands = top._subparsers._group_actions[0].choices
    assert set(EXAMPLES) == set(commands)
    for name, examples in EXAMPLES.items():
        assert examples[0][0] in top.format_help() and all(line in commands[name].format_help() for line, _ in examples)
        for line, _what in examples:
            argv = shlex.split(line.partition(" > ")[0])[1:]
            args = top.parse_args(argv)
            if args.command not in LISTINGS or getattr(args, "endpoint", None):
                continue
            assert main(argv) == 0, (line, capsys.readouterr().err)
            out = capsys.readouterr().out
            assert out.strip() and "(no rows)" not in out and out.strip() != "[]", line


def test_read_command_without_a_graph_says_to_build(tmp_path, capsys):
    assert main(["duties", "--workspace", str(tmp_path)]) == 1
    assert "run 'dutygraph build' first" in capsys.readouterr().err


def test_damaged_graph_says_to_rebuild(tiny_ws, capsys):
    assert main(["build", "--workspace", str(tiny_ws)]) == 0
    (tiny_ws / "graph" / "dutygraph.trig").write_text("<broken", encoding="utf-8")
    capsys.readouterr()
    assert main(["duties", "--workspace", str(tiny_ws)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert main(["build", "--workspace", str(tiny_ws)]) == 0
    assert main(["duties", "--workspace", str(tiny_ws)]) == 0


def test_a_second_build_is_refused_while_one_runs(tiny_ws):
    lock = tiny_ws / "graph" / ".build.lock"
    lock.parent.mkdir(exist_ok=True)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock.write_text(str(sleeper.pid))
        r = cli("build", "--workspace", str(tiny_ws))
        assert r.returncode == 1 and "another build" in r.stderr
    finally:
        sleeper.kill()
        sleeper.wait()
    # a lock left by a dead process does not block
    assert cli("build", "--workspace", str(tiny_ws)).returncode == 0


def test_query_library_and_params(seed_ws, capsys):
    assert main(["query", "--list", "--workspace", str(seed_ws.path), "--format", "json"]) == 0
    names = {q["name"] for q in json.loads(capsys.readouterr().out)}
    assert {"duties", "tasks", "members", "laws", "validation"} <= names
    assert main(["query", "duties", "--workspace", str(seed_ws.path), "--param", "theme=child-labour",
                 "--param", "place=西安", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["jurisdiction"] for r in rows} == {"西安市"}


def test_parameters_cannot_inject_sparql(seed_ws, capsys):
    hostile = '"} ; DROP ALL ; { ?s ?p "'
    assert main(["query", "legal-bases", "--workspace", str(seed_ws.path), "--param", f"how={hostile}", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out or "[]") == []
    assert main(["query", "validation", "--workspace", str(seed_ws.path), "--param", f"only={hostile}"]) == 1
    assert "is not a severity (one of: Violation, Warning, Info)" in capsys.readouterr().err
    assert main(["duties", "--workspace", str(seed_ws.path), "--jurisdiction", hostile]) == 1
    assert len(seed_ws.duties()) > 300


def test_build_is_deterministic_across_hash_seeds(tiny_ws):
    assert cli("build", "--workspace", str(tiny_ws), env={"PYTHONHASHSEED": "1"}).returncode == 0
    first = (tiny_ws / "graph" / "dutygraph.trig").read_bytes()
    assert cli("build", "--check", "--workspace", str(tiny_ws), env={"PYTHONHASHSEED": "99"}).returncode == 0
    assert (tiny_ws / "graph" / "dutygraph.trig").read_bytes() == first


def test_a_table_joins_a_pdf_s_broken_lines_and_keeps_the_space_before_a_latin_word():
    """In a table cell, a line break beside Chinese text (a PDF's wrap) and the spaces between two
    Chinese characters go; a space between Chinese and an English word stays."""
    from dutygraph.output import table

    out = table([{"message": "妇工委 is a member of 协调组", "text": "指导困境儿童色情\n\n工作，指导 网络"}])
    assert "妇工委 is a member of 协调组" in out and "指导困境儿童色情工作，指导网络" in out


def test_a_table_lines_up_chinese_and_latin_text_and_clips_long_cells_to_their_width():
    """Chinese characters take two columns: the columns after them line up on a terminal, and a
    long cell is cut to its column's width with an ellipsis."""
    from dutygraph.output import table
    from dutygraph.text import display_width

    out = table([{"agency": "市民政局", "role": "lead", "text": "加强困境儿童保障工作，" * 5},
                 {"agency": "Civil Affairs Bureau", "role": "support", "text": "short"}])
    head, rule, *rows, count = out.splitlines()
    assert count == "(2 rows)"
    assert {display_width(line[:line.index(role)]) for line, role in zip(rows, ("lead", "support"))} == {22}
    assert rows[0].endswith("…") and 35 <= display_width(rows[0][rows[0].index("加强"):]) <= 36
    assert rows[1].endswith("short")


def test_a_table_cell_of_many_mentions_gives_each_wording_once_within_its_width_and_their_count():
    """A law of a national graph is cited thousands of times: its row in a table stays as wide as
    a row with two citations, each wording once (as many as fit), then how many there are."""
    from dutygraph.output import table
    from dutygraph.text import display_width

    forms = ["《中华人民共和国反家庭暴力法》", "《反家暴法》", "反家庭暴力法", "《反家庭暴力法》"]
    many = table([{"law": "中华人民共和国反家庭暴力法", "mentions": [{"text": forms[i % 4]} for i in range(5000)]}])
    two = table([{"law": "中华人民共和国反家庭暴力法", "mentions": [{"text": f} for f in forms[:2]]}])
    row = many.splitlines()[2]
    assert row.endswith("; … (5000)") and display_width(row[row.index("《"):]) <= 48
    assert row.count("《反家暴法》") == 1 and "《中华人民共和国反家庭…" in row
    assert two.splitlines()[2].endswith("《中华人民共和国反家庭…; 《反家暴法》 (2)")
    assert display_width(row) <= display_width(two.splitlines()[2]) + 8


@pytest.mark.parametrize("command", [
    ["export", "--format", "turtle", "--out", "{file}/graph.ttl"],
    ["export", "--format", "csv", "--out", "{file}"],
    ["viz", "--out", "{file}/page.html"],
    ["docs", "--out", "{file}/ontology.html"],
    ["synth", "--jurisdictions", "2", "--out", "{file}"],
])
def test_an_out_path_under_a_file_is_one_line_and_the_file_stays(tiny_ws, tmp_path, command):
    assert cli("build", "--workspace", str(tiny_ws)).returncode == 0
    file = tmp_path / "notes.txt"
    file.write_text("a researcher's notes", encoding="utf-8")
    r = cli(*[a.format(file=file) for a in command], "--workspace", str(tiny_ws))
    assert r.returncode == 1, r.stderr
    assert str(file) in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert file.read_text(encoding="utf-8") == "a researcher's notes"
    assert not list(tmp_path.glob(".*.tmp"))


def test_rdf_export_from_an_endpoint_is_refused_not_answered_from_the_local_graph(tiny_ws, capsys):
    assert main(["build", "--workspace", str(tiny_ws)]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "turtle", "--endpoint", "http://127.0.0.1:9/query", "--workspace", str(tiny_ws)]) == 1
    out = capsys.readouterr()
    assert out.out == "" and "writes the local graph" in out.err and len(out.err.strip().splitlines()) == 1


@pytest.mark.parametrize("args,message", [
    (["duties", "--timeout", "-1"], "not a number of seconds above 0"),
    (["load", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "0"], "not a number of seconds above 0"),
    (["serve", "--port", "99999"], "is not a port"),
])
def test_a_timeout_or_port_out_of_range_is_a_usage_error(args, message, capsys):
    with pytest.raises(SystemExit) as e:
        main(args)
    assert e.value.code == 2 and message in capsys.readouterr().err


def test_serve_on_a_port_in_use_is_one_line_before_any_banner(tiny_ws):
    import socket

    assert cli("build", "--workspace", str(tiny_ws)).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = cli("serve", "--port", str(port), "--workspace", str(tiny_ws))
    assert r.returncode == 1 and r.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_workspace_copy_of_a_query_older_than_the_library_is_one_clear_error(tiny_ws, capsys):
    """A workspace's own copy of queries/ (``synth`` wrote one until 0.26) does not follow an upgrade:
    a copy that lacks a column the code reads is named in one line with what to do; a query the
    workspace lacks is the library's; and the user's own query runs as written."""
    assert main(["build", "--workspace", str(tiny_ws)]) == 0
    own = tiny_ws / "queries" / "tasks.rq"
    text = own.read_text(encoding="utf-8")
    older = text.replace(" ?jurisdiction_iri ?number", " ?number").replace("BIND(?j AS ?jurisdiction_iri)", "")
    assert older != text
    own.write_text(older, encoding="utf-8")
    capsys.readouterr()
    assert main(["tasks", "--workspace", str(tiny_ws)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "queries/tasks.rq is older than dutygraph" in err
    assert "gives no jurisdiction_iri" in err and "Copy " in err and "Traceback" not in err
    assert main(["query", "tasks", "--workspace", str(tiny_ws), "--format", "json"]) == 0   # as the user wrote it
    (tiny_ws / "queries" / "suggestions.rq").unlink()
    assert main(["gaps", "--workspace", str(tiny_ws), "--format", "json"]) == 0              # the library's
    own.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["tasks", "--workspace", str(tiny_ws), "--format", "json"]) == 0


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_long_answer_says_on_a_terminal_what_it_waits_for(monkeypatch):
    from dutygraph.output import waiting

    monkeypatch.delenv("DUTYGRAPH_PROGRESS", raising=False)
    term = _Terminal()
    with waiting("dutygraph duties: asking the store", term, after=0.05):
        deadline = time.monotonic() + 10
        while term.getvalue().count("\r") < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    text = term.getvalue()
    ticks = re.findall(r"\rdutygraph duties: asking the store … (\d+) s", text)   # each second, counted
    assert len(ticks) >= 2 and int(ticks[1]) > int(ticks[0])
    assert text.endswith("\r") and text.rsplit("\r", 2)[-2].strip() == ""   # cleared when the answer came
    quick = _Terminal()
    with waiting("x", quick, after=5):
        pass
    assert quick.getvalue() == ""
    for stream, env in ((io.StringIO(), "1"), (_Terminal(), "0")):   # a pipe or a file; switched off
        monkeypatch.setenv("DUTYGRAPH_PROGRESS", env)
        with waiting("x", stream, after=0):
            time.sleep(0.1)
        assert stream.getvalue() == ""
