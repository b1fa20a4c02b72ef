"""Legal bases on the seed graph: stated (by the duty or by the document), inferred (with the rule),
articles kept with their mention, the laws listing, the gaps, and the SHACL shapes."""
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from dutygraph import validate
from dutygraph.analysis import gaps
from dutygraph.namespaces import DG, ID

from test_parsers import run


def test_every_duty_with_a_governed_theme_has_a_basis(seed_ws, vocab):
    governed = {t for i in vocab.instruments.values() if i.kind in ("law", "administrative-regulation") for t in i.themes}
    seen = {}
    for r in seed_ws.duties():
        seen[r["duty"]] = r
    for r in seen.values():
        if set(r["themes"]) & governed:
            assert r["legal_bases"], r["text"]


def test_stated_bases_are_exactly_what_the_texts_cite(seed_ws, seed_text):
    for r in {d["duty"]: d for d in seed_ws.duties()}.values():
        stated = [b for b in r["legal_bases"] if b["how"] == "stated" and b["scope"] == "duty"]
        assert sorted(b["law"] for b in stated) == sorted(r["laws"])
        for b in stated:
            m = b["mention"]
            assert r["start"] <= m["start"] and m["end"] <= r["end"]
            assert seed_text(m["source"])[m["start"]:m["end"]] == m["text"]
    task1 = next(r for r in seed_ws.duties(jurisdiction=["西安"]) if r["text"].startswith("认真落实劳动法"))
    assert {b["law"] for b in task1["legal_bases"] if b["how"] == "stated"} >= {"中华人民共和国劳动法", "中华人民共和国劳动合同法"}


def test_inferred_basis_names_its_rule_and_theme(seed_ws):
    dv = next(r for r in seed_ws.duties(jurisdiction=["虎林"]) if r["text"].startswith("依法公正审理"))
    adv = next(b for b in dv["legal_bases"] if b["law"] == "中华人民共和国反家庭暴力法")
    assert adv["how"] == "inferred" and adv["rule"] == "ThemeGovernedByLaw" and "domestic-violence" in adv["via"]


def test_an_inferred_basis_is_one_node_per_law_and_themes(seed_ws):
    """Duties that the rule ties to the same law through the same themes share one basis node, in
    every document: the node is written once, in the graph `inferences`, and its themes are each
    such duty's."""
    PREFIX = "PREFIX dg: <https://w3id.org/dutygraph/ontology#>\n"
    nodes = seed_ws.store.select(PREFIX + """
        SELECT ?b ?g (COUNT(DISTINCT ?law) AS ?laws) (COUNT(DISTINCT ?duty) AS ?duties) (COUNT(DISTINCT ?h) AS ?documents)
        WHERE { GRAPH ?g { ?b a dg:InferredBasis ; dg:instrument ?law } GRAPH ?h { ?duty dg:hasLegalBasis ?b } }
        GROUP BY ?b ?g""")
    assert nodes and {r["g"] for r in nodes} == {"https://w3id.org/dutygraph/id/graph/inferences"}
    assert len({r["b"] for r in nodes}) == len(nodes) and all(r["laws"] == 1 for r in nodes)
    assert max(r["documents"] for r in nodes) > 1
    assert sum(r["duties"] for r in nodes) == sum(
        b["how"] == "inferred" for r in {d["duty"]: d for d in seed_ws.duties()}.values() for b in r["legal_bases"])
    astray = seed_ws.store.select(PREFIX + """
        SELECT ?duty ?b WHERE { ?duty dg:hasLegalBasis ?b . ?b a dg:InferredBasis ; dg:viaTheme ?t
                                FILTER NOT EXISTS { ?duty dg:theme ?t } }""")
    assert astray == []


def test_document_wide_grounds_are_stated_for_every_duty(seed_ws):
    rows = {r["duty"]: r for r in seed_ws.duties(jurisdiction=["虎林"])}
    for r in rows.values():
        women = [b for b in r["legal_bases"] if b["law"] == "中华人民共和国妇女权益保障法"]
        assert women and women[0]["how"] == "stated" and women[0]["scope"] == "document"
        assert women[0]["mention"]["start"] == 241


def test_the_law_a_document_opens_by_carrying_out_is_a_ground_of_its_duties(vocab):
    """为认真贯彻《X》，……建立本机制 says what the whole text carries out; a law named in passing
    before the duties (《Y》颁布实施以来) is cited, not a ground."""
    text = ("某市预防和制止家庭暴力工作机制\n近年来，《中华人民共和国妇女权益保障法》颁布实施以来，妇女权益保障不断加强。\n"
            "为认真贯彻《中华人民共和国反家庭暴力法》，结合我市实际，建立本机制。\n"
            "二、成员单位职责\n市公安局：接到家庭暴力报案后及时出警。\n市民政局：为受害人提供临时庇护。\n")
    ex = run(vocab, text, ["mechanism", "duty-list"])
    assert len(ex.statements) == 2
    assert {m.key for m in ex.document_bases} == {"prc-anti-domestic-violence-law"}
    assert {m.key for m in ex.laws} == {"prc-anti-domestic-violence-law", "prc-women-rights-law"}


def test_audience_keeps_the_minors_law_off_womens_duties(seed_ws):
    cadres = next(r for r in seed_ws.duties(jurisdiction=["东莞"]) if r["text"].startswith("认真贯彻落实培养选拔女干部"))
    laws = {b["law"]: b for b in cadres["legal_bases"]}
    assert laws["中华人民共和国妇女权益保障法"]["how"] == "inferred"
    assert "中华人民共和国未成年人保护法" not in laws


def test_article_is_kept_with_the_mention(vocab):
    text = "市司法局：依照《中华人民共和国妇女权益保障法》第二十九条做好法律援助工作。\n"
    ex = run(vocab, text, ["duty-list"])
    (m,) = ex.laws
    assert m.article == "第二十九条" and m.key == "prc-women-rights-law"
    assert text[m.span[0]:m.span[1]] == "《中华人民共和国妇女权益保障法》第二十九条"


def test_a_title_cited_in_the_document_s_title_is_a_citation_unless_the_title_issues_it(vocab):
    from dutygraph.corpus import Document
    from dutygraph.jurisdictions import from_code
    from dutygraph.pipeline.extract import extract

    def laws(title, first_line):
        doc = Document(id="t", path="corpus/t.txt", text=f"{first_line}\n市公安局：依法处置家庭暴力。\n", title=title,
                       jurisdiction=from_code("360700"), genres=("duty-list",), body=None)
        return [m.title for m in extract(doc, vocab).laws]

    carried = "赣州市贯彻落实《江西省儿童发展规划（2021—2030年）》重点任务分工方案"
    assert laws(carried, carried) == ["江西省儿童发展规划（2021—2030年）"]   # what the document carries out
    issued = "某市人民政府办公室关于印发《某市妇女儿童工作联席会议制度》的通知"
    assert laws(issued, "关于印发《某市妇女儿童工作联席会议制度》的通知") == []   # the document itself


def test_laws_listing_shows_documents_units_and_duties(seed_ws):
    laws = {law["law"]: law for law in seed_ws.laws()}
    labour = laws["中华人民共和国劳动法"]
    assert labour["documents"] == ["001_95b156e63a74a9b8"] and "市人社局" in labour["units"]
    assert labour["duties_stated"] == 1 and labour["duties_inferred"] >= 1
    assert laws["中华人民共和国反家庭暴力法"]["duties_inferred"] >= 5


def test_basis_gaps(seed_ws):
    rows = gaps(seed_ws)
    unused = {(r["jurisdiction"], r["message"].split(" ")[0]) for r in rows if r["kind"] == "law-not-carried-out"}
    assert ("江门市", "校车安全管理条例") in unused
    orphans = [r for r in rows if r["kind"] == "duty-without-basis"]
    assert orphans and all(r["text"] and r["source"] for r in orphans)
    assert any(r["text"].startswith("引导新闻媒体传播") for r in orphans)


def test_shapes_catch_an_inferred_basis_without_rule_and_an_unregistered_law(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "ontology"
    shapes = Graph().parse(root / "shapes.ttl")
    onto = Graph().parse(root / "dutygraph.ttl")
    g = Graph()
    law = ID["law/x-unknown"]
    g.add((law, RDF.type, URIRef("http://data.europa.eu/eli/ontology#LegalResource")))
    g.add((law, URIRef("http://data.europa.eu/eli/ontology#type_document"), URIRef("https://w3id.org/dutygraph/vocab/instrument-kind/law")))
    for name, kind in (("a", "inferred"), ("b", "stated")):
        b = ID[f"basis/{name}"]
        g.add((b, RDF.type, DG.LegalBasis))
        g.add((b, RDF.type, DG.InferredBasis if kind == "inferred" else DG.StatedBasis))
        g.add((b, DG.instrument, law))
        g.add((b, DG.basisKind, Literal(kind)))
    found = validate.shacl(g, shapes, onto)
    shapes_hit = {str(o).rsplit("#", 1)[-1] for o in found.objects(None, URIRef("http://www.w3.org/ns/shacl#sourceShape"))}
    assert {"InferredBasisRule", "StatedLawInRegisterShape"} <= shapes_hit
