"""A synthetic corpus for scale tests: N jurisdictions of the national table, each with documents in
the five genres and their layout variants (colon or gap layouts, PDF wrapping with page numbers,
full-width or ASCII task parentheses, roster labels on the first line only, citations of the
laws in the register), built from the vocabularies so that the extractor can read them.
Reproducible for a seed."""
from __future__ import annotations

import random
from pathlib import Path

import yaml

from .build import write_atomic
from .jurisdictions import division_table, is_grouping
from .vocab import Vocabulary

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国丽华明军红英芳敏静强磊洋勇艳杰娟涛超秀兰霞平刚桂英玉梅志强文波海燕丹慧琳鹏飞婷雪峰亮晶"
VERBS = ("负责", "推进", "加强", "做好", "完善", "落实", "组织开展", "依法保障", "指导")
POSTS = ("副局长", "副主任", "副主席", "局长", "副书记", "副部长", "党组成员", "三级调研员")
LEVEL_PREFIX = {"prefecture": "市", "county": "县", "province": "省"}


def _unit_names(vocab: Vocabulary) -> dict[str, list[str]]:
    """For each agency type, the unit names that carry a suffix a unit has (局, 委, 部, 会 ...)."""
    out: dict[str, list[str]] = {}
    for e in vocab.scheme("agency-type").entries:
        if "{place}" in e.label or e.code != e.top or len(e.label) < 2:
            continue
        if e.label[-1] in "局委部会办院联社台心" and not e.label.endswith(("部门", "机关", "政府")):
            out.setdefault(e.top, []).append(e.label)
    return {k: sorted(v) for k, v in out.items() if v and k not in ("wcwc", "government", "legislature")}


def _keywords(vocab: Vocabulary) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in vocab.scheme("theme").entries:
        if len(e.label) >= 2:
            out.setdefault(e.top, []).append(e.label)
    return {k: sorted(v) for k, v in out.items()}


def _person(rng: random.Random) -> str:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return name[0] + " " + name[1] if len(name) == 2 and rng.random() < 0.5 else name


class Synth:
    def __init__(self, vocab: Vocabulary, seed: int):
        self.rng = random.Random(seed)
        self.units = _unit_names(vocab)
        self.keywords = _keywords(vocab)
        self.types = sorted(self.units)
        self.themes = sorted(self.keywords)
        # citations as documents write them: a title or a short name from the register
        self.laws = sorted({a for i in vocab.instruments.values() for a in i.aliases})

    def duty(self) -> str:
        rng = self.rng
        theme = rng.choice(self.themes)
        kw = rng.choice(self.keywords[theme])
        other = rng.choice(self.keywords[rng.choice(self.themes)])
        who = rng.choice(("妇女儿童", "妇女", "儿童", "农村妇女", "留守儿童", "女职工", "困境儿童", "残疾妇女儿童"))
        text = f"{rng.choice(VERBS)}{who}{kw}工作，{rng.choice(VERBS)}{other}"
        if rng.random() < 0.25:   # about a quarter of real duties cite the law they carry out
            text += rng.choice(("，贯彻落实《{}》", "，依据《{}》开展工作", "，宣传普及《{}》")).format(rng.choice(self.laws))
        return text

    def members(self, prefix: str, n: int) -> list[tuple[str, str]]:
        types = self.rng.sample(self.types, min(n, len(self.types)))
        return [(t, prefix + self.rng.choice(self.units[t])) for t in types]

    def duty_list(self, place: str, prefix: str) -> str:
        rng = self.rng
        sep = rng.choice(("：", ":", "  "))
        lines = [f"{place}妇女儿童工作委员会成员单位职责", ""]
        for _t, name in self.members(prefix, rng.randint(25, 45)):
            clauses = "；".join(self.duty() for _ in range(rng.randint(1, 4)))
            lines.append(f"{name}{sep}{clauses}。")
        if rng.random() < 0.3:   # a PDF: fixed-width lines, blank lines between, a page number
            text = "\n".join(lines)
            wrapped, k = [], 0
            for line in text.split("\n"):
                for i in range(0, len(line), 28):
                    wrapped += [line[i:i + 28], ""]
                    k += 1
                    if k % 40 == 0:
                        wrapped += [str(k // 40 + 1), ""]
            return "\n".join(wrapped) + "\n"
        return "\n".join(lines) + "\n"

    def task_division(self, place: str, prefix: str) -> str:
        rng = self.rng
        full = rng.random() < 0.5
        lp, rp, colon, semi = ("（", "）", "：", "；") if full else ("(", ")", ":", ";")
        units = self.members(prefix, 20)
        lines = [f"{place}妇女儿童重点工作责任分工", ""]
        n = 0
        for g, group in enumerate(("促进妇女就业创业", "保障儿童健康成长", "加强权益保护")):
            lines += [f"{'一二三'[g]}、{group}", ""]
            for _ in range(rng.randint(4, 10)):
                n += 1
                lead = rng.choice(units)[1]
                support = "、".join(u for _t, u in rng.sample(units, rng.randint(1, 4)) if u != lead) or prefix + "妇联"
                target = f"到{rng.choice((2025, 2030))}年覆盖率达到{rng.randint(80, 100)}%" if rng.random() < 0.3 else "确保取得实效"
                lines += [f"{n}.{self.duty()}，{target}。{lp}牵头单位{colon}{lead}{semi}责任单位{colon}{support}{rp}", ""]
        return "\n".join(lines) + "\n"

    def roster(self, place: str, prefix: str) -> str:
        rng = self.rng
        lines = [f"{place}妇女儿童工作委员会组成人员名单", ""]
        members = self.members(prefix, rng.randint(20, 35))
        lines.append(f"主  任：{_person(rng)}  {prefix}人民政府副{'市' if prefix == '市' else '县'}长")
        lines.append(f"副主任：{_person(rng)}  {prefix}妇联主席、{prefix}妇儿工委副主任")
        for k, (_t, unit) in enumerate(members):
            label = "委  员：" if k == 0 else ""
            lines.append(f"{label}{_person(rng)}  {unit}{rng.choice(POSTS)}")
        return "\n".join(lines) + "\n"

    def mechanism(self, place: str, prefix: str) -> str:
        rng = self.rng
        names = ("信息共享机制", "联合处置机制", "督导检查机制", "强制报告机制", "联席会商机制")
        # the grounds it opens with, as real mechanisms do: a citation no duty need carry out
        lines = [f"{place}维护妇女儿童权益联动工作机制", "",
                 f"为贯彻落实《{rng.choice(self.laws)}》，结合本地实际，建立本工作机制。", "一、工作机制"]
        for k, name in enumerate(rng.sample(names, 3)):
            lines += [f"（{'一二三'[k]}）{name}", f"各成员单位要{self.duty()}。{self.duty()}。"]
        lines += ["二、职责分工"]
        for _t, unit in self.members(prefix, 6):
            lines.append(f"{unit}：{self.duty()}。")
        lines.append(f"{self.duty()}。")   # a paragraph that lost its unit
        return "\n".join(lines) + "\n"

    def speech(self, place: str, prefix: str) -> str:
        rng = self.rng
        lines = ["在全市妇女儿童工作会议上的讲话", "", "同志们：", ""]
        generic = {"public-security": "公安部门", "civil-affairs": "民政部门", "education": "教育部门",
                   "health": "卫生部门", "justice": "司法部门", "human-resources": "劳动部门"}
        para = []
        for _ in range(rng.randint(4, 8)):
            subject = rng.choice(list(generic.values()) + ["各成员单位", "各级政府"])
            para.append(f"{subject}要{self.duty()}；要{self.duty()}。")
        lines.append("".join(para))
        return "\n".join(lines) + "\n"


# the genres each kind of document is written in, as its metadata must declare them for the build to
# read every part: a mechanism text ends with its division of duties (a unit-and-duties list)
GENRES_WRITTEN = {"duty_list": ["duty-list"], "task_division": ["task-division"], "roster": ["roster"],
                  "mechanism": ["mechanism", "duty-list"], "speech": ["speech"]}


def places(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """n prefectures and counties of the national table, none of its grouping rows (市辖区, 县, 省直辖县级行政区划:
    no government, so no committee): (code, name, level)."""
    table = division_table()
    pool = sorted((c, name, lvl) for c, (name, lvl) in table.items() if lvl in ("prefecture", "county") and not is_grouping(name))
    return sorted(rng.sample(pool, min(n, len(pool))))


def synth(vocab: Vocabulary, n: int, out: Path, seed: int = 0) -> dict:
    out = Path(out)
    (out / "corpus").mkdir(parents=True, exist_ok=True)
    s = Synth(vocab, seed)
    docs = 0
    for k, (code, name, level) in enumerate(places(n, random.Random(seed))):
        prefix = "市" if name.endswith("市") else "县" if name.endswith("县") else "区"
        genres = ["duty_list", "roster"] if k % 3 else ["task_division", "mechanism"]
        if k % 10 == 0:
            genres.append("speech")
        for g in genres:
            text = getattr(s, g)(name, prefix)
            doc_id = f"{docs:05d}_{code}"
            meta = {"title": text.splitlines()[0], "jurisdiction": {"name": name, "code": code, "level": level},
                    "body": f"{name}妇女儿童工作委员会", "genres": GENRES_WRITTEN[g], "date": None,
                    "notes": f"synthetic ({g.replace('_', '-')}), seed {seed}"}
            write_atomic(out / "corpus" / f"{doc_id}.txt", text.encode("utf-8"))
            write_atomic(out / "corpus" / f"{doc_id}.yaml", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).encode("utf-8"))
            docs += 1
    return {"jurisdictions": n, "documents": docs}
