"""Rosters: who sits on a committee or group, for which unit, in which post.

Handles names with spaces inside (王 珊), a group label written only on the first line of its group
(组长：… / 成员：… then bare lines), titles holding several posts (市委宣传部副部长、网信办主任),
several people on a line each with the title in brackets (李明（市民政局副局长）、黄丽（…）), a roster
table flattened to a cell a line (主任 / 张建华 / 市人民政府副市长), the group a
roster is of named in a heading (…人员名单) or where it is set up (成立……协调小组。), leaders
written by their posts alone (市委常委、副市长: a member with no unit), and
sentences that assign a post to a unit (总召集人由市政府分管副市长担任; 办公室设在市妇联).
"""
from __future__ import annotations

import re

from ..records import Extraction, Membership, OfficeHost
from ..text import View
from .. import layout
from .matchers import Context

CJK = "\u4e00-\u9fff"
LABEL_WORD = r"(?:[总副]\s*)?(?:召\s*集\s*人|组\s*长|主\s*任|成\s*员|委\s*员)"   # 组 长, 副主任 ...
LABEL = re.compile(rf"^(?P<label>{LABEL_WORD})\s*:\s*")
LABEL_ALONE = re.compile(rf"^{LABEL_WORD}$")   # a roster table's label cell
PERSON = re.compile(rf"^[{CJK}](?:\s{{0,2}}[{CJK}]){{1,3}}$")
TITLE_STOP = re.compile(r"[:;,。]")
# the posts of a place's leaders, which name no unit: 副市长, 常务副县长, 市委常委, 县委副书记
LEADER = re.compile(r"^(?:(?:[省市县区州旗盟]委(?:常委|副?书记)|(?:常务)?副?[省市县区州旗盟]长)、?)+$")
BRACKETED = re.compile(rf"(?P<person>[{CJK}](?:\s?[{CJK}]){{1,3}})\s*\((?P<title>[^()]+)\)\s*(?:[、,;]\s*|$)")
FOUNDED = re.compile(r"成立(?:[^,;。:、]*?的)?(?P<body>[^,;。:、的]{2,40}?(?:领导小组|协调小组|工作小组|协调组|委员会|联席会议))(?=[,;。:]|$)")
BODY_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?P<body>.*?)(?:组成人员名单|成员名单|人员名单|组成人员|名单)$")
ASSIGN = re.compile(r"(?P<role>[^,;。:由]{2,8}?)由(?P<who>[^,;。]{2,40}?)(?:担任|兼任)")
ASSIGN_REV = re.compile(r"(?P<who>[^,;。:]{2,40}?)担任(?P<role>[^,;。]{2,8}?)(?=[,;。]|$)")
HOSTED = re.compile(r"办公室设在(?P<who>[^,;。]{2,20}?)(?=[,;。]|$)")
ENUMERATION = re.compile(r"(?<!各)成员单位(?:(?:为|包括|有|是|由)\s*:?|\s*:)\s*(?P<list>[^。;]{4,}?)(?:等(?:单位|部门)?(?:组成)?)?(?:。|;|$)")
LIST_SEP = re.compile(r"[、,]|和|及|以及|…+")


def roster_line(ctx: Context, view: View):
    """(label, [(person view, title view, span of the person and title or None for the line)]) for a
    roster line, else None."""
    v = view
    label = None
    m = LABEL.match(v.text)
    if m:
        label = m.group("label").replace(" ", "")
        v = v[m.end():]
    people = _bracketed(ctx, v)
    if people:
        return label, people
    one = _spaced(ctx, v)
    return None if one is None else (label, [one + (None,)])


def table_rows(ctx: Context, lines: list[layout.Line]) -> dict:
    """A roster table flattened to a cell a line: each person's line, with the title on the line below
    it (张建华 / 市人民政府副市长), as a roster line; the label is on a line of its own above (主任)."""
    rows = {}
    for a, b in zip(lines, lines[1:]):
        person, title = a.view, b.view
        if (PERSON.match(person.text) and not LABEL_ALONE.match(person.text)
                and ctx.units.at_start(person.text.replace(" ", "")) is None
                and len(title.text) <= 30 and not TITLE_STOP.search(title.text)   # a title, not a duty
                and _is_title(ctx, title.text)):
            rows[person.index[0]] = (None, [(person, title, (person.span()[0], title.span()[1]))])
    return rows


def _bracketed(ctx: Context, v: View) -> list:
    """People each followed by their title in brackets, filling the line: 林晓红（市妇联主席）、…"""
    people, at = [], 0
    for m in BRACKETED.finditer(v.text):
        title = v[m.start("title"):m.end("title")].strip()
        if m.start() != at or not _is_title(ctx, title.text):
            return []
        people.append((v[m.start("person"):m.end("person")], title, v.span(m.start(), m.end("title") + 1)))
        at = m.end()
    return people if at == len(v.text) else []


def _spaced(ctx: Context, v: View):
    """(person view, title view) for a line 王 珊  市委宣传部副部长, else None."""
    tokens = []
    for t in re.finditer(r"\S+", v.text):
        tokens.append((t.start(), t.end()))
        if len(tokens) > 5:      # a name is at most four characters: no need to look further
            break
    for k in range(1, len(tokens)):
        name = "".join(v.text[a:b] for a, b in tokens[:k])
        title = v[tokens[k][0]:]
        if PERSON.match(v.text[:tokens[k - 1][1]]) and 2 <= len(name) <= 4 and _is_title(ctx, title.text):
            return v[:tokens[k - 1][1]], title
    return None


def _is_title(ctx: Context, text: str) -> bool:
    """Words after a name that are a title: a unit and its post, or a leader's posts alone."""
    text = text.replace(" ", "")
    return bool(ctx.units.at_start(text) or LEADER.match(text))


def _posts(ctx: Context, title: View):
    """(unit, post) for each post in a title: 市委宣传部副部长、网信办主任 gives two; a leader's
    posts, which name no unit (市委常委、副市长), are one post without a unit."""
    if LEADER.match(title.without(" ").text):
        yield None, title.written()
        return
    unit = None
    for piece in re.finditer(r"[^、,;]+", title.text):
        pv = title[piece.start():piece.end()]
        compact = pv.without(" ")
        hit = ctx.units.at_start(compact.text)
        if hit:
            unit = ctx.units.ref(compact, hit, ctx.resolve)
            post = compact[hit.end:]
        else:
            post = compact
        if unit is not None:
            yield unit, post.written()


def enumerated_units(ctx: Context, para: View) -> list:
    """Member units listed in prose: 成员单位为：A、B……和Z。"""
    return [ref for m in ENUMERATION.finditer(para.text)
            for ref in ctx.unit_list(para[m.start("list"):m.end("list")], LIST_SEP, collectives=False)]


def parse(ctx: Context, lines: list[layout.Line], out: Extraction, body: str | None) -> None:
    rows = {line.view.index[0]: r for line in lines if (r := roster_line(ctx, line.view))}
    cells = {k: r for k, r in table_rows(ctx, lines).items() if k not in rows}
    titles = {r[1][0][1].index[0] for r in cells.values()}   # a title's line belongs to the person above
    rows.update(cells)
    paras = layout.paragraphs(lines, lambda v: v.index[0] in rows or v.index[0] in titles
                              or bool(LABEL_ALONE.match(v.text)) or layout.starts_item(v))
    group_body, group_span, label, last_heading = body, None, None, None
    for para in paras:
        row = rows.get(para.index[0])
        if para.index[0] in titles:
            continue
        if row is None and LABEL_ALONE.match(para.text):
            label = para.text.replace(" ", "")
            continue
        if row is None:
            labelled = LABEL.match(para.text)
            if labelled:   # a label whose line was not read still labels the lines below it
                label = labelled.group("label").replace(" ", "")
            if body:
                out.member_units.extend((body, ref) for ref in enumerated_units(ctx, para))
            m = BODY_HEAD.match(para.text.replace(" ", ""))
            founded = FOUNDED.search(para.text)
            if m:
                named = m.group("body")
                group_body = named if len(named) >= 2 else body
                group_span = para.span() if len(named) >= 2 else None
                label = None
            elif founded:   # 成立……协调小组。 and its roster below
                named = para[founded.start("body"):founded.end("body")]
                group_body, group_span, label = named.written(), named.span(), None
            _assignments(ctx, para, out, body, last_heading)
            last_heading = para if layout.is_heading(para) else None
            continue
        lab, people = row
        label = lab or label
        role = ctx.group_roles.get(label or "成员", "member")
        for person, title, span in people:
            for unit, post in _posts(ctx, title):
                out.memberships.append(Membership(
                    body=group_body or body or "", jurisdiction=ctx.jurisdiction,
                    span=span or para.span(), unit=unit,
                    person=person.written(), person_span=person.span(), post=post, role=role,
                    body_span=group_span))


def _assignments(ctx: Context, para: View, out: Extraction, body: str | None, heading: View | None) -> None:
    """Posts given to a unit's officer without a name (召集人由市妇联主席担任), and the office's host."""
    if not body:
        return
    text = para.text
    if heading is not None and text.startswith("由"):
        role_word = re.sub(r"^\(\s*[一二三四五六七八九十]+\s*\)", "", heading.text).strip()
        text = role_word + text
        offset = -len(role_word)
    else:
        offset = 0
    for rx in (ASSIGN, ASSIGN_REV):
        for m in rx.finditer(text):
            role = ctx.group_roles.get(m.group("role").strip())
            if role is None:
                continue
            a, b = m.start("who") + offset, m.end("who") + offset
            who = para[a:b].without(" ")
            hit = ctx.units.at_start(who.text)
            if hit is None or hit.collective:
                continue
            unit = ctx.units.ref(who, hit, ctx.resolve)
            span = para.span(max(0, m.start() + offset), m.end() + offset)
            out.memberships.append(Membership(body=body, jurisdiction=ctx.jurisdiction, span=span, unit=unit,
                                              post=who.written(hit.end), role=role, office=role.startswith("office")))
    for m in HOSTED.finditer(para.text):
        who = para[m.start("who"):m.end("who")].without(" ")
        hit = ctx.units.at_start(who.text)
        if hit and not hit.collective:
            out.offices.append(OfficeHost(body, ctx.units.ref(who, hit, ctx.resolve), para.span(m.start(), m.end()), ctx.jurisdiction))
