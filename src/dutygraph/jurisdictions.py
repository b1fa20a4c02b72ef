"""Jurisdictions: the national table of administrative divisions (shipped by the ``cpca`` package)
joined with what corpus metadata says about places that table lacks (zones, unnamed speakers).

A jurisdiction is looked up by its Chinese name with or without suffix (东莞, 东莞市) or its code.
"""
from __future__ import annotations

import csv
import functools
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DutygraphError
from .namespaces import ID, slug

SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
            "省", "市", "县", "区", "盟", "旗")
LEVELS = ("national", "province", "prefecture", "county", "zone")


def is_grouping(name: str) -> bool:
    """A row of the national table that only groups a municipality's or a province's divisions,
    named by a level (市辖区, 县, 省直辖县级行政区划): no government sits there, and a unit written
    县公安局 in one of its counties is that county's, not the group's."""
    return name in SUFFIXES or name.endswith("辖区") or name.endswith("行政区划")


@dataclass(frozen=True)
class Jurisdiction:
    key: str                 # division code (6 digits) or a metadata-given key
    name: str
    level: str
    parent: str | None = None  # key of the parent
    code: str | None = None
    note: str | None = None
    aliases: tuple[str, ...] = field(default=())

    @property
    def iri(self):
        return _iri(self.key)

    @property
    def short(self) -> str:
        return short_name(self.name)

    @property
    def grouping(self) -> bool:
        return is_grouping(self.name)


@functools.lru_cache(maxsize=1 << 14)
def _iri(key: str):
    """A jurisdiction's IRI, the same object each time (sets and dicts then find it by identity)."""
    return ID[f"jurisdiction/{slug(key)}"]


def distinct_names(names: dict[str, str]) -> dict[str, str]:
    """Each place's name (by its IRI), followed by its code or key where another of these places
    bears the same name (朝阳区 110105, 朝阳区 220104), so that an answer never merges two places."""
    count: dict[str, int] = {}
    for name in names.values():
        count[name] = count.get(name, 0) + 1
    return {iri: name if count[name] == 1 else f"{name} {iri.rsplit('/', 1)[-1]}" for iri, name in names.items()}


def province_above(places: dict[str, dict], iri: str) -> str:
    """The place at the top of ``iri``'s parents in the rows of the query `jurisdictions` (by IRI):
    its province, or the highest place above it where the graph has none (a zone of the seeds)."""
    top, seen = iri, set()
    while places[top]["level"] != "province" and places[top]["parent"] in places and top not in seen:
        seen.add(top)
        top = places[top]["parent"]
    return top


def short_name(name: str) -> str:
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


@functools.lru_cache(maxsize=1)
def division_table() -> dict[str, tuple[str, str]]:
    """code (6 digits) -> (name, level), read from cpca's adcodes.csv without importing cpca."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise DutygraphError("the cpca package (national division table) is not installed: pip install cpca")
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
    table: dict[str, tuple[str, str]] = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            if row["adcode"][6:].strip("0"):
                continue  # township level and below
            level = "province" if code[2:] == "0000" else "prefecture" if code[4:] == "00" else "county"
            table.setdefault(code, (row["name"], level))
    return table


def parent_code(code: str) -> str | None:
    table = division_table()
    for cand in (code[:4] + "00", code[:2] + "0000"):
        if cand != code and cand in table:
            return cand
    return None


def from_code(code: str) -> Jurisdiction:
    table = division_table()
    code = str(code)[:6]
    if code not in table:
        raise DutygraphError(f"unknown administrative division code '{code}'")
    name, level = table[code]
    return Jurisdiction(code, name, level, parent_code(code), code)


def by_name(name: str) -> list[Jurisdiction]:
    """Every division whose name (or short name) is ``name``."""
    out = []
    for code, (full, _level) in division_table().items():
        if name in (full, short_name(full)):
            out.append(from_code(code))
    return out


def resolve_meta(meta: dict, where: str) -> Jurisdiction:
    """A jurisdiction from a metadata block: code, or a name the table knows, or a described place."""
    if not isinstance(meta, dict) or not meta.get("name"):
        raise DutygraphError(f"{where}: jurisdiction needs at least a name")
    name, code = str(meta["name"]), meta.get("code")
    level = meta.get("level")
    if level is not None and level not in LEVELS:
        raise DutygraphError(f"{where}: unknown level '{level}' (use one of {', '.join(LEVELS)})")
    parent = meta.get("parent")
    parent_key = None
    if parent is not None:
        parent_key = resolve_meta(parent, where).key if isinstance(parent, dict) else lookup_key(str(parent), where)
    if code:
        j = from_code(str(code))
        if name not in (j.name, j.short):
            raise DutygraphError(f"{where}: code {code} is {j.name}, not {name}")
        return j
    if not meta.get("key"):
        found = by_name(name)
        if level:
            found = [j for j in found if j.level == level]
        if parent_key:
            found = [j for j in found if parent_key in _ancestors(j.key)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise DutygraphError(f"{where}: '{name}' is ambiguous ({', '.join(j.code for j in found)}): give its code or parent")
        raise DutygraphError(f"{where}: unknown jurisdiction '{name}' (give a code, or a key, level and parent for a place outside the national table)")
    if not level:
        raise DutygraphError(f"{where}: a jurisdiction outside the national table needs a level")
    return Jurisdiction(str(meta["key"]), name, level, parent_key, None, meta.get("note"),
                        tuple(meta.get("aliases") or ()))


def lookup_key(text: str, where: str) -> str:
    if text.isdigit():
        return from_code(text).key
    found = by_name(text)
    if len(found) != 1:
        raise DutygraphError(f"{where}: cannot tell which jurisdiction '{text}' is; give its code")
    return found[0].key


def _ancestors(code: str) -> list[str]:
    out = []
    p = parent_code(code) if code.isdigit() else None
    while p:
        out.append(p)
        p = parent_code(p)
    return out


def with_ancestors(j: Jurisdiction, known: dict[str, Jurisdiction]) -> list[Jurisdiction]:
    """The jurisdiction and its parents up to the province, from metadata or the table."""
    chain, cur = [j], j
    while cur.parent:
        nxt = known.get(cur.parent) or from_code(cur.parent)
        chain.append(nxt)
        cur = nxt
    return chain
