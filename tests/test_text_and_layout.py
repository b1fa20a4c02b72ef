from dutygraph import layout
from dutygraph.text import View, fold, split_keep


def test_fold_keeps_length_and_offsets():
    s = "（牵头单位：市人社局；责任单位：市妇联）１２３"
    assert len(fold(s)) == len(s)
    assert fold(s) == "(牵头单位:市人社局;责任单位:市妇联)123"


def test_view_maps_back_across_removed_characters():
    src = "市 委 组\n\n织部：做好工作"
    v = View.of(src).without(" \n")
    assert v.text.startswith("市委组织部")
    a, b = v.span(0, 5)
    assert src[a:b] == "市 委 组\n\n织部"


def test_split_keep_keeps_the_separator():
    v = View.of("保障权益；推动发展。完善制度")
    assert [p.text for p in split_keep(v, "。;；")] == ["保障权益;", "推动发展。", "完善制度"]   # the view is folded


def test_page_numbers_are_dropped_and_pdf_lines_joined():
    width_line = "这是一行被PDF按固定宽度折断的文字，内容还没有写完整要继续"
    text = "\n\n".join([width_line] * 8 + ["— 4 —", "最后一行。", "4", "新的一段。"])
    lines = layout.lines(text, 0, len(text))
    assert all(line.view.text not in ("— 4 —", "4") for line in lines)
    paras = layout.paragraphs(lines)
    assert len(paras) == 2
    a, b = paras[0].span()
    assert text[a:b].startswith(width_line) and text[a:b].endswith("最后一行。")


def test_a_web_pages_links_to_its_pages_are_dropped_and_run_into_nothing():
    nav = ["共2页，当前第1页12", "共3页: 上一页 1 2 3 下一页", "首页 上一页 1 2 下一页 尾页"]
    for line in nav:
        text = f"公安部门要加强巡查。\n\n{line}\n\n民政部门要做好救助工作。\n"
        paras = [p.text for p in layout.paragraphs(layout.lines(text, 0, len(text)))]
        assert paras == ["公安部门要加强巡查。", "民政部门要做好救助工作。"], line
    # words that speak of pages are text
    text = "下一页工作要做好\n共有2页材料待审核。\n"
    assert len(layout.lines(text, 0, len(text))) == 2


def test_paragraphs_of_about_one_length_are_not_taken_for_a_pdf_wrap():
    """Lines a PDF wrapped stop wherever the width ran out; paragraphs that happen to be as long end
    their sentences, and each stays itself — above all the one after a unit's duties that names none."""
    duties = [f"市{name}：负责妇女儿童权益保障工作，落实第{k}项制度，加强宣传。" for k, name in enumerate("财政局 教育局 民政局 司法局 公安局 卫健委 人社局".split())]
    text = "\n".join(duties + ["指导农村妇女教育公平工作，依法保障妇女儿童健康，宣传普及法律。"])
    paras = layout.paragraphs(layout.lines(text, 0, len(text)))
    assert len(paras) == 8 and paras[-1].text.startswith("指导农村妇女")


def test_a_line_that_stops_mid_sentence_runs_on_but_a_new_item_does_not():
    text = "各部门要加强协作，形成\n\n工作合力。\n1.第一项任务。\n（一）会议机制"
    paras = layout.paragraphs(layout.lines(text, 0, len(text)))
    assert [p.text for p in paras] == ["各部门要加强协作,形成工作合力。", "1.第一项任务。", "(一)会议机制"]
