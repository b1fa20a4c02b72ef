"""A synthetic corpus for scale tests: N jurisdictions of the national table, each with documents in
the five genres and the layouts real documents are written in, built from the vocabularies so that
the extractor can read them. Beside each, what a reader should find in it (its units, members and
tasks) in the evaluation set's form. Reproducible for a seed."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import yaml

from .build import write_atomic
from .errors import DutygraphError
from .jurisdictions import division_table, is_grouping
from .vocab import Vocabulary

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国丽华明军红英芳敏静强磊洋勇艳杰娟涛超秀兰霞平刚桂英玉梅志强文波海燕丹慧琳鹏飞婷雪峰亮晶"
POSTS = ("副局长", "副主任", "副主席", "局长", "副书记", "副部长", "党组成员", "三级调研员")
NUMERALS = "一二三四五六七八九"
SEPARATOR = {"colon": "：", "ascii-colon": ":", "gap": "  "}   # between a unit and its duties
USUAL = 0.75    # a holder's theme is one its type usually holds this often, while any are left
SECOND = 0.3    # the share of duties that speak of a second theme


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 45 → 四十五: the numbers of （一） items."""
    tens, ones = divmod(n, 10)
    return (("" if tens < 2 else NUMERALS[tens - 1]) + ("十" if tens else "")) + (NUMERALS[ones - 1] if ones else "")


def _unit_names(vocab: Vocabulary) -> dict[str, list[str]]:
    """For each agency type, the names a unit of a prefecture or county goes by: its alternative
    labels (the ministry's 民政部 and the level-written 团县委 are hidden labels, matched but never
    given to a unit of the place)."""
    scheme = vocab.scheme("agency-type")
    return {code: names for code, names in sorted(scheme.names.items())
            if scheme.top(code) == code and code not in ("wcwc", "government", "legislature")}


def _examples(vocab: Vocabulary) -> dict[str, list[str]]:
    """For each theme, its duties as documents word them (skos:example): a duty is written from
    these, so that it reads as one (依法打击拐卖妇女儿童违法犯罪活动, not 完善妇女强奸工作)."""
    scheme = vocab.scheme("theme")
    examples = {code: words for code, words in sorted(scheme.examples.items()) if scheme.top(code) == code}
    if not examples:
        raise DutygraphError("the theme vocabulary gives no examples (skos:example) to write duties from")
    return examples


@dataclass
class Written:
    """A document as written, and what a reader should find in it (the evaluation set's fields)."""

    genre: str
    layout: str
    text: str = ""
    units: dict[str, str] = field(default_factory=dict)      # name → agency type
    members: list[tuple[str, str, str]] = field(default_factory=list)   # person, unit, post
    tasks: list[tuple[int, list[str], list[str]]] = field(default_factory=list)

    def gold(self, file: str, code: str, level: str) -> dict:
        return {"file": file, "jurisdiction": code, "level": level, "genre": self.genre, "layout": self.layout,
                "units": [[u, t] for u, t in self.units.items()], "members": [list(m) for m in self.members],
                "tasks": [[n, lead, sup] for n, lead, sup in self.tasks]}


class Synth:
    def __init__(self, vocab: Vocabulary, seed: int):
        self.rng = random.Random(seed)
        self.units = _unit_names(vocab)
        self.examples = _examples(vocab)
        self.types = sorted(self.units)
        self.themes = sorted(self.examples)
        self.usual = {code: [t for t in themes if t in self.examples]
                      for code, themes in vocab.scheme("agency-type").usual_themes.items()}
        self.type_of = {e.label: e.top for e in vocab.scheme("agency-type").entries}
        self.decks: dict[tuple, list[str]] = {}
        # the register's instruments, cited as documents write them: a title or a short name
        self.instruments = sorted(vocab.instruments.values(), key=lambda i: i.key)

    def layout(self, layouts: tuple[str, ...]) -> str:
        """The layout of a genre's next document, dealt from a shuffled deck of the genre's layouts
        that is dealt again when empty: each is written as often as the others, in no fixed order,
        and a corpus of a few documents of the genre has them all."""
        deck = self.decks.setdefault(layouts, [])
        if not deck:
            deck.extend(layouts)
            self.rng.shuffle(deck)
        return deck.pop()

    def holder_themes(self, kind: str | None, k: int) -> list[str]:
        """k themes for a holder of the agency type ``kind`` (None: a holder of no type, 各成员单位),
        none twice: each one its type usually holds (dg:usualTheme: a 财政局 funds, a 公安局 fights
        trafficking) three times in four while any are left, else any theme."""
        rng = self.rng
        usual = list(self.usual.get(kind, ()))
        other = [t for t in self.themes if t not in usual]
        rng.shuffle(usual)
        rng.shuffle(other)
        return [(usual if usual and (not other or rng.random() < USUAL) else other).pop()
                for _ in range(min(k, len(self.themes)))]

    def clause_count(self, kind: str) -> int:
        """How many duties a unit's entry lists: up to four, fewer for a type of few usual themes."""
        return self.rng.randint(1, min(4, 1 + len(self.usual[kind])) if kind in self.usual else 4)

    def cite(self, instruments) -> str:
        """One of the instruments as a document cites it: its title or a short name."""
        return self.rng.choice(self.rng.choice(instruments).aliases)

    def about(self, themes) -> list:
        """The register's instruments about one of the themes (eli:is_about)."""
        return [i for i in self.instruments if set(i.themes) & set(themes)]

    def outside(self, themes) -> list:
        """The laws and regulations about none of the themes: what a document cites in passing and
        none of its duties carries out."""
        return [i for i in self.instruments if i.kind in ("law", "administrative-regulation")
                and not set(i.themes) & set(themes)] or self.instruments

    def themed_duties(self, n: int, kind: str | None = None) -> list[tuple[str, list[str]]]:
        """n duties of one holder of the agency type ``kind``, each with its themes: on one theme or
        two and no theme twice, in the words of the themes' examples; about a quarter of those whose
        themes some law is about cite such a law, as real duties do (none cites a law off its themes)."""
        rng = self.rng
        themes = iter(self.holder_themes(kind, 2 * n))
        out = []
        for _ in range(n):
            chosen = list(islice(themes, 2 if rng.random() < SECOND else 1))
            text = "，".join(rng.choice(self.examples[t]) for t in chosen)
            laws = self.about(chosen)
            if laws and rng.random() < 0.25:
                text += rng.choice(("，贯彻落实《{}》", "，依据《{}》开展工作", "，宣传普及《{}》")).format(self.cite(laws))
            out.append((text, chosen))
        return out

    def duties(self, n: int, kind: str | None = None) -> list[str]:
        return [text for text, _themes in self.themed_duties(n, kind)]

    def duty(self, kind: str | None = None) -> str:
        """One duty, for a holder of one (a task, a mechanism's unit, the paragraph that lost its unit)."""
        return self.duties(1, kind)[0]

    @staticmethod
    def plan(place: str) -> str:
        """The place's own programme, which no register holds and several of its documents carry out."""
        return f"{place}妇女儿童发展规划（2021-2030年）"

    def unit(self, prefix: str, label: str, doc: Written) -> str:
        """A unit of the place, noted as one the document names."""
        doc.units[prefix + label] = self.type_of[label]
        return prefix + label

    def labels(self, n: int) -> list[str]:
        """The names of n units, each of another type, without the place's prefix."""
        return [self.rng.choice(self.units[t]) for t in self.rng.sample(self.types, min(n, len(self.types)))]

    def members(self, prefix: str, n: int, doc: Written) -> list[str]:
        return [self.unit(prefix, label, doc) for label in self.labels(n)]

    def person(self, spaces: int = 1) -> tuple[str, str]:
        """A name as written (王 珊: a two-character name padded about half the time) and as read."""
        rng = self.rng
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        return (name[0] + " " * spaces + name[1] if len(name) == 2 and rng.random() < 0.5 else name), name

    def duty_list(self, place: str, prefix: str) -> Written:
        """Each unit and its duties: after a colon or a gap (市公安局：…), as a numbered item whose
        unit ends with a full stop ((一)市公安局。…, 1、市公安局。…), or with the unit's name on a line
        of its own, numbered or not, above its numbered duties ((一)市公安局 / 1.…… / 2.……); about a
        third printed from a PDF."""
        rng = self.rng
        layout = self.layout(("colon", "ascii-colon", "gap", "numbered", "unit above its duties"))
        doc = Written("duty-list", layout)
        marker = rng.choice(("（{}）", "{}、")) if layout == "numbered" else None
        above = rng.choice(("（{}）", "")) if layout == "unit above its duties" else None
        lines = [f"{place}妇女儿童工作委员会成员单位职责", ""]
        for k, name in enumerate(self.members(prefix, rng.randint(25, 45), doc), 1):
            duties = self.duties(self.clause_count(doc.units[name]), doc.units[name])
            clauses = "；".join(duties)
            if above is not None:
                lines.append(above.format(chinese_number(k)) + name)
                lines += [f"{i}.{duty}。" for i, duty in enumerate(duties, 1)]
            elif marker:
                lines.append(marker.format(chinese_number(k) if marker[0] == "（" else k) + f"{name}。{clauses}。")
            else:
                lines.append(f"{name}{SEPARATOR[layout]}{clauses}。")
        if rng.random() < 0.3:   # a PDF: fixed-width lines, blank lines between, a page number
            doc.layout += ", PDF lines"
            wrapped, k = [], 0
            for line in lines:
                for i in range(0, len(line), 28):
                    wrapped += [line[i:i + 28], ""]
                    k += 1
                    if k % 40 == 0:
                        wrapped += [str(k // 40 + 1), ""]
            lines = wrapped
        doc.text = "\n".join(lines) + "\n"
        return doc

    def task_division(self, place: str, prefix: str) -> Written:
        """Numbered tasks, under the programme they carry out (the place's own), each with its lead and
        responsible units in brackets after it (full-width or ASCII), or on lines of their own below it
        (牵头单位：… / 责任单位：…)."""
        rng = self.rng
        layout = self.layout(("full-width brackets", "ascii brackets", "labelled lines"))
        doc = Written("task-division", layout)
        lp, rp, colon, semi = ("(", ")", ":", ";") if layout == "ascii brackets" else ("（", "）", "：", "；")
        labels = self.labels(20)   # each unit noted where a task names it
        lines = [f"{place}妇女儿童重点工作责任分工", "",
                 f"为贯彻落实《{self.plan(place)}》，现将重点工作责任分工如下。", ""]
        n = 0
        for g, group in enumerate(("促进妇女就业创业", "保障儿童健康成长", "加强权益保护")):
            lines += [f"{NUMERALS[g]}、{group}", ""]
            for _ in range(rng.randint(4, 10)):
                n += 1
                lead = rng.choice(labels)
                support = [u for u in rng.sample(labels, rng.randint(1, 4)) if u != lead] or ["妇联"]
                lead, support = self.unit(prefix, lead, doc), [self.unit(prefix, u, doc) for u in support]
                target = f"到{rng.choice((2025, 2030))}年覆盖率达到{rng.randint(80, 100)}%" if rng.random() < 0.3 else "确保取得实效"
                task = f"{n}{rng.choice(('.', '．'))}{self.duty(doc.units[lead])}，{target}。"
                if layout == "labelled lines":
                    lines += [task, f"牵头单位：{lead}", f"责任单位：{'、'.join(support)}", ""]
                else:
                    lines += [f"{task}{lp}牵头单位{colon}{lead}{semi}责任单位{colon}{'、'.join(support)}{rp}", ""]
                doc.tasks.append((n, [lead], support))
        doc.text = "\n".join(lines) + "\n"
        return doc

    def roster(self, place: str, prefix: str) -> Written:
        """Who sits on the committee: a line a person with the label on the first line of its group
        (委  员：王 珊  市教育局副局长), several people a line with their titles in brackets below the
        sentence setting the group up, or a table flattened to a cell a line (主  任 / 张建华 / 市…)."""
        rng = self.rng
        layout = self.layout(("label on the first line", "bracketed titles", "table flattened to a cell a line"))
        doc = Written("roster", layout)
        # the chair: the government's deputy head, often written by the leader's posts alone (no unit)
        head = rng.choice((("人民政府", f"副{prefix}长"), ("", f"副{prefix}长"), ("", f"{prefix}委常委、副{prefix}长")))
        head = (self.unit(prefix, head[0], doc) if head[0] else "", head[1])
        rows = [("主  任", head), ("副主任", (self.unit(prefix, "妇联", doc), "主席"))]
        rows += [("委  员", (unit, rng.choice(POSTS))) for unit in self.members(prefix, rng.randint(20, 35), doc)]
        people = []
        for label, (unit, post) in rows:
            written, name = self.person(2 if layout.startswith("table flattened") else 1)
            people.append((label, written, unit, post))
            doc.members.append((name, unit, post))
        if layout == "bracketed titles":
            group = f"{place}妇女儿童权益保护工作协调小组"
            lines = [f"关于调整{group}成员的通知", "", f"为加强对妇女儿童工作的组织领导，经研究，决定成立{group}。",
                     f"组长：{people[0][1]}（{people[0][2]}{people[0][3]}）",
                     f"副组长：{people[1][1]}（{people[1][2]}{people[1][3]}）"]
            rest = [f"{w}（{u}{p}）" for _l, w, u, p in people[2:]]
            for k in range(0, len(rest), 4):
                lines.append(("成员：" if k == 0 else "") + "、".join(rest[k:k + 4]))
        elif layout.startswith("table flattened"):
            lines = [f"{place}妇女儿童工作委员会组成人员名单", ""]
            for k, (label, written, unit, post) in enumerate(people):
                if k == 0 or label != people[k - 1][0]:
                    lines.append(label)
                lines += [written, unit + post]
        else:
            lines = [f"{place}妇女儿童工作委员会组成人员名单", ""]
            for k, (label, written, unit, post) in enumerate(people):
                shown = f"{label}：" if k == 0 or label != people[k - 1][0] else ""
                lines.append(f"{shown}{written}  {unit}{post}")
        doc.text = "\n".join(lines) + "\n"
        return doc

    def mechanism(self, place: str, prefix: str) -> Written:
        """A joint mechanism: the grounds it cites, each mechanism under a heading of its own or named at
        the head of its paragraph ((一)强制报告机制。…), then the units' division of duties, one
        paragraph of which has lost its unit."""
        rng = self.rng
        layout = self.layout(("mechanism headings", "mechanism named in its paragraph"))
        doc = Written("mechanism", layout)
        names = ("信息共享机制", "联合处置机制", "督导检查机制", "强制报告机制", "联席会商机制")
        common = [self.themed_duties(2) for _ in range(3)]          # 各成员单位要…
        units = self.members(prefix, 6, doc)
        own = [self.themed_duties(1, doc.units[u])[0] for u in units]
        lost = self.themed_duties(1, rng.choice(self.types))[0]     # a paragraph that lost its unit (of some type)
        said = {t for _text, themes in [*own, lost, *(d for pair in common for d in pair)] for t in themes}
        # a law named in passing, which no duty carries out, and the grounds it opens with
        lines = [f"{place}维护妇女儿童权益联动工作机制", "",
                 f"近年来，《{self.cite(self.outside(said))}》颁布实施以来，妇女儿童合法权益保障不断加强。",
                 f"为贯彻落实《{self.cite(self.instruments)}》和《{self.plan(place)}》，结合本地实际，建立本工作机制。", "一、工作机制"]
        for k, (name, pair) in enumerate(zip(rng.sample(names, 3), common)):
            words = "各成员单位要{}。{}。".format(*(text for text, _themes in pair))
            lines += [f"（{NUMERALS[k]}）{name}。{words}"] if layout.endswith("paragraph") else [f"（{NUMERALS[k]}）{name}", words]
        lines += ["二、职责分工", *(f"{u}：{text}。" for u, (text, _themes) in zip(units, own)), f"{lost[0]}。"]
        doc.text = "\n".join(lines) + "\n"
        return doc

    def speech(self, place: str, prefix: str) -> Written:
        """A meeting speech: duties said to departments in general (公安部门要…) and to units of the place.
        About a third are web pages that collect it: the site's blurb, a page's navigation, related
        articles, and the speech printed twice with small differences (read as one, see ``web_page``)."""
        rng = self.rng
        doc = Written("speech", "points in one paragraph")
        generic = ("公安部门", "民政部门", "教育部门", "卫生部门", "司法部门", "劳动部门", "各成员单位", "各级政府")
        points = []
        for _ in range(rng.randint(4, 8)):
            if rng.random() < 0.5:
                subject = rng.choice(generic)
                if subject in self.type_of:   # a department in general is the place's unit of that type
                    self.unit("", subject, doc)
            else:
                subject = self.unit(prefix, rng.choice(self.units[rng.choice(self.types)]), doc)
            points.append("{}要{}；要{}。".format(subject, *self.duties(2, doc.units.get(subject))))
        title = f"在全{prefix}妇女儿童工作会议上的讲话"
        if rng.random() < 0.35:
            doc.layout = "web page"
            lines = self.web_page(title, prefix, points)
        else:
            lines = [title, "", "同志们：", "", "".join(points)]
        doc.text = "\n".join(lines) + "\n"
        return doc

    def web_page(self, title: str, prefix: str, points: list[str]) -> list[str]:
        """A page of a site that collects speeches: its title and blurb, the speech as 篇一, the
        page's navigation, the speech again as 篇二 with a word added and its punctuation changed
        (as pages copy one another), then links to related articles, one of which names a unit."""
        rng = self.rng
        year = rng.choice((2019, 2021, 2023))
        again = [p.replace("，", "，切实", 1).replace("；", ";", 1) for p in points]
        return [f"# {year}年妇女儿童工作会议讲话(精选2篇)", "",
                "讲话稿是在会议上发言的文稿。下面是小编为大家整理的妇女儿童工作会议讲话，仅供参考，欢迎阅读。", "",
                "## 妇女儿童工作会议讲话篇一", "", title, "", "同志们：", "", "".join(points), "",
                f"共2页，当前第1页{rng.choice(('12', '1 2 下一页'))}", "",
                "## 妇女儿童工作会议讲话篇二", "", "同志们：", "", "".join(again), "",
                "【妇女儿童工作会议讲话(精选2篇)】相关文章：", "",
                f"{prefix}妇联{year}年上半年工作总结", "", f"{year}年妇女节活动方案", ""]


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
    """Write the corpus under out/corpus/ and, under out/gold/, what each document holds: the
    evaluation set's form, so that `scripts/evaluate --set --docs out/gold` scores the reading."""
    s = Synth(vocab, seed)   # first: a vocabulary it cannot write from leaves no directory behind
    out = Path(out)
    for d in ("corpus", "gold"):
        (out / d).mkdir(parents=True, exist_ok=True)
    docs = 0
    for k, (code, name, level) in enumerate(places(n, random.Random(seed))):
        prefix = "市" if name.endswith("市") else "县" if name.endswith("县") else "区"
        genres = ["duty_list", "roster"] if k % 3 else ["task_division", "mechanism"]
        if k % 10 == 0:
            genres.append("speech")
        for g in genres:
            doc = getattr(s, g)(name, prefix)
            doc_id = f"{docs:05d}_{code}"
            meta = {"title": doc.text.splitlines()[0].lstrip("# "), "jurisdiction": {"name": name, "code": code, "level": level},
                    "body": f"{name}妇女儿童工作委员会", "genres": GENRES_WRITTEN[g], "date": None,
                    "notes": f"synthetic ({g.replace('_', '-')}, {doc.layout}), seed {seed}"}
            gold = doc.gold(f"../corpus/{doc_id}.txt", code, level)
            write_atomic(out / "corpus" / f"{doc_id}.txt", doc.text.encode("utf-8"))
            write_atomic(out / "corpus" / f"{doc_id}.yaml", _yaml(meta))
            write_atomic(out / "gold" / f"{doc_id}.yaml", _yaml(gold))
            docs += 1
    return {"jurisdictions": n, "documents": docs}


def _yaml(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
