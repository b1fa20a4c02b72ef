"""Statements from views: split a duty text into clauses and tag each with what it speaks of."""
from __future__ import annotations

from ..records import Statement, UnitRef
from ..text import View, split_keep
from .matchers import Context
from .targets import find_targets

CLAUSE_SEPS = "。;!?！？"


def clauses(view: View) -> list[View]:
    """A duty paragraph cut into clauses at 。 and ；, each keeping its closing mark."""
    return [c for c in split_keep(view, CLAUSE_SEPS) if sum(1 for ch in c.text if "\u4e00" <= ch <= "\u9fff") >= 4]


def role_of(ctx: Context, text: str, default: str = "holder") -> str:
    """lead for 牵头, support for 配合/协助, else the default."""
    codes = ctx.roles.codes(text)
    if "lead" in codes:
        return "lead"
    if "support" in codes:
        return "support"
    return default


def make(ctx: Context, view: View, genre: str, holders: list[tuple[UnitRef, str]],
         paragraph: View | None = None, **kw) -> Statement:
    """A tagged statement: themes, target groups and numeric targets read from its text."""
    text = view.text.replace(" ", "")
    st = Statement(span=view.span(), text=view.text, jurisdiction=ctx.jurisdiction, genre=genre,
                   holders=list(holders), paragraph=paragraph.span() if paragraph else None, **kw)
    st.themes = ctx.themes.codes(text)
    st.target_groups = ctx.target_groups.codes(text)
    st.targets = find_targets(view)
    return st
