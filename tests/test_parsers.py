"""Each genre parser on small written examples, including layouts the seed documents do not have."""
import pytest

from dutygraph.corpus import Document
from dutygraph.jurisdictions import Jurisdiction, from_code
from dutygraph.pipeline.extract import extract


def run(vocab, text, genres, code="510100", body="某市妇女儿童工作委员会", jurisdiction=None):
    j = jurisdiction or from_code(code)
    doc = Document(id="t", path="corpus/t.txt", text=text, title="测试文件", jurisdiction=j,
                   genres=tuple(genres), body=body)
    return extract(doc, vocab)


def holders(st):
    return [(u.name, u.agency_type or u.collective, role) for u, role in st.holders]


# ---------------------------------------------------------------- unit-and-duties lists
def test_duty_list_colon_layout_ascii_and_full_width(vocab):
    text = "成员单位职责\n市教育局：保障儿童受教育权利；强化校园安全工作。\n市卫生健康委员会:推进妇幼健康服务体系建设。\n"
    ex = run(vocab, text, ["duty-list"])
    assert [holders(s) for s in ex.statements] == [
        [("市教育局", "education", "holder")], [("市教育局", "education", "holder")],
        [("市卫生健康委员会", "health", "holder")]]
    assert [text[a:b] for a, b in (s.span for s in ex.statements)] == [
        "保障儿童受教育权利；", "强化校园安全工作。", "推进妇幼健康服务体系建设。"]
    assert {u.name for _b, u in ex.member_units} == {"市教育局", "市卫生健康委员会"}


def test_duty_list_two_space_layout_and_roles(vocab):
    text = "市公安局  牵头协调开展反对拐卖妇女儿童犯罪工作；配合有关部门做好禁毒宣传。\n市民政局  负责困境儿童保障工作。\n"
    ex = run(vocab, text, ["duty-list"])
    assert [holders(s)[0][2] for s in ex.statements] == ["lead", "support", "holder"]
    assert "anti-trafficking" in ex.statements[0].themes
    assert "child-welfare" in ex.statements[2].themes


def test_duty_list_broken_by_a_pdf_with_page_number(vocab):
    line = "市人力资源和社会保障局：保障女性在就业、培训、劳动报酬以及接"
    text = "\n\n".join([line, "受技工教育等方面与男性平等的权利，逐步消除职业性别隔离", "7",
                       "优化妇女就业结构；禁止使用童工。", "市财政局：将妇女儿童事业发展必要经费纳入部门预算统筹保障，并组",
                       "织全面实施预算绩效管理，保障工作经费及时足额到位安排落实。"] + [
        "市统计局：负责妇女儿童发展规划的统计监测工作，推动分性别统计，开展妇女儿童统计监", "测和分析。"] * 3)
    ex = run(vocab, text, ["duty-list"])
    first = ex.statements[0]
    assert holders(first) == [("市人力资源和社会保障局", "human-resources", "holder")]
    a, b = first.span
    assert text[a:b].startswith("保障女性") and text[a:b].endswith("优化妇女就业结构；")
    assert "7" not in first.text
    assert "child-labour" in ex.statements[1].themes
    assert any(holders(s)[0][0] == "市财政局" and "funding" in s.themes for s in ex.statements)


def test_paragraph_that_lost_its_unit_stays_without_holder(vocab):
    text = ("三、职责分工\n机关党委:领导机关妇女组织,支持妇女组织依照章程开展工作。\n"
            "统筹协调涉及妇女儿童权益的网络安全和信息化方面的重大问题。\n"
            "治安分局:依法严厉打击拐卖妇女儿童犯罪。\n四、工作要求\n各部门要提高站位。\n")
    ex = run(vocab, text, ["duty-list"])
    orphan = [s for s in ex.statements if not s.holders]
    assert len(orphan) == 1 and "online-content" in orphan[0].themes
    assert len([s for s in ex.statements if s.holders]) == 2   # 四、 ends the list


def test_duty_list_with_each_unit_alone_on_a_line_above_its_numbered_duties(vocab):
    """（一）市人社局 on a line of its own, then 1.…… 2.……: each item is that unit's, up to the next
    unit or heading; so too a name with 职责 and a colon above its paragraph, and a bare name above
    numbered items."""
    text = ("成员单位主要职责\n（一）市人力资源和社会保障局\n1.保障妇女平等就业权利。\n2.依法查处使用童工行为。\n"
            "（二）市卫生健康委员会\n1.开展农村妇女两癌筛查。\n"
            "市民政局职责：\n做好农村留守儿童关爱保护工作。\n"
            "市司法局\n1.加强妇女儿童法律援助工作。\n"
            "三、工作要求\n各成员单位要加强协作。\n")
    ex = run(vocab, text, ["duty-list"])
    got = [(holders(s)[0][:2] if s.holders else None, text[s.span[0]:s.span[1]]) for s in ex.statements]
    assert got[:5] == [(("市人力资源和社会保障局", "human-resources"), "保障妇女平等就业权利。"),
                       (("市人力资源和社会保障局", "human-resources"), "依法查处使用童工行为。"),
                       (("市卫生健康委员会", "health"), "开展农村妇女两癌筛查。"),
                       (("市民政局", "civil-affairs"), "做好农村留守儿童关爱保护工作。"),
                       (("市司法局", "justice"), "加强妇女儿童法律援助工作。")]
    assert len(got) == 5   # 三、 ends the list: what follows is no duty of 市司法局
    assert {u.name for _b, u in ex.member_units} == {"市人力资源和社会保障局", "市卫生健康委员会", "市民政局", "市司法局"}
    a, b = ex.statements[0].holders[0][0].span
    assert text[a:b] == "市人力资源和社会保障局"


def test_a_notice_s_issuer_above_its_title_holds_none_of_the_text_below(vocab):
    """An issuer's name alone on a line (a notice's head, or a signature above its date) is not a
    unit above its duties: the notice's text is no duty of it."""
    text = ("成都市人民政府办公室\n关于印发《成都市妇女儿童工作联席会议制度》的通知\n"
            "根据《中华人民共和国妇女权益保障法》，经市政府同意，现印发给你们，请认真贯彻落实。\n"
            "市教育局：保障女童平等接受义务教育。\n市公安局：依法打击拐卖妇女儿童犯罪。\n"
            "成都市人民政府办公室\n2025年3月1日\n")
    ex = run(vocab, text, ["duty-list"])
    assert not any(u.agency_type == "government" for s in ex.statements for u, _r in s.holders)
    assert [holders(s)[0][0] for s in ex.statements if s.holders] == ["市教育局", "市公安局"]


def test_duty_list_numbered_items_with_the_unit_ended_by_a_full_stop(vocab):
    text = ("二、成员单位职责\n（一）市公安局。接到家庭暴力报案后及时出警，依法调查取证。\n"
            "2.市民政局。为遭受家庭暴力的妇女儿童提供临时庇护。\n（三）提高站位，务求实效。各部门要履职尽责。\n"
            "③市人民法院：依法及时审查人身安全保护令申请。\n加强反家庭暴力宣传教育。\n")
    ex = run(vocab, text, ["duty-list"])
    got = [(holders(s)[0][:2] if s.holders else None, text[s.span[0]:s.span[1]]) for s in ex.statements]
    assert got[:2] == [(("市公安局", "public-security"), "接到家庭暴力报案后及时出警，依法调查取证。"),
                       (("市民政局", "civil-affairs"), "为遭受家庭暴力的妇女儿童提供临时庇护。")]
    # a heading that ends with a full stop names no unit: its sentences lost their holder
    assert all(h is None for h, t in got if "履职尽责" in t or "提高站位" in t)
    court = [s for s in ex.statements if s.holders and s.holders[0][0].name == "市人民法院"]
    assert len(court) == 1 and court[0].themes == {"domestic-violence"}   # 人身安全保护令, not 安全保护
    assert [t for h, t in got if h is None][-1] == "加强反家庭暴力宣传教育。"


def test_unit_names_match_longest_first(vocab):
    text = "市人民政府办公室：统筹协调妇女儿童工作。\n市民政局：负责社会救助。\n"
    ex = run(vocab, text, ["duty-list"])
    assert [holders(s)[0][1] for s in ex.statements] == ["government", "civil-affairs"]


def test_unknown_unit_is_kept_without_a_type(vocab):
    ex = run(vocab, "市侨联：联系海外侨胞妇女儿童，开展交流活动。\n", ["duty-list"])
    (st,) = ex.statements
    assert holders(st) == [("市侨联", None, "holder")]


# ---------------------------------------------------------------- task divisions
@pytest.mark.parametrize("paren", ["(牵头单位:市人社局;责任单位:市财政局、市妇联)",
                                   "（牵头单位：市人社局；责任单位：市财政局、市妇联）",
                                   "（牵头单位：市人社局；主要责任单位：市财政局，市妇联）"])
def test_task_lead_and_support_in_either_punctuation(vocab, paren):
    text = f"一、促进就业\n\n1.落实就业政策,到2020年培训妇女不少于6万人。{paren}\n"
    (task,) = run(vocab, text, ["task-division"]).statements
    assert task.number == 1 and task.group == "促进就业"
    assert holders(task) == [("市人社局", "human-resources", "lead"), ("市财政局", "finance", "support"),
                             ("市妇联", "womens-federation", "support")]
    (target,) = task.targets
    assert (target.value, target.unit, target.year, target.comparison) == (60000, "人", 2020, "at-least")


def test_task_with_its_units_on_lines_of_their_own_below_it(vocab):
    text = ("一、儿童与健康\n1．完善儿童健康服务体系，到2025年，每千名儿童拥有儿科执业（助理）医师达到0.87名。\n"
            "牵头单位：市卫生健康委\n责任单位：市发展改革委、市财政局\n\n"
            "二、儿童与安全\n2．预防和控制儿童伤害。\n牵头单位：市卫生健康委、市教育局\n责任单位：市公安局\n"
            "3．加强儿童游泳安全宣传。\n")
    tasks = run(vocab, text, ["task-division"]).statements
    assert [(t.number, t.group) for t in tasks] == [(1, "儿童与健康"), (2, "儿童与安全")]   # 3 names no unit
    assert holders(tasks[0]) == [("市卫生健康委", "health", "lead"), ("市发展改革委", "development-reform", "support"),
                                 ("市财政局", "finance", "support")]
    assert [r for _u, _t, r in holders(tasks[1])] == ["lead", "lead", "support"]
    assert text[tasks[0].span[0]:tasks[0].span[1]].startswith("完善儿童健康服务体系") and "牵头" not in tasks[0].text
    a, b = tasks[0].paragraph
    assert text[a:b].startswith("1．完善") and text[a:b].endswith("市财政局")   # the task with its units' lines


def test_a_unit_whose_name_holds_and_stays_one_unit_in_a_list(vocab):
    """和 and 及 separate the units of a list, except inside a unit's own name (住房和城乡建设局)."""
    text = ("1.改善妇女儿童居住环境。（牵头单位：市住房和城乡建设局；责任单位：市发展和改革委、"
            "市人力资源和社会保障局和市民政局）\n")
    (task,) = run(vocab, text, ["task-division"]).statements
    assert holders(task) == [("市住房和城乡建设局", "housing-construction", "lead"),
                             ("市发展和改革委", "development-reform", "support"),
                             ("市人力资源和社会保障局", "human-resources", "support"),
                             ("市民政局", "civil-affairs", "support")]


def test_task_broken_over_lines_and_collective_holders(vocab):
    text = ("15.积极推进义务教育均衡发展,持续扩大覆盖范围,\n\n持续增加城乡互建教育联合体总量。(牵头单位:市教育局)\n"
            "16.保持城乡幼儿园毛入园率在98%以上。(牵头单位:各区县妇儿工委;责任单位:市妇儿工委各成员单位)\n")
    t15, t16 = run(vocab, text, ["task-division"]).statements
    assert t15.text.endswith("持续增加城乡互建教育联合体总量。")
    assert holders(t16) == [("各区县妇儿工委", "subordinate-committees", "lead"),
                            ("市妇儿工委各成员单位", "member-units", "support")]
    assert (t16.targets[0].value, t16.targets[0].unit, t16.targets[0].comparison) == (98, "%", "at-least")


def test_old_unit_names_keep_their_type(vocab):
    text = "1.推进妇幼健康。(牵头单位:市卫计委;责任单位:市农林委、市文广新局、市法制办)\n"
    (t,) = run(vocab, text, ["task-division"]).statements
    assert [h[1] for h in holders(t)] == ["health", "agriculture-rural", "culture-tourism", "justice"]


# ---------------------------------------------------------------- rosters
def test_roster_names_with_spaces_two_posts_and_group_labels(vocab):
    text = ("工作组人员名单\n组 长:程志明 机关党委专职副书记\n副组长:刘 颖 市妇联主席\n"
            "成 员:赵成智 市人社局劳动监察大队队长\n王 珊 市委宣传部副部长、网信办主任\n李元生 市总工会党组书记、副主席\n")
    ex = run(vocab, text, ["roster"])
    rows = [(m.person, m.unit.name, m.post, m.role, m.body) for m in ex.memberships]
    assert rows[0] == ("程志明", "机关党委", "专职副书记", "leader", "工作组")
    assert rows[1] == ("刘颖", "市妇联", "主席", "deputy-leader", "工作组")
    assert rows[2][:4] == ("赵成智", "市人社局", "劳动监察大队队长", "member")
    assert rows[3][:4] == ("王珊", "市委宣传部", "副部长", "member")   # label carried from 成员
    assert rows[4][:3] == ("王珊", "网信办", "主任")
    assert rows[5][1:3] == ("市总工会", "党组书记") and rows[6][1:3] == ("市总工会", "副主席")


def test_roster_several_people_a_line_with_their_titles_in_brackets(vocab):
    text = ("三、组织保障\n成立琼海市预防和制止家庭暴力工作协调小组。\n组长：陈海涛（市人民政府副市长）\n"
            "副组长：林晓红（市妇联主席）、王建国（市公安局副局长）\n成员：李 明（市民政局副局长），黄丽（市司法局副局长）\n")
    ex = run(vocab, text, ["roster"], body=None)
    rows = [(m.person, m.unit.name, m.post, m.role, m.body) for m in ex.memberships]
    body = "琼海市预防和制止家庭暴力工作协调小组"
    assert rows == [("陈海涛", "市人民政府", "副市长", "leader", body), ("林晓红", "市妇联", "主席", "deputy-leader", body),
                    ("王建国", "市公安局", "副局长", "deputy-leader", body), ("李明", "市民政局", "副局长", "member", body),
                    ("黄丽", "市司法局", "副局长", "member", body)]
    wang = ex.memberships[2]
    assert text[wang.span[0]:wang.span[1]] == "王建国（市公安局副局长）"   # each person's own words, not the line's
    assert text[wang.person_span[0]:wang.person_span[1]] == "王建国"
    founded = run(vocab, "成立以副市长为组长的妇女儿童工作委员会。\n主任：李明（市人民政府副市长）\n", ["roster"], body=None)
    assert [m.body for m in founded.memberships] == ["妇女儿童工作委员会"]
    # a line that is not all people with their titles is not read as a roster line
    assert not run(vocab, "成员：李明（市民政局副局长）等同志参加。\n", ["roster"], body=None).memberships


def test_roster_leaders_whose_posts_name_no_unit(vocab):
    """A place's leaders are written by their posts alone (副市长, 市委常委、副市长, 县委副书记): each
    is a member in that post with no unit (none is invented), and their label still labels the
    lines below them."""
    text = ("某市妇女儿童工作委员会组成人员名单\n主  任：张建华  市委常委、副市长\n副主任：李  梅  副市长\n"
            "王小明  市政府副秘书长\n赵  刚  市委副书记\n委  员：钱  进  市教育局副局长\n")
    ex = run(vocab, text, ["roster"], body=None)
    rows = [(m.person, m.unit and m.unit.name, m.post, m.role) for m in ex.memberships]
    assert rows == [("张建华", None, "市委常委、副市长", "director"), ("李梅", None, "副市长", "deputy-director"),
                    ("王小明", "市政府", "副秘书长", "deputy-director"), ("赵刚", None, "市委副书记", "deputy-director"),
                    ("钱进", "市教育局", "副局长", "member")]
    bracketed = run(vocab, "成立某县反家暴工作协调小组。\n组长：陈海涛（县委副书记）\n副组长：王建国（常务副县长）\n",
                    ["roster"], body=None)
    assert [(m.person, m.unit, m.post, m.role) for m in bracketed.memberships] == [
        ("陈海涛", None, "县委副书记", "leader"), ("王建国", None, "常务副县长", "deputy-leader")]
    # a post of no leader, without a unit, is still no roster line
    assert not run(vocab, "主任：李明  副局长\n", ["roster"], body=None).memberships


def test_roster_table_flattened_to_a_cell_a_line(vocab):
    text = "某市妇女儿童工作委员会组成人员名单\n主  任\n张建华\n市人民政府副市长\n成  员\n李  梅\n市妇联主席\n王刚\n市教育局副局长\n"
    ex = run(vocab, text, ["roster"], body=None)
    rows = [(m.person, m.unit.name, m.post, m.role) for m in ex.memberships]
    assert rows == [("张建华", "市人民政府", "副市长", "director"), ("李梅", "市妇联", "主席", "member"),
                    ("王刚", "市教育局", "副局长", "member")]
    assert {m.body for m in ex.memberships} == {"某市妇女儿童工作委员会"}
    li = ex.memberships[1]
    assert text[li.span[0]:li.span[1]] == "李  梅\n市妇联主席"   # the person's cell and the title's below it
    # a short heading above a unit's duties is no person
    assert not run(vocab, "职责\n市教育局：保障儿童受教育权利。\n", ["roster"], body=None).memberships


def test_posts_assigned_in_prose_and_the_office_host(vocab):
    text = ("（一）总召集人\n由市政府分管妇女儿童工作的副市长担任；召集人由市妇联主席担任。\n"
            "联席会议办公室设在市妇联，办公室主任由市妇联主席兼任。\n")
    ex = run(vocab, text, ["roster"], body="某市妇女儿童工作联席会议")
    got = {(m.role, m.unit.agency_type, m.post) for m in ex.memberships}
    assert ("chief-convener", "government", "分管妇女儿童工作的副市长") in got
    assert ("convener", "womens-federation", "主席") in got
    assert ("office-director", "womens-federation", "主席") in got
    assert [o.unit.agency_type for o in ex.offices] == ["womens-federation"]


# ---------------------------------------------------------------- mechanisms
def test_each_named_mechanism_is_a_resource_with_its_duties(vocab):
    text = ("二、工作机制\n(一)风险隐患排查报告机制\n落实强制报告制度,发现家庭暴力案件线索及时报告。\n"
            "(二)联席会商机制\n各部门要加强信息沟通,适时召开会议。\n三、要求\n")
    ex = run(vocab, text, ["mechanism"])
    assert [m.name for m in ex.mechanisms] == ["风险隐患排查报告机制", "联席会商机制"]
    assert {"mandatory-reporting", "domestic-violence"} <= ex.mechanisms[0].themes
    (st,) = ex.statements
    assert holders(st) == [("各部门", "all-departments", "holder")] and st.genre == "mechanism"


def test_a_mechanism_named_at_the_head_of_its_paragraph(vocab):
    text = ("二、主要机制\n（一）案件线索报告机制。落实强制报告制度，发现未成年人遭受侵害的，应当立即报告。\n"
            "（二）联席会商机制：各部门要加强信息沟通，每半年召开一次会议。\n（三）提高站位，务求实效。\n")
    ex = run(vocab, text, ["mechanism"])
    assert [m.name for m in ex.mechanisms] == ["案件线索报告机制", "联席会商机制"]   # （三） names no mechanism
    first = ex.mechanisms[0]
    assert text[first.name_span[0]:first.name_span[1]] == "案件线索报告机制" and "mandatory-reporting" in first.themes
    (st,) = ex.statements
    assert holders(st) == [("各部门", "all-departments", "holder")] and text[st.span[0]:st.span[1]].startswith("各部门要加强信息沟通")


# ---------------------------------------------------------------- speeches
def test_speech_subjects_continuation_and_new_subject_after_comma(vocab):
    text = ("同志们:\n法院作为国家的审判机关,要加大对妇女儿童的保护力度。检察院要加强批捕工作;"
            "加大法律监督力度。要加强与妇联的沟通合作,劳动部门在解决好妇女就业的同时,加大对企业用工的监督。"
            "尤其是县妇联,做了许多工作。这是我的意见。\n")
    ex = run(vocab, text, ["speech"], code="420100")
    got = [(holders(s)[0][0], s.text[:6]) for s in ex.statements]
    assert got == [("法院", "法院作为国家"), ("检察院", "检察院要加强"), ("检察院", "加大法律监督"),
                   ("检察院", "要加强与妇联"), ("劳动部门", "劳动部门在解")]


def test_speech_subject_whose_name_holds_a_modal_verb(vocab):
    """应 of 应急管理局 is no modal verb: the unit is the subject of its sentence."""
    text = "同志们：\n县应急管理局要加强儿童防灾减灾安全教育；要做好校园安全排查。\n"
    ex = run(vocab, text, ["speech"], code="530128")
    assert [(holders(s)[0][:2], s.text[:4]) for s in ex.statements] == [
        (("县应急管理局", "emergency-management"), "县应急管"), (("县应急管理局", "emergency-management"), "要做好校")]


def test_speech_with_listed_subject_and_collectives(vocab):
    text = "广播、电视等新闻媒体要营造尊重妇女的舆论氛围。各级政府要将妇女儿童事业经费纳入财政预算。\n"
    ex = run(vocab, text, ["speech"])
    assert [holders(s)[0][:2] for s in ex.statements] == [("新闻媒体", "media"), ("各级政府", "governments")]
    assert "funding" in ex.statements[1].themes


def test_repeated_passages_are_one_statement_with_both_spans(vocab):
    speech = "各级政府要将妇女儿童事业发展经费纳入财政预算,加大支持力度,坚持每年为妇女儿童办好几件实事。"
    again = speech.replace(",", "，").replace("几件", "若干")
    text = f"{speech}\n其他内容。\n{again}\n"
    ex = run(vocab, text, ["speech"])
    (st,) = ex.statements
    assert len(st.repeats) == 1 and text[st.repeats[0][0]:st.repeats[0][1]] == again


def test_a_short_passage_reprinted_with_a_word_added_is_one_statement(vocab):
    # a page printing a speech twice, the copy with 切实 added and its punctuation changed
    speech = "司法部门要指导妇女康复工作，落实减灾；民政部门要做好儿童福利工作，加强救助。"
    again = "司法部门要指导妇女康复工作,切实落实减灾;民政部门要做好儿童福利工作,切实加强救助。"
    ex = run(vocab, f"{speech}\n\n共2页，当前第1页12\n\n{again}\n", ["speech"])
    assert [len(st.repeats) for st in ex.statements] == [1, 1]
    # two short duties of one unit that differ in what they do stay two
    ex = run(vocab, "市公安局要打击拐卖妇女犯罪。\n\n市公安局要打击拐卖儿童犯罪。\n", ["speech"])
    assert len(ex.statements) == 2


# ---------------------------------------------------------------- layouts the seeds do not show (issue 5)
def test_member_units_enumerated_in_prose(vocab):
    text = "委员会成员单位为：市委宣传部、市教育局、市公安局，市卫生健康委员会和市妇联。\n"
    ex = run(vocab, text, ["roster"])
    assert [u.agency_type for _b, u in ex.member_units] == ["party-publicity", "education", "public-security", "health",
                                                           "womens-federation"]


def test_prose_duty_list_with_province_units(vocab):
    text = "省教育厅负责保障女童受教育权利；省卫生健康委负责推进妇幼健康服务；省公安厅牵头打击拐卖妇女儿童犯罪。\n"
    ex = run(vocab, text, ["duty-list"], code="330000")
    assert [(holders(s)[0][0], holders(s)[0][1], holders(s)[0][2]) for s in ex.statements] == [
        ("省教育厅", "education", "holder"), ("省卫生健康委", "health", "holder"), ("省公安厅", "public-security", "lead")]


def test_a_county_s_units_are_its_own_under_a_group_named_by_a_level(vocab):
    """The national table files Chongqing's counties under a row named 县 (500200), which is no
    government: 县公安局 in 云阳县's document is 云阳县's unit (it was the group's, one unit for every
    county there), and a name with the municipality's in it is the municipality's."""
    text = "县公安局负责打击拐卖妇女儿童犯罪；县民政局负责困境儿童保障工作；重庆市妇联负责家庭教育指导。\n"
    ex = run(vocab, text, ["duty-list"], code="500235")
    places = [(s.holders[0][0].name, s.holders[0][0].jurisdiction.key) for s in ex.statements]
    assert places == [("县公安局", "500235"), ("县民政局", "500235"), ("重庆市妇联", "500000")]


def test_synth_draws_no_grouping_row_of_the_table():
    import random

    from dutygraph.jurisdictions import division_table, is_grouping
    from dutygraph.synth import places

    groups = {c for c, (name, _level) in division_table().items() if is_grouping(name)}
    assert {"500200", "110100", "469000"} <= groups and "500235" not in groups
    assert not groups & {c for c, _name, _level in places(4000, random.Random(1))}


def test_national_units(vocab):
    text = "教育部负责推动学前教育普及；国家统计局负责妇女儿童统计监测；最高人民法院负责少年审判工作；全国妇联负责家庭教育指导。\n"
    j = Jurisdiction("cn", "中华人民共和国", "national")
    ex = run(vocab, text, ["duty-list"], jurisdiction=j)
    assert [holders(s)[0][1] for s in ex.statements] == ["education", "statistics", "court", "womens-federation"]


def test_task_table_flattened_one_cell_per_line(vocab):
    text = "序号\n重点任务\n牵头单位\n责任单位\n1\n加强留守儿童关爱保护。\n市民政局\n市教育局、市妇联\n2\n开展两癌筛查。\n市卫生健康委\n市财政局\n"
    t1, t2 = run(vocab, text, ["task-division"]).statements
    assert (t1.number, holders(t1)) == (1, [("市民政局", "civil-affairs", "lead"), ("市教育局", "education", "support"),
                                             ("市妇联", "womens-federation", "support")])
    assert t2.text == "开展两癌筛查。" and holders(t2)[0][:2] == ("市卫生健康委", "health")


def test_text_that_stops_mid_sentence(vocab):
    text = "市教育局：保障儿童受教育权利；加强校园安全，做好学生心理健康"
    ex = run(vocab, text, ["duty-list"])
    assert [s.text for s in ex.statements] == ["保障儿童受教育权利;", "加强校园安全,做好学生心理健康"]


def test_roster_title_with_two_posts_in_two_units(vocab):
    text = "领导小组成员名单\n副组长：王 芳  市妇联主席、市妇儿工委副主任\n"
    ex = run(vocab, text, ["roster"])
    assert [(m.unit.name, m.post, m.role) for m in ex.memberships] == [("市妇联", "主席", "deputy-leader"),
                                                                      ("市妇儿工委", "副主任", "deputy-leader")]


def test_a_bare_number_between_lines_is_a_table_row_not_a_page(vocab):
    from dutygraph import layout

    text = "上一行\n\n12\n\n下一行\n序号\n1\n任务"
    kept = [line.view.text for line in layout.lines(text, 0, len(text))]
    assert "12" not in kept and "1" in kept
