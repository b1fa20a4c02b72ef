"""Concrete facts of the five seed documents, as a researcher would check them."""
import pytest


def test_every_row_quotes_its_source_exactly(seed_ws, seed_text):
    rows = seed_ws.duties() + seed_ws.tasks() + seed_ws.members()
    rows += [m for law in seed_ws.laws() for m in law["mentions"]]
    assert len(rows) > 500
    for r in rows:
        text = seed_text(r["source"])
        assert 0 <= r["start"] < r["end"] <= len(text)
        if "text" in r:
            assert text[r["start"]:r["end"]] == r["text"]


def test_build_summary_counts(seed_ws):
    s = seed_ws.build(check=True)
    assert not s.changed
    assert s.documents == 5 and s.tasks == 38
    assert s.findings["Violation"] == 0


def test_units_sharing_anti_trafficking_duties(seed_ws):
    rows = seed_ws.duties(theme=["anti-trafficking"])
    by_place = {}
    for r in rows:
        by_place.setdefault(r["jurisdiction"], set()).add((r["agency"], r["role"]))
    assert ("市公安局", "lead") in by_place["东莞市"] and ("市中级法院", "holder") in by_place["东莞市"]
    assert ("市公安局", "lead") in by_place["西安市"]
    assert ("市公安局", "lead") in by_place["虎林市"]
    assert ("公安部门", "holder") in by_place["湖北省某县"]
    assert ("治安分局", "holder") in by_place["唐山国际旅游岛"]


def test_jurisdiction_filter_takes_name_short_name_and_code(seed_ws):
    a = seed_ws.duties(jurisdiction=["东莞"])
    assert a == seed_ws.duties(jurisdiction=["东莞市"]) == seed_ws.duties(jurisdiction=["441900"])
    assert {r["jurisdiction"] for r in a} == {"东莞市"}
    # a province includes the places under it
    assert {r["jurisdiction"] for r in seed_ws.duties(jurisdiction=["湖北"])} == {"湖北省某县"}


def test_xian_tasks_leads_supports_and_targets(seed_ws):
    tasks = {t["number"]: t for t in seed_ws.tasks(jurisdiction=["西安"])}
    assert sorted(tasks) == list(range(1, 39))
    assert tasks[1]["lead"] == ["市人社局"] and tasks[1]["support"] == ["市财政局", "市农林委", "市妇联"]
    assert tasks[9]["support"] == []
    assert tasks[34]["lead"] == ["各区县妇儿工委"] and tasks[34]["support"] == ["市妇儿工委各成员单位"]
    (t4,) = tasks[4]["targets"]
    assert (t4["value"], t4["unit"], t4["year"], t4["comparison"]) == (60000, "人", 2020, "at-least")
    assert "不少于6万人" in t4["text"]
    assert [(t["value"], t["unit"]) for t in tasks[16]["targets"]] == [(98, "%")]


def test_one_resource_per_unit_however_written(seed_ws):
    hulin = [r for r in seed_ws.duties(jurisdiction=["虎林"]) + seed_ws.members(jurisdiction=["虎林"]) if r["agency_iri"]]
    iris = {}
    for r in hulin:
        iris.setdefault(r["agency_iri"], set()).add(r["agency"])
    names = {frozenset(v) for v in iris.values()}
    assert any({"市人社局", "市人力资源和社会保障局"} <= set(n) for n in names)
    assert any({"团市委", "共青团虎林市委员会"} <= set(n) for n in names)
    assert any({"网信办", "市委网信办"} <= set(n) for n in names)


def test_hulin_roster(seed_ws):
    rows = seed_ws.members(jurisdiction=["虎林"])
    people = [(r["person"], r["agency"], r["post"]) for r in rows if r["person"]]
    assert len({p for p, _a, _post in people}) == 32 and len(people) == 34
    assert ("王珊", "市委宣传部", "副部长") in people and ("王珊", "网信办", "主任") in people
    assert ("王波", "市人社局", "劳动仲裁院院长") in people
    assert ("李元生", "市总工会", "副主席") in people
    assert {(r["agency"], r["role"]) for r in rows if not r["person"]} >= {("市政府", "chief-convener"), ("市妇联", "convener")}


def test_dongguan_member_units_have_empty_person(seed_ws):
    rows = seed_ws.members(jurisdiction=["东莞"])
    assert len(rows) == 39 and all(r["person"] is None for r in rows)
    assert {"东莞海关", "东莞日报社", "东莞广播电视台", "团市委"} <= {r["agency"] for r in rows}


def test_tangshan_group_roles_and_unattributed_duties(seed_ws):
    rows = seed_ws.members(jurisdiction=["唐山国际旅游岛"])
    leader = [r for r in rows if r["role"] == "leader"]
    assert [(r["person"], r["agency"]) for r in leader] == [("程志明", "机关党委")]
    assert sum(1 for r in rows if r["role"] == "member" and r["person"]) == 9
    orphans = [r for r in seed_ws.duties(jurisdiction=["唐山国际旅游岛"]) if not r["agency"]]
    assert len(orphans) >= 15
    assert any("农村土地承包" in r["text"] for r in orphans)


def test_laws_are_one_resource_however_written(seed_ws):
    laws = {law["law"]: law for law in seed_ws.laws()}
    adv = laws["中华人民共和国反家庭暴力法"]
    assert {m["text"] for m in adv["mentions"]} == {"反家暴法", "《反家暴法》"}
    women = laws["中华人民共和国妇女权益保障法"]
    assert {m["source"] for m in women["mentions"]} == {"corpus/001_95b156e63a74a9b8.txt", "corpus/002_65f336b7ea896ca2.txt",
                                                        "corpus/003_f0d95eb4ad8701d2.txt", "corpus/004_9cbe734a5b6ee311.txt"}
    assert laws["校车安全管理条例"]["kind"] == "administrative-regulation"
    assert laws["江门市妇女权益保障规定"]["kind"] == "local-regulation"
    # a document's own title is not a citation of itself
    assert "2018-2020年西安市妇女儿童重点工作责任分工" not in laws
    assert "虎林市妇女儿童工作联席会议制度" not in laws
    # the two spellings of Hulin's plan (with and without its years) are one instrument
    assert len(laws["虎林市妇女发展规划"]["mentions"]) == 4


def test_duties_cite_their_laws(seed_ws):
    task1 = next(r for r in seed_ws.duties(jurisdiction=["西安"]) if r["text"].startswith("认真落实劳动法"))
    assert set(task1["laws"]) == {"中华人民共和国劳动法", "中华人民共和国劳动合同法", "中华人民共和国妇女权益保障法"}


def test_speeches_are_attributed_to_their_places_and_repeats_merged(seed_ws):
    rows = seed_ws.duties()
    speech = [r for r in rows if r["source"].endswith("003_f0d95eb4ad8701d2.txt")]
    places = {r["jurisdiction"] for r in speech}
    assert places == {"江门市", "山东省某市（实施黄蓝国家战略）", "湖北省某县"}
    court = [r for r in speech if r["agency"] == "法院"]
    assert court and court[0]["jurisdiction"] == "湖北省某县" and court[0]["agency_type"] == "court"
    # the Shandong speech is printed twice: its statements appear once
    funding = [r for r in speech if r["text"].startswith("各级政府要将妇女儿童事业发展经费纳入财政预算")]
    assert len(funding) == 1
    texts = {r["duty"]: r["text"] for r in speech}
    assert len(texts) == len(set(texts.values()))


def test_validation_findings_point_to_sources(seed_ws):
    rows = seed_ws.validate()
    assert rows and all(r["severity"] in ("Warning", "Info") for r in rows)
    holderless = [r for r in rows if "names no unit" in (r["message"] or "")]
    assert holderless and all(r["source"] == "corpus/004_9cbe734a5b6ee311.txt" for r in holderless)
    assert all(r["message_zh"] for r in rows)


@pytest.mark.parametrize("theme,agency_type", [("child-labour", "human-resources"), ("legal-aid", "justice"),
                                               ("statistics-monitoring", "statistics")])
def test_theme_holders_have_the_expected_types(seed_ws, theme, agency_type):
    rows = seed_ws.duties(theme=[theme])
    assert agency_type in {r["agency_type"] for r in rows}


def test_the_embedded_store_orders_rows_as_the_query_says(seed_ws):
    """The embedded store sorts a query's final ORDER BY itself (Oxigraph's sort decodes terms at each
    comparison): every library query gives Oxigraph's own rows in Oxigraph's own order of keys."""
    import json
    import re

    from dutygraph.store import final_order

    checked = 0
    for name, q in seed_ws.library.items():
        text = q.bind({})
        keys = [v for v, _desc in final_order(text)[1]]
        if not keys:
            continue
        ours = seed_ws.store.select(text)
        theirs = seed_ws.store.select(text + "\nLIMIT 100000000")   # not a final ORDER BY: Oxigraph sorts
        assert len(ours) == len(theirs), name
        assert [[r[k] for k in keys] for r in ours] == [[r[k] for k in keys] for r in theirs], name
        canon = lambda rows: sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)  # noqa: E731
        assert canon(ours) == canon(theirs), name
        checked += bool(ours)
    assert checked >= 12
    desc = re.compile(r"DESC\(\?duties\)")
    assert desc.search(seed_ws.library["theme-counts"].text)   # a descending key is among them


def test_a_query_answered_in_parts_gives_the_whole_answer_in_its_order(seed_ws):
    """The queries written in parts give, answered in two or three parts (each in a process of its
    own), the rows of the query answered whole, in the same order; each part is a share of them,
    none empty."""
    from dutygraph import Workspace
    from dutygraph.store import _tsv, final_order, parts_of

    whole, parted = Workspace(seed_ws.path, threads=1, cache=False), Workspace(seed_ws.path, threads=3, cache=False)
    bodies = {name: final_order(q.bind({}))[0] for name, q in seed_ws.library.items()}
    written = [name for name, body in bodies.items() if len(parts_of(body, 2)) == 2]
    assert {"duties", "duties-without-basis", "validation", "laws", "legal-bases"} <= set(written)
    asks = [(name, {}) for name in written] + [("duties", {"theme": ["anti-trafficking"]}),
                                               ("duties", {"place": ["西安"], "unit_type": ["civil-affairs"]}),
                                               ("duties-without-basis", {"place": ["东莞"]}), ("validation", {"only": ["Warning"]}),
                                               ("laws", {"place": ["西安"]}),
                                               ("legal-bases", {"duty": [r["duty"] for r in whole.run("duties", theme=["legal-aid"])]})]
    for name, params in asks:
        assert parted.run(name, **params) == whole.run(name, **params), (name, params)
    text = bodies["duties"]
    counts = [len(_tsv(seed_ws.store.store, part)[1].splitlines()) for part in parts_of(text, 2)]
    assert all(counts) and sum(counts) == len(_tsv(seed_ws.store.store, text)[1].splitlines())


def test_the_parts_are_asked_of_workers_on_the_store_the_asker_opened(seed_ws):
    """Each part is answered by a worker process with the variables and rows the asking process
    would write, the same workers for the next question; a worker that finds another store in its
    place (a build swapped it) answers nothing, so the asking process answers the parts itself."""
    from dutygraph.store import Workers, _tsv, final_order, parts_of

    store = seed_ws.store
    assert store.path and store.source   # the on-disk store, as build recorded it
    workers = Workers(store.path, store.source, 2)
    for name in ("duties", "validation"):
        parts = parts_of(final_order(seed_ws.library[name].bind({}))[0], 2)
        assert [got[:2] for got in workers.answer(parts)] == [_tsv(store.store, part) for part in parts], name
    assert Workers(store.path, "a store of another build", 2).answer(parts) is None


def test_several_queries_asked_at_once_give_each_its_own_rows(seed_ws):
    """``run_many`` gives each query the rows ``run`` gives it, in the order asked, with more
    queries than workers, asked of the workers."""
    from dutygraph import Workspace

    asks = [("holders-not-members", {}), ("duties", {}), ("gap-facts", {"place": ["东莞"]}), ("theme-counts", {}), ("jurisdictions", {}),
            ("duties", {"theme": ["anti-trafficking"]}), ("laws-not-carried-out", {})]
    ws = Workspace(seed_ws.path, threads=2, cache=False)
    assert ws.run_many(asks) == [ws.run(name, **params) for name, params in asks]
    assert ws.store.workers and ws.store.workers.ready
def test_a_query_is_split_only_where_it_says_so_and_nothing_applies_to_its_whole_answer():
    """Only a query with the parts' VALUES is split, into ranges of hex pairs that cover them all, and
    not when it ends with what applies to the whole answer (an order, a limit, an offset)."""
    from dutygraph.store import parts_of

    marked = "SELECT ?d WHERE { ?d ?p ?o VALUES (?part_from ?part_to) { (UNDEF UNDEF) } FILTER(true) }"
    halves = parts_of(marked, 2)
    assert [h.count('("00" "80")') + 2 * h.count('("80" "g")') for h in halves] == [1, 2]
    assert [p[p.index("{ (") + 2:p.index(") }") + 1] for p in parts_of(marked, 3)] == ['("00" "55")', '("55" "aa")', '("aa" "g")']
    assert parts_of(marked, 1) == [marked] and parts_of(marked.replace("part_", "x_"), 2) == [marked.replace("part_", "x_")]
    for cut in ("ORDER BY ?d", "LIMIT 10", "OFFSET 5"):   # these apply to the whole answer
        assert parts_of(f"{marked} {cut}", 2) == [f"{marked} {cut}"]


def test_the_embedded_store_gives_every_kind_of_value_back_exactly(tmp_path):
    """Rows are read from Oxigraph's TSV: quotes with tabs, newlines, quotation marks and backslashes,
    language-tagged and typed literals, bare numbers and booleans, blank nodes and unbound cells all
    come back as the values an endpoint's JSON rows give, sorted by SPARQL's rules."""
    from dutygraph.store import LocalStore

    trig = tmp_path / "g.trig"
    trig.write_text(r'''@prefix x: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
x:g { x:a x:v "第一行\t二\n\"引\" \\ 尾" , "街道"@zh-Hans , "7"^^xsd:integer , "2.50"^^xsd:decimal , "1.5e3"^^xsd:double ,
             true , "2020"^^xsd:gYear , "t"^^x:dt , _:b , <http://example.org/é?q=1> , "" , "a\u00e9\U0001F600" . }
''', encoding="utf-8")
    store = LocalStore(trig, memory=True)
    rows = store.select("SELECT ?v ?none WHERE { ?s ?p ?v OPTIONAL { ?s ?nothing ?none . FILTER(false) } } ORDER BY DESC(?v)")
    values = [r["v"] for r in rows]
    assert all(r["none"] is None for r in rows) and len(values) == 12
    # descending: texts by code point, then numbers by value, then the IRI, then the blank node
    assert values[:10] == ["街道", "第一行\t二\n\"引\" \\ 尾", True, "t", "aé😀", "", 2020, 1500, 7, 2.5]
    assert values[10] == "http://example.org/é?q=1" and values[11]
    assert store.select("SELECT ?x WHERE {}") == [{"x": None}] and store.select("SELECT * WHERE {}") == [{}]
    assert store.select("SELECT ?x WHERE { VALUES ?y { 1 2 } }") == [{"x": None}, {"x": None}]
    assert store.select("SELECT ?x ?y WHERE { VALUES ?y { 1 2 } } ORDER BY DESC(?y)") == [{"x": None, "y": 2}, {"x": None, "y": 1}]
    assert store.select("SELECT ?x WHERE { FILTER(false) }") == []


def test_the_sparql_a_query_is_sent_as_can_be_read_and_run_by_hand(seed_ws):
    """Workspace.query_text gives the exact SPARQL of a library query, defaults bound, so a researcher
    can read it or send it elsewhere; run as it is, it gives the command's rows."""
    from dutygraph.queries import split_lists

    q = seed_ws.library["units-sharing-theme"]
    text = seed_ws.query_text(q, {"place": "东莞"})
    assert "<https://w3id.org/dutygraph/vocab/theme/anti-trafficking>" in text   # the default theme
    assert "<https://w3id.org/dutygraph/id/jurisdiction/441900>" in text
    rows = seed_ws.run("units-sharing-theme", place="东莞")
    assert rows and split_lists(seed_ws.store.select(text), q.lists) == rows


def test_the_legal_bases_of_named_duties_are_those_duties_bases(seed_ws):
    """`legal-bases` asked for some duties (those `duties` found for a theme: what the command
    `duties --theme` shows with each duty) gives exactly their rows of the whole listing."""
    every = seed_ws.run("legal-bases")
    named = sorted({r["duty"] for r in seed_ws.run("duties", theme=["anti-trafficking"])})
    theirs = [b for b in every if b["duty"] in set(named)]
    assert named and theirs and len(theirs) < len(every)
    assert seed_ws.run("legal-bases", duty=named) == theirs
    shown = {(b["duty"], b["law"], b["how"]) for b in theirs}
    assert shown == {(r["duty"], b["law"], b["how"]) for r in seed_ws.duties(theme=["anti-trafficking"]) for b in r["legal_bases"]}
