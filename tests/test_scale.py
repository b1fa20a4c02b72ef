"""The national-scale machinery: synthetic corpora, the parallel build, the SHACL engine."""
from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from dutygraph import Workspace, build, corpus as corpus_mod, statistics, trig, validate
from dutygraph.analysis import gaps
from dutygraph.evaluation import evaluation_set
from dutygraph.namespaces import DG, OA, QB, SDMX_DIMENSION, SH, Namespace

DGS = Namespace("https://w3id.org/dutygraph/shapes#")
from dutygraph.vocab import ontology_dir

from conftest import ROOT, synth_corpus as synth


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Workspace:
    ws = Workspace(synth(tmp_path_factory.mktemp("synth") / "ws"))
    ws.build()
    return ws


def test_synth_is_reproducible_and_covers_the_genres(tmp_path):
    a, b = synth(tmp_path / "a"), synth(tmp_path / "b")
    files = sorted(str(p.relative_to(a)) for d in ("corpus", "gold") for p in (a / d).iterdir())
    assert files == sorted(str(p.relative_to(b)) for d in ("corpus", "gold") for p in (b / d).iterdir())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    genres = "".join(p.read_text(encoding="utf-8") for p in (a / "corpus").glob("*.yaml"))
    for g in ("duty-list", "task-division", "roster", "mechanism", "speech"):
        assert f"- {g}" in genres
    assert (a / "ontology" / "dutygraph.ttl").is_file() and not (a / "queries").exists()   # the library's queries, not a copy
    other = synth(tmp_path / "c", seed=4)
    assert sorted(str(p.relative_to(other)) for p in (other / "corpus").iterdir()) != files or any(
        (other / f).read_bytes() != (a / f).read_bytes() for f in files)


def test_a_synthetic_unit_is_named_as_a_unit_of_its_place_is(national):
    """The units synth names are its types' alternative labels after the place's prefix (县财政局,
    市团委): never a ministry's name, a supreme or a high court's, or a name with another level written
    in (县财政部, 县最高人民检察院, 市团县委), which the vocabularies keep as hidden labels; a speech's
    department in general (公安部门) is written as it is."""
    scheme = national.vocab.scheme("agency-type")
    units = Counter()
    for p in sorted((national.path / "gold").glob("*.yaml")):
        gold = yaml.safe_load(p.read_text(encoding="utf-8"))
        units.update((name, code, gold["genre"]) for name, code in gold["units"])
    assert sum(units.values()) > 500
    for name, code, genre in units:
        local = name[1:] in scheme.names.get(code, []) and name[0] in "市县区"
        assert local or code == "government" or (genre == "speech" and name.endswith("部门")), name
    hidden = {e.label for e in scheme.entries} - {n for names in scheme.names.values() for n in names}
    assert {"财政部", "最高人民检察院", "团县委"} <= hidden


def test_a_synthetic_duty_reads_as_its_themes_examples_and_is_tagged_with_them(national):
    """synth words each duty with the examples of one theme or two (skos:example: 依法打击拐卖妇女儿童
    违法犯罪活动, not 完善妇女强奸工作), so every duty read back is such examples in a row, after its
    holder and before a task's target or a citation (a PDF's line breaks and page numbers aside), and
    carries the theme of each."""
    examples = {x: code for code, xs in national.vocab.scheme("theme").examples.items() for x in xs}
    written = "|".join(re.escape(x) for x in sorted(examples, key=len, reverse=True))
    added = r"(?:，(?:贯彻落实|依据|宣传普及)《[^》]+》(?:开展工作)?)?(?:，(?:确保取得实效|到\d{4}年覆盖率达到\d+%))?"
    shape = re.compile(f"(?:[^要]*要)?((?:{written})(?:，(?:{written}))*){added}[。；;]?")
    duties = national.run("duties")
    assert len(duties) > 500
    for r in duties:
        text = re.sub(r"\s+", "", re.sub(r"\n\s*\d+\s*\n", "\n", r["text"]))   # a PDF's lines, page numbers
        m = shape.fullmatch(text)
        assert m, r["text"]
        said = {examples[x] for x in re.findall(written, m.group(1))}
        assert said <= set(r["themes"]), (r["text"], r["themes"])


def test_each_theme_has_examples_that_read_as_a_duty_of_it_naming_no_unit(vocab):
    """A theme's examples are what synth writes its duties from: each must be tagged with its theme
    and name no unit, or a synthetic duty would be read as another's or cut at a name; nor may it
    hold 要, which ends a speech's subject (县公安局要…)."""
    from dutygraph.jurisdictions import Jurisdiction
    from dutygraph.pipeline.matchers import Context

    ctx = Context(vocab, Jurisdiction("441900", "东莞市", "prefecture"), ())
    themes = vocab.scheme("theme")
    assert set(themes.examples) == {c for c in themes.labels if themes.top(c) == c}
    for code, examples in themes.examples.items():
        for x in examples:
            assert code in ctx.themes.codes(x) and not ctx.units.find(x) and "要" not in x, (code, x)


def test_each_agency_type_names_the_themes_its_units_usually_hold(vocab):
    """dg:usualTheme ties each agency type to the themes its units usually hold duties on, what synth
    draws a unit's duties from: every type has some, each a theme of the vocabulary (a mistyped IRI
    is none), and every theme is some type's."""
    types, themes = vocab.scheme("agency-type"), vocab.scheme("theme")
    assert set(types.usual_themes) == {c for c in types.labels if types.top(c) == c}
    assert {t for ts in types.usual_themes.values() for t in ts} == {c for c in themes.labels if themes.top(c) == c}


def test_a_synthetic_unit_holds_mostly_its_types_usual_themes_and_cites_laws_about_them(national):
    """As real divisions of duties read, a synthetic unit's own duties are mostly on the themes its
    type usually holds (a 县财政局 funds, a 县公安局 fights trafficking): read back, most duties a
    typed unit holds or leads carry one, where themes given at random carry one in about thirteen;
    and a law a duty cites is about one of the duty's themes (eli:is_about)."""
    types = national.vocab.scheme("agency-type")
    duties = national.run("duties")
    own = [set(r["themes"]) & set(types.usual_themes[types.top(r["agency_type"])])
           for r in duties if r["agency_type"] and r["role"] in ("holder", "lead")]
    assert len(own) > 500 and sum(map(bool, own)) / len(own) > 0.5
    about = {i.title: set(i.themes) for i in national.vocab.instruments.values()}
    cited = [(law, r["themes"]) for r in duties for law in r["laws"]]
    assert len(cited) > 50 and all(about[law] & set(themes) for law, themes in cited), cited


def test_synth_refuses_a_vocabulary_whose_themes_give_no_examples(tmp_path):
    """A workspace's own vocabularies without the themes' examples leave synth nothing to word a
    duty from: one line that says so, a non-zero exit, and nothing written."""
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "ontology", ws / "ontology")
    themes = ws / "ontology" / "themes.ttl"
    themes.write_text("".join(line for line in themes.read_text(encoding="utf-8").splitlines(keepends=True)
                              if not line.lstrip().startswith("skos:example")), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "dutygraph", "synth", "--workspace", str(ws), "--jurisdictions", "3",
                        "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert r.returncode != 0 and "skos:example" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()


LAYOUTS = {"duty-list": {"colon", "ascii-colon", "gap", "numbered", "unit above its duties", "PDF lines"},
           "task-division": {"full-width brackets", "ascii brackets", "labelled lines"},
           "roster": {"label on the first line", "bracketed titles", "table flattened to a cell a line"},
           "mechanism": {"mechanism headings", "mechanism named in its paragraph"},
           "speech": {"points in one paragraph", "web page"}}


def test_a_synthetic_corpus_is_read_as_it_was_written(tmp_path):
    """Beside each document synth writes what it holds, in the evaluation set's form: each document
    ingested with its genres detected, every unit, member and task of every layout is read."""
    ws = synth(tmp_path / "ws", n=40, seed=5)
    golds = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ws / "gold").glob("*.yaml"))]
    assert len(golds) == len(list((ws / "corpus").glob("*.txt")))
    for genre, layouts in LAYOUTS.items():
        written = {part for g in golds if g["genre"] == genre for part in g["layout"].split(", ")}
        assert written == layouts, genre
    rows = {(r["genre"], r["what"]): r for r in evaluation_set(ws / "gold", tmp_path / "read")["rows"]}
    for what, least in (("units", 1500), ("members", 500), ("tasks", 200)):
        r = rows[("all", what)]
        assert r["tp"] >= least and r["fp"] == r["fn"] == 0, r
    # a web page printing a speech twice: each duty once, quoted where it is first printed
    read = Workspace(tmp_path / "read")
    duties = read.duties()
    texts = {s: (read.path / s).read_text(encoding="utf-8") for s in {r["source"] for r in duties}}
    pages = {}
    for row in duties:
        text = texts[row["source"]]
        if "## 妇女儿童工作会议讲话篇二" in text:
            pages.setdefault(row["source"], []).append(int(row["start"]) < text.index("共2页"))
    assert pages and all(all(first) for first in pages.values()), pages


def test_a_synthetic_corpus_reads_back_units_tasks_members_and_laws(national):
    summary = national.build()
    assert summary.documents >= 24 and summary.tasks and summary.memberships
    laws = national.run("laws")
    assert len({r["law_iri"] for r in laws}) > 3
    # citations are drawn from the register, but for each place's own programme, which its task
    # division and its mechanism both carry out: one instrument, each citation of it once
    plans = Counter(r["law"] for r in laws if r["registered"] not in (True, "true"))
    assert plans and all(law.endswith("妇女儿童发展规划") for law in plans)
    corpus = "".join(p.read_text(encoding="utf-8") for p in sorted((national.path / "corpus").glob("*.txt")))
    assert all(n == corpus.count(f"《{law}（2021-2030年）》") >= 2 for law, n in plans.items()), plans
    for r in laws[:50]:
        text = (national.path / r["source"]).read_text(encoding="utf-8")
        assert text[int(r["start"]):int(r["end"])] == r["text"]
    assert national.run("tasks") and national.run("members")


def test_a_synthetic_mechanism_keeps_its_division_of_duties_and_the_duty_that_lost_its_unit(national):
    """Each synthetic mechanism text ends with its members' duties and a paragraph that names no unit:
    the units hold theirs, and that paragraph is a gap, quoted at its offsets, with suggestions."""
    mechanisms = [p.with_suffix(".txt") for p in sorted((national.path / "corpus").glob("*.yaml"))
                  if "- mechanism" in p.read_text(encoding="utf-8")]
    orphans = {r["source"]: r for r in gaps(national) if r["kind"] == "unattributed-duty"}
    duties = national.run("duties")
    assert mechanisms
    for path in mechanisms:
        source = f"corpus/{path.name}"
        lines = path.read_text(encoding="utf-8").splitlines()
        division = lines[lines.index("二、职责分工") + 1:]
        held = {(r["agency"], r["text"]) for r in duties if r["source"] == source and r["agency"]}
        for line in division[:-1]:
            unit, _, words = line.partition("：")
            assert (unit, words) in held
        orphan = orphans[source]
        assert orphan["text"] == division[-1] and orphan["suggestions"]
        assert path.read_text(encoding="utf-8")[orphan["start"]:orphan["end"]] == division[-1]


def _rows(rows) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False, default=str) for r in rows)


def test_a_parameter_narrows_the_answer_to_exactly_its_rows(national):
    """The library queries start from what a parameter names (a theme's duties, a place's documents, a
    severity's findings) and take the whole graph when it is not given: both ways give the same rows."""
    every = national.run("duties")
    theme = Counter(t for r in every for t in r["themes"]).most_common(1)[0][0]
    assert _rows(national.run("duties", theme=[theme])) == _rows(r for r in every if theme in r["themes"])
    place = Counter(r["jurisdiction"] for r in every).most_common(1)[0][0]
    under = {j["name"] for j in national.run("jurisdictions") if j["parent_name"] == place} | {place}
    here = national.run("duties", place=place)
    assert here and _rows(here) == _rows(r for r in every if r["jurisdiction"] in under)
    both = national.run("duties", theme=[theme], place=place)
    assert _rows(both) == _rows(r for r in here if theme in r["themes"])
    # a unit type keeps its units' rows (a duty without a unit is none of its), a target group its duties
    assert any(not r["agency"] for r in every)
    # the commonest type and group among the theme's duties in the place, so each of the three has some
    unit_type = Counter(r["agency_type"] for r in both if r["agency_type"]).most_common(1)[0][0]
    group = Counter(g for r in both for g in r["target_groups"]).most_common(1)[0][0]
    for rows, where in ((every, {}), (here, {"place": place}), (both, {"theme": [theme], "place": place})):
        typed = national.run("duties", unit_type=[unit_type], **where)
        assert typed and _rows(typed) == _rows(r for r in rows if r["agency_type"] == unit_type)
        served = national.run("duties", target_group=[group], **where)
        assert served and _rows(served) == _rows(r for r in rows if group in r["target_groups"])
    laws, local = national.run("laws"), national.run("laws", place=place)
    assert local and set(_rows(local)) < set(_rows(laws))
    facts = national.run("gap-facts")
    facts_here = national.run("gap-facts", place=place)
    assert facts_here and _rows(facts_here) == _rows(r for r in facts if r["jurisdiction"] in under)
    assert {r["jurisdiction"] for r in facts} > under
    # the types' themes, counted for the place (and those under it) and for the country, from the rows of duties
    for rows, where in ((every, {}), (here, {"place": place}), (both, {"theme": [theme], "place": place})):
        held: dict[tuple, tuple[set, set]] = defaultdict(lambda: (set(), set()))
        for r in rows:
            for code in r["themes"] if r["agency_type"] else ():
                if "theme" not in where or code in (theme,):
                    held[r["agency_type"], code][0].add(r["jurisdiction_iri"])
                    held[r["agency_type"], code][1].add(r["agency_iri"])
        counted = {key: (len(js), len(units)) for key, (js, units) in held.items()}
        read = {(r["agency_type"], r["theme_code"]): (r["places"], r["units"]) for r in national.run("type-theme-use", **where)}
        assert read and read == counted
    findings = national.run("validation")
    for severity in ("Violation", "Warning", "Info"):
        assert _rows(national.run("validation", only=[severity])) == _rows(r for r in findings if r["severity"] == severity)


def test_national_aggregates_agree_with_their_one_place_answers_and_with_the_rows(national):
    """theme-counts and law-use have two ways to their rows (a place's duties looked up one by one; the
    country's properties hash-joined): each gives what the other does, and what the rows say."""
    places = {j["name"] for j in national.run("jurisdictions")}
    place = Counter(r["jurisdiction"] for r in national.run("duties")).most_common(1)[0][0]
    iri = national.jurisdiction_iri(place)
    under = {j["jurisdiction_iri"] for j in national.run("jurisdictions") if iri in (j["parent"], j["jurisdiction_iri"])}
    counts = national.run("theme-counts")
    assert {r["jurisdiction"] for r in counts} <= places and len(counts) > 20
    assert _rows(national.run("theme-counts", place=place)) == _rows(r for r in counts if r["jurisdiction_iri"] in under)
    for where in ((), (place,)):
        bases = national.run("legal-bases", place=list(where))
        use = {r["law"]: r for r in national.run("law-use", place=list(where))}
        for how in ("stated", "inferred"):
            held = Counter(r["law"] for r in bases if r["how"] == how)
            assert held and {law: u[f"duties_{how}"] for law, u in use.items() if u[f"duties_{how}"]} == dict(held)


def test_membership_gaps_are_what_the_duties_and_the_member_lists_say(national, seed_ws):
    """A member unit holding no duty of its place, and a unit holding one in a place that lists its
    member units without it (at the first duty it holds there), are what `duties` and the member
    lists say: on a synthetic country with both, and on the seeds; for the country and for a place."""
    for ws in (national, seed_ws):
        facts, duties = ws.run("gap-facts"), ws.run("duties")
        holders, first = defaultdict(set), {}
        for d in sorted((d for d in duties if d["agency_iri"] and "/agency/" in d["agency_iri"]),
                        key=lambda d: (d["source"], d["start"], d["agency"])):
            holders[d["jurisdiction"]].add(d["agency_iri"])
            first.setdefault((d["jurisdiction"], d["agency_iri"]), (d["source"], d["start"], d["end"]))
        members = defaultdict(set)
        for f in facts:
            members[f["jurisdiction"]].add(f["agency_iri"])
        not_members = {key: span for key, span in first.items() if members[key[0]] and key[1] not in members[key[0]]}
        idle = Counter((j, iri) for j, iri, _body in {(f["jurisdiction"], f["agency_iri"], f["body"])
                                                      for f in facts if f["agency_iri"] not in holders[f["jurisdiction"]]})
        found = gaps(ws)
        assert {(g["jurisdiction"], g["subject"]): (g["source"], g["start"], g["end"])
                for g in found if g["kind"] == "holder-not-member"} == not_members
        assert Counter((g["jurisdiction"], g["subject"]) for g in found if g["kind"] == "member-without-duty") == idle
        assert (ws is seed_ws) or (not_members and idle)   # the synthetic country has both
        place = next(iter(sorted(p for p, _ in not_members)), None) or "东莞"
        assert [g for g in gaps(ws, [place]) if g["kind"] in ("holder-not-member", "member-without-duty")] == [
            g for g in found if g["kind"] in ("holder-not-member", "member-without-duty") and g["jurisdiction"] == place]


def test_the_statistics_the_build_writes_are_what_the_duties_say(national, seed_ws):
    """The country's law-use, theme-counts and laws-by-unit read the statistics the build wrote
    (Data Cube observations per instrument, per place and theme, per instrument, place and unit)
    and laws-not-carried-out the citations it marked: the same rows as counting the duties, bases
    and mentions themselves (tests/queries/*-counted.rq, which the queries were before), on the
    synthetic country and on the seeds; each observation has one value per component of its data
    set's structure, as the ontology declares it."""
    counted = Path(__file__).parent / "queries"
    for ws in (national, seed_ws):
        marked = ws.run("laws-not-carried-out")
        assert marked and marked == ws.query(str(counted / "laws-not-carried-out-counted.rq"))

    def rows(result):
        return sorted((r["law_iri"], r["duties_stated"], r["duties_inferred"], tuple(sorted(r["documents"])),
                       tuple(sorted(r["units"]))) for r in result)

    for ws in (national, seed_ws):
        read = rows(ws.run("law-use"))
        assert read == rows(ws.query(str(counted / "law-use-counted.rq")))
        assert sum(r[1] for r in read) > 0 and sum(r[2] for r in read) > 0 and any(r[3] for r in read) and any(r[4] for r in read)
        # the country's duties per place and theme, and the units stating each law per place
        for name in ("theme-counts", "laws-by-unit", "type-theme-use"):
            read = ws.run(name)
            assert len(read) > 5 and read == ws.query(str(counted / f"{name}-counted.rq"))
    assert any(r["agency"] is None for r in seed_ws.run("laws-by-unit"))   # duties that name no unit keep a row
    ds = Dataset().parse(national.graph_file, format="trig")
    stats, onto = ds.graph(build.graph_iri("statistics")), ds.graph(build.graph_iri("ontology"))
    components = {}   # data set -> the properties its structure's components name
    for data_set, structure in stats.subject_objects(QB.structure):
        components[data_set] = {p for c in onto.objects(structure, QB.component)
                                for p in (*onto.objects(c, QB.dimension), *onto.objects(c, QB.measure))}
    assert components == {statistics.LAW_USE: {DG.law, DG.statedDuties, DG.inferredDuties},
                          statistics.THEME_USE: {SDMX_DIMENSION.refArea, DG.refTheme, DG.dutyCount, DG.unitCount},
                          statistics.LAW_UNIT_USE: {DG.law, SDMX_DIMENSION.refArea, DG.refUnit, DG.statedDuties},
                          statistics.TYPE_THEME_USE: {DG.refAgencyType, DG.refTheme, DG.placeCount, DG.unitCount}}
    seen = Counter()
    for obs in set(stats.subjects(RDF.type, QB.Observation)):
        (data_set,) = stats.objects(obs, QB.dataSet)
        seen[data_set] += 1
        for p in components[data_set]:
            assert len(list(stats.objects(obs, p))) == 1
    assert set(seen) == set(components)


def test_the_parallel_build_writes_the_same_bytes_as_one_process(national, tmp_path, monkeypatch):
    """Documents in two workers, and the cross-document shapes split between two processes by
    unit (each with a unit's stand-ins, every place and concept): the same bytes as one process."""
    one, two, split = tmp_path / "one.trig", tmp_path / "two.trig", tmp_path / "split.trig"
    assert len(corpus_mod.document_paths(national.path)) >= build.PARALLEL_FROM
    build.compile_to(national.path, one, workers=1)
    build.compile_to(national.path, two, workers=2)
    monkeypatch.setattr(build, "SHARED_PARALLEL_FROM", 1)
    build.compile_to(national.path, split, workers=2)
    assert one.read_bytes() == two.read_bytes() == split.read_bytes() == (national.path / "graph" / "dutygraph.trig").read_bytes()
    findings = Dataset().parse(one, format="trig").graph(build.graph_iri("validation"))
    shared = {DGS.MemberUnitDuty, DGS.MemberUnitRepresentative}
    assert len({f for f, s in findings.subject_objects(SH.sourceShape) if s in shared}) > 10   # the split has work to do


def test_the_rust_engine_finds_what_pyshacl_finds(seed_ws):
    """pyshacl-turbo (the build's engine, given the graph or the TriG lines the build writes) and
    pySHACL agree on the seeds' document graphs, whole and damaged (triples dropped, wrong values
    added), so the speed costs no finding."""
    d = ontology_dir(seed_ws.path)
    shapes = Graph().parse(d / "shapes.ttl")
    onto = Graph().parse(d / "dutygraph.ttl")
    turbo, plain = validate.Shapes(shapes, onto, "turbo"), validate.Shapes(shapes, onto, "pyshacl")
    ds = Dataset()
    ds.parse(seed_ws.graph_file, format="trig")
    docs = [ds.graph(c.identifier) for c in ds.graphs() if "/graph/0" in str(c.identifier)]
    assert len(docs) == 5
    rng = random.Random(7)
    checked = 0
    for g in docs:
        for damage in (0.0, 0.05, 0.2):
            copy = Graph()
            for t in g:
                if rng.random() >= damage:
                    copy.add(t)
            for s, p, _o in rng.sample(sorted(copy), 5) if damage else []:
                copy.add((s, p, Literal("x")))
            a, b = Graph(), Graph()
            a += copy
            b += copy
            found_turbo = turbo.validate(a)
            found_plain = plain.validate(b)
            assert set(found_turbo) == set(found_plain)
            # the build's way: the lines it writes, parsed by pyshacl-turbo itself
            assert set(turbo.validate_lines(trig.lines(copy))) == set(found_plain)
            checked += len(set(found_turbo.subjects(RDF.type, DG.ValidationFinding)))
    assert checked > 100   # the damage was seen


def test_the_shapes_are_given_only_the_predicates_they_can_read(seed_ws):
    """The build hands SHACL only the triples whose predicate a shape can read: those of its paths
    (a sequence's steps, an inverse path), rdf:type and rdfs:subClassOf; a closed shape or SPARQL
    reads every predicate, and then nothing is left out."""
    from rdflib.namespace import RDFS

    from dutygraph.namespaces import ELI

    d = ontology_dir(seed_ws.path)
    read = validate.predicates_read(Graph().parse(d / "shapes.ttl"))
    assert {RDF.type, RDFS.subClassOf, DG.span, OA.start, OA.end, ELI.type_document} <= read   # type_document: a sequence's step
    assert not {OA.exact, RDFS.label, DG.cleanText, DG.theme} & read
    assert DG.memberUnitOf in validate.predicates_read(Graph().parse(d / "shapes-shared.ttl"))   # an inverse path
    closed = Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:closed true ; sh:property [ sh:path <urn:p> ] .""", format="turtle")
    assert validate.predicates_read(closed) is None
    # a triple the shapes cannot read is left out and changes nothing; one they read is kept and found
    shapes = validate.Shapes(Graph().parse(data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:maxCount 1 ] .""", format="turtle"), Graph())
    x, p, q = URIRef("urn:x"), URIRef("urn:p"), URIRef("urn:q")
    one = [trig.line(x, RDF.type, URIRef("urn:C")), trig.line(x, p, Literal("a"))]
    assert len(shapes.validate_lines(one)) == 0
    assert len(shapes.validate_lines(one + [trig.line(x, q, Literal(n)) for n in range(3)])) == 0
    found = shapes.validate_lines(one + [trig.line(x, p, Literal("b"))])
    assert len(set(found.subjects(RDF.type, DG.ValidationFinding))) == 1


def test_a_span_that_does_not_quote_its_source_stops_the_build(seed_ws):
    """The offset check reads the graph as the writer left it: one quote changed is caught."""
    ds = Dataset()
    ds.parse(seed_ws.graph_file, format="trig")
    g = next(ds.graph(c.identifier) for c in ds.graphs() if "/graph/000" in str(c.identifier))
    doc = next(o for o in g.objects(None, OA.hasSource))
    text = (seed_ws.path / str(g.value(doc, DG.path))).read_text(encoding="utf-8")
    copy = Graph()
    copy += g
    validate.check_offsets(copy, {doc: text})   # as built: every quote is the text at its offsets
    quote, exact = next((q, e) for q, e in copy.subject_objects(OA.exact) if len(str(e)) > 1)
    copy.set((quote, OA.exact, Literal(str(exact)[1:] + str(exact)[0])))
    with pytest.raises(validate.DutygraphError, match="does not quote its source"):
        validate.check_offsets(copy, {doc: text})


def test_an_unknown_engine_is_a_user_error():
    with pytest.raises(validate.DutygraphError):
        validate.Shapes(Graph(), Graph(), "fast")


def _quads_of(source) -> tuple[set[str], int]:
    """The quads, those with blank nodes (which a load renames) only counted."""
    quads = [str(q) for q in source]
    return {q for q in quads if "_:" not in q}, sum("_:" in q for q in quads)


def test_the_store_holds_exactly_the_graph_file_after_a_build_and_a_changed_rebuild(national, tmp_path):
    """The store is filled while the build writes the TriG (everything but the findings as the
    workers' graphs arrive, the findings after): it must end up with every quad of the TriG, no
    more, also after a document changes, and an unchanged rebuild leaves it alone."""
    import pyoxigraph as ox

    ws = Workspace(shutil.copytree(national.path, tmp_path / "ws", ignore=shutil.ignore_patterns("store")))
    ws.build()
    graph = ws.path / "graph"

    def same_as_file():   # as the whole file loaded at once (Oxigraph stores xsd:nonNegativeInteger as xsd:integer)
        whole = ox.Store()
        whole.bulk_load(path=str(graph / "dutygraph.trig"), format=ox.RdfFormat.TRIG)
        store = ox.Store.read_only(str(graph / "store"))
        try:
            return len(store) > 1000 and _quads_of(store) == _quads_of(whole)
        finally:
            del store

    assert same_as_file() and "head " in (graph / "store" / "SOURCE").read_text()
    first = (graph / "store" / "SOURCE").stat().st_mtime_ns
    ws.build()
    assert (graph / "store" / "SOURCE").stat().st_mtime_ns == first   # unchanged: not loaded again
    source = (graph / "store" / "SOURCE").read_text()
    (graph / "store" / "SOURCE").write_text(source.splitlines()[0] + "\n")   # as an older build wrote it
    inode = (graph / "store").stat().st_ino   # a load fills a new directory and swaps it in
    ws.build()   # still current: it learns its head's digest and is not loaded again
    assert (graph / "store" / "SOURCE").read_text() == source and (graph / "store").stat().st_ino == inode
    first = (graph / "store" / "SOURCE").stat().st_mtime_ns
    doc = sorted((ws.path / "corpus").glob("*.txt"))[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace("。", "；", 3), encoding="utf-8")
    ws.build()
    assert same_as_file() and (graph / "store" / "SOURCE").stat().st_mtime_ns != first
    assert not list(graph.glob(".store*"))   # nothing left beside it


def test_a_failed_store_load_is_one_clear_error_and_keeps_the_old_store(tiny_ws, monkeypatch):
    from dutygraph.errors import DutygraphError

    ws = Workspace(tiny_ws)
    ws.build()
    source = (tiny_ws / "graph" / "store" / "SOURCE").read_text()
    doc = tiny_ws / "corpus" / "t01.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + "市教育局：负责学生安全教育。\n", encoding="utf-8")
    monkeypatch.setattr(build, "_LOAD_CHILD", "import sys; sys.exit('disk full')")
    with pytest.raises(DutygraphError, match="loading the store failed .disk full"):
        ws.build()
    assert (tiny_ws / "graph" / "store" / "SOURCE").read_text() == source
    assert not list((tiny_ws / "graph").glob(".store*"))


def test_the_loader_follows_the_graph_file_as_it_is_written(tmp_path):
    """The store's child reads the TriG while the build appends to it: at the file's current end it
    waits, and it stops exactly where the build says the head ends (the build writes the findings
    only once the child has said it knows)."""
    import os
    import threading
    import time

    path = tmp_path / "growing.trig"
    path.write_bytes(b"")
    end_r, end_w = os.pipe()
    ack_r, ack_w = os.pipe()
    docs = [b"<a> { <s> <p> 1 . }\n", b"<b> { <s> <p> 2 . }\n"]

    def writer():
        with open(path, "ab") as f:
            for piece in docs:
                time.sleep(0.3)   # longer than the reader's wait: it sees the file end several times
                f.write(piece)
                f.flush()
            os.write(end_w, f"{sum(map(len, docs))}\n".encode())
            os.close(end_w)
            with os.fdopen(ack_r, "rb") as ack:
                assert ack.readline() == b"ok\n"
            f.write(b"<validation> { <s> <p> 3 . }\n")   # the rest, loaded afterwards

    t = threading.Thread(target=writer)
    t.start()
    with os.fdopen(end_r, "rb") as follow, os.fdopen(ack_w, "wb") as ack, \
            build._part(path, 0, follow=follow, ack=ack) as stream:
        got = stream.read()
    t.join()
    assert got == b"".join(docs)


def test_the_graph_in_memory_answers_as_the_store_does(national, tmp_path):
    """``Workspace(memory=True)`` loads the TriG into memory for a long session: every library
    query, for the country and for one place, answers exactly as the on-disk store does, and it
    does not read that store (here a damaged one, which the on-disk way refuses)."""
    from dutygraph.errors import DutygraphError

    ws = Workspace(shutil.copytree(national.path, tmp_path / "ws"))
    for f in (ws.path / "graph" / "store").glob("*.sst"):
        f.write_bytes(b"not a table")
    with pytest.raises(DutygraphError, match="damaged"):
        ws.run("jurisdictions")
    memory = Workspace(ws.path, memory=True, cache=False)
    place = Counter(r["jurisdiction"] for r in national.run("duties")).most_common(1)[0][0]
    asked = 0
    for name, q in national.library.items():
        for params in ({}, {"place": place} if "place" in q.params else None):
            if params is not None:
                expected, got = national.run(name, **params), memory.run(name, **params)
                if "ORDER BY" not in q.text:   # gap-facts: unordered
                    expected, got = _rows(expected), _rows(got)
                assert got == expected, (name, params)
                asked += bool(expected)
    assert asked >= 20


def test_the_coverage_of_more_places_than_a_figure_labels_is_by_province(national, tmp_path, monkeypatch):
    """Up to MAX_PLACES places the heat map has a column per place (units holding each theme); above,
    a column per province: the per cent of its places with duties on some theme where a unit holds
    this one. Held here to the duties listing, each place's province taken from its division code
    (the first two digits), not from the graph's parents the code climbs."""
    import dutygraph.coverage as coverage

    per_place = coverage.matrix(national)
    places = {national.jurisdiction_iri(name).rsplit("/", 1)[-1] for name in per_place.columns}
    assert per_place.measure == "units" and set(per_place.keys) == places and len(places) > 3
    holds, themed = defaultdict(set), set()
    for d in national.run("duties"):
        code = national.jurisdiction_iri(d["jurisdiction"]).rsplit("/", 1)[-1]
        if d["themes"]:
            themed.add(code)
        for t in d["themes"] if d["agency_iri"] else ():
            holds[t].add(code)
    province = lambda code: code[:2] + "0000"   # noqa: E731
    monkeypatch.setattr(coverage, "MAX_PLACES", 3)
    by_province = coverage.matrix(national)
    assert by_province.measure == "share" and by_province.keys == sorted({province(c) for c in themed})
    for theme, row in zip(by_province.themes, by_province.values):
        for key, share in zip(by_province.keys, row):
            mine = {c for c in themed if province(c) == key}
            assert share == round(100 * len(holds[theme] & mine) / len(mine)), (theme, key)
    assert [p.suffix for p in coverage.write_heatmap(national, tmp_path / "cov.png")] == [".png", ".svg"]
    assert "by province" in (tmp_path / "cov.svg").read_text(encoding="utf-8")


def _splits(node, found: list) -> list:
    """Where a BIND stands between required patterns: Join(Extend(...), BGP) in the algebra."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        p1, p2 = node.get("p1"), node.get("p2")
        if (node.name == "Join" and isinstance(p1, CompValue) and p1.name == "Extend"
                and isinstance(p2, CompValue) and p2.name == "BGP" and p2.triples):
            found.append(str(p1.var))
        for value in node.values():
            _splits(value, found)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _splits(value, found)
    return found


def test_no_library_query_splits_its_required_patterns_with_a_bind():
    """A BIND between required patterns cuts them in two, and the embedded store then reads the
    second part for the whole graph: 0.25.0's `tasks --jurisdiction` took over 75 s at 3,200
    jurisdictions, where with the BIND after them it takes 0.05 s. Read from each query's algebra."""
    from rdflib.plugins.sparql import prepareQuery

    from dutygraph.queries import library

    split = {q.name: _splits(prepareQuery(q.text).algebra, []) for q in library(ROOT / "queries").values()}
    assert len(split) > 20
    assert {name: binds for name, binds in split.items() if binds} == {}
    assert _splits(prepareQuery("SELECT * { ?a ?b ?j . BIND(?j AS ?x) ?c ?d ?e }").algebra, []) == ["x"]


def _committees_in_several_graphs(ws) -> list[dict]:
    """The committees that several documents of their place name, so that each is in the graph of
    each: Oxigraph's union of the graphs gives their triples once per graph."""
    return ws.store.select("""PREFIX dg: <https://w3id.org/dutygraph/ontology#>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?b ?j WHERE { GRAPH ?g { ?b a dg:Committee ; dct:spatial ?j } } GROUP BY ?b ?j HAVING (COUNT(DISTINCT ?g) > 1)""")


def test_each_member_is_listed_once_for_each_unit_and_post_the_roster_gives(national):
    """A committee named by several documents of its place (its roster, its duty list) is in the
    graph of each; `members` still lists each person of a roster once for each unit and post the
    roster gives them — as synth wrote them — for the country and for a place."""
    assert _committees_in_several_graphs(national)   # the case this is about
    rows = national.members()
    golds = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((national.path / "gold").glob("*.yaml"))]
    rosters = {f"corpus/{Path(g['file']).name}": g for g in golds if g.get("members")}
    assert rosters
    for source, gold in rosters.items():
        listed = Counter((r["person"].replace(" ", ""), r["agency"] or "", r["post"]) for r in rows
                         if r["source"] == source and r["person"])
        assert listed == Counter((p.replace(" ", ""), unit, post) for p, unit, post in gold["members"]), source
    places = {j["jurisdiction_iri"]: j for j in national.run("jurisdictions")}
    parent = next(places[r["jurisdiction_iri"]]["parent"] for r in rows if places[r["jurisdiction_iri"]]["parent"])
    here, under = set(), {parent}   # the place and every place under it, as deep as they go
    while under - here:
        here |= under
        under = {iri for iri, j in places.items() if j["parent"] in here}
    assert national.members([places[parent]["code"]]) == [r for r in rows if r["jurisdiction_iri"] in here]


def test_no_library_query_gives_a_row_twice(national):
    """What several documents name (a committee, a unit's name, an instrument no register holds) is
    in the graph of each, and the union of the graphs gives its triples once per graph: no library
    query gives a row twice for it, for the country, for a place whose committee is in several
    graphs, or for one whose own programme is."""
    shared = _committees_in_several_graphs(national)
    programme = next(r for r in national.run("laws-by-unit") if r["law"].endswith("妇女儿童发展规划"))
    assert shared
    places = [shared[0]["j"].rsplit("/", 1)[-1], programme["jurisdiction_iri"].rsplit("/", 1)[-1]]
    for name, q in national.library.items():
        for params in ({}, *([{"place": [p]} for p in places] if "place" in q.params else [])):
            rows = national.run(name, **params)
            assert len(set(_rows(rows))) == len(rows), (name, params)
