"""The library API: a ``Workspace`` answers every question the command line asks, for notebooks
and scripts alike. Each read method runs a query of ``queries/`` on the embedded graph or on a
SPARQL endpoint, and returns rows as plain dicts (the JSON rows of the command line).
"""
from __future__ import annotations

import functools
from collections import OrderedDict
from pathlib import Path

from rdflib import Literal, URIRef

from . import __version__
from . import build as build_mod
from . import queries as qlib
from . import vocab as vocab_mod
from .errors import DutygraphError
from .jurisdictions import province_above, short_name
from .namespaces import SH, concept
from .store import DEFAULT_TIMEOUT, LocalStore, RemoteStore

PROJECT = Path(__file__).resolve().parents[2]
SCHEME_OF_KIND = {"theme": "theme", "agency-type": "agency-type", "target-group": "target-group",
                  "role": "role", "collective": "collective", "genre": "genre", "level": "level"}
SEVERITIES = ("Violation", "Warning", "Info")   # SHACL's, as a query's severity parameter names them


class Workspace:
    """A dutygraph workspace: ``corpus/``, ``ontology/``, ``graph/`` (and ``queries/``).

    ``memory=True`` answers from the graph loaded into memory instead of the build's on-disk store:
    it takes a while to load (about two minutes and 7.5 GiB for the national graph), then answers
    the country's long listings two to five times faster, for a notebook that asks many.
    ``threads`` answers a query written in parts in that many parts at once, each by a worker process
    on the store on disk (started at the first such question, kept for the next), on threads in
    memory (by default one per core, at most four; 1 answers each query whole). ``cache=False``
    asks the store every time, where by default an answer that took a second or more is kept for
    this graph in ``graph/answers/`` and read back when the same query is asked again
    (``DUTYGRAPH_CACHE=0`` turns this off too)."""

    def __init__(self, path: str | Path = ".", endpoint: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 memory: bool = False, threads: int | None = None, cache: bool = True):
        self.path = Path(path).resolve()
        self.endpoint = endpoint
        self.timeout = timeout
        self.memory = memory
        self.threads = threads
        self.cache = cache
        self._current: set[str] = set()   # the workspace's own queries found to give the library's columns

    # ---------------------------------------------------------------- set-up
    @property
    def graph_file(self) -> Path:
        return self.path / "graph" / build_mod.GRAPH_FILE

    @functools.cached_property
    def store(self):
        if self.endpoint:
            return RemoteStore(self.endpoint, self.timeout)
        return LocalStore(self.graph_file, memory=self.memory, threads=self.threads, cache=self.cache)

    @functools.cached_property
    def vocab(self) -> vocab_mod.Vocabulary:
        return vocab_mod.load(vocab_mod.ontology_dir(self.path))

    @functools.cached_property
    def library(self) -> dict[str, qlib.Query]:
        """The project's query library with the workspace's own ``queries/`` over it: a query of
        its own adds to the library, and one of a library query's name takes its place."""
        own = self.path / "queries"
        if own.is_dir() and own.resolve() != (PROJECT / "queries").resolve():
            return {**self._project_library, **qlib.library(own)}
        return self._project_library or qlib.library(PROJECT / "queries")   # none anywhere: that error

    @functools.cached_property
    def _project_library(self) -> dict[str, qlib.Query]:
        return qlib.library(PROJECT / "queries") if (PROJECT / "queries").is_dir() else {}

    def build(self, check: bool = False) -> build_mod.Summary:
        return build_mod.build(self.path, check=check)

    # ---------------------------------------------------------------- parameters
    def terms(self, kind: str, values) -> list:
        """RDF terms for parameter values: concept codes checked against the vocabularies,
        jurisdictions looked up by name, short name or code, anything else a literal."""
        out = []
        for v in values:
            if kind in SCHEME_OF_KIND:
                code = self.vocab.scheme(SCHEME_OF_KIND[kind]).check(str(v))
                out.append(concept(SCHEME_OF_KIND[kind], code))
            elif kind == "jurisdiction":
                out.append(URIRef(self.jurisdiction_iri(str(v))))
            elif kind == "integer":
                try:
                    out.append(Literal(int(v)))
                except ValueError:
                    raise DutygraphError(f"'{v}' is not an integer") from None
            elif kind == "iri":
                out.append(URIRef(str(v)))
            elif kind == "severity":
                if str(v) not in SEVERITIES:
                    raise DutygraphError(f"'{v}' is not a severity (one of: {', '.join(SEVERITIES)})")
                out.append(SH[str(v)])
            else:
                out.append(Literal(str(v)))
        return out

    @functools.cached_property
    def _jurisdictions(self) -> list[dict]:
        return self.run("jurisdictions")

    @functools.cached_property
    def jurisdictions_by_iri(self) -> dict[str, dict]:
        """The rows of the query `jurisdictions` (name, code, level, parent …) by the place's IRI,
        asked once for this workspace."""
        return {r["jurisdiction_iri"]: r for r in self._jurisdictions}

    def jurisdiction_iri(self, text: str) -> str:
        """The place a name, short name, alias or division code gives. A name that several places
        bear (城关区, 朝阳区) is refused with their codes rather than taken for the first of them;
        a place's full name wins over another's short name (朝阳市 over 朝阳区's 朝阳)."""
        text = text.strip()
        rows = self._jurisdictions
        found = [r for r in rows if r["code"] and text.isdigit() and text[:6] == str(r["code"])[:6]]
        found = found or [r for r in rows if r["name"] == text] or [
            r for r in rows if text in {short_name(r["name"]), *r["aliases"]}]
        if len(found) == 1:
            return found[0]["jurisdiction_iri"]
        if found:
            raise DutygraphError(f"'{text}' names {len(found)} places: " + ", ".join(
                f"{r['code'] or r['jurisdiction_iri'].rsplit('/', 1)[-1]} ({self._province_of(r)}{r['name']})" for r in found)
                + "; give the division code")
        known = "、".join(r["name"] for r in rows if r["level"] != "province")[:200]
        raise DutygraphError(f"unknown jurisdiction '{text}' (the graph knows: {known})")

    def _province_of(self, row: dict) -> str:
        """The name of the province above a place, as a prefix ('' for a province itself, or a place
        with none above it)."""
        places = self.jurisdictions_by_iri
        top = places[province_above(places, row["jurisdiction_iri"])]
        return top["name"] if top["level"] == "province" and top is not row else ""

    # ---------------------------------------------------------------- queries
    def run(self, name: str, **params) -> list[dict]:
        """Run a library query by name; each keyword is a parameter, given one value or a list."""
        return self.run_query(self._named(name), params)

    def run_many(self, asks: list[tuple[str, dict]]) -> list[list[dict]]:
        """Several library queries at once, ``[(name, params), ...]``, each one's rows as ``run``
        gives them: on the store on disk they are answered side by side, one per core, so the
        longest is what is waited for."""
        queries = [self._named(name) for name, _params in asks]
        texts = [self.query_text(q, params) for q, (_name, params) in zip(queries, asks)]
        return [qlib.split_lists(rows, q.lists) for q, rows in zip(queries, self.store.select_many(texts))]

    def _named(self, name: str) -> qlib.Query:
        """A library query the code reads, checked against the library it was written for."""
        if name not in self.library:
            raise DutygraphError(f"no query named '{name}' (see 'dutygraph query --list')")
        q = self.library[name]
        self._check_current(q)
        return q

    def _check_current(self, q: qlib.Query) -> None:
        """A workspace's own copy of a library query (``synth`` wrote one until 0.26) does not follow an
        upgrade: where it gives fewer columns than this dutygraph's, the code reading it would fail
        on a missing one, so it is refused with what to do."""
        lib = self._project_library.get(q.name)
        if lib is None or lib.text == q.text or q.name in self._current:
            return
        try:
            missing = [v for v in qlib.variables(lib) if v not in qlib.variables(q)]
        except DutygraphError:   # a copy rdflib cannot read (an engine's own syntax): the store will say
            missing = []
        if missing:
            raise DutygraphError(f"{q.path} is older than dutygraph {__version__}'s query '{q.name}': it gives no "
                                 f"{', '.join(missing)}. Copy {lib.path} over it, or delete it to use the library's")
        self._current.add(q.name)

    def run_query(self, q: qlib.Query, params: dict) -> list[dict]:
        rows = self.store.select(self.query_text(q, params))
        return qlib.split_lists(rows, q.lists)

    def query_text(self, q: qlib.Query, params: dict) -> str:
        """The SPARQL a library query is sent as, its parameters (and their defaults) bound."""
        bound = {}
        for key, value in params.items():
            if value is None or value == [] or value == ():
                continue
            values = value if isinstance(value, (list, tuple)) else [value]
            if key not in q.params:
                raise DutygraphError(f"query '{q.name}' has no parameter '{key}' (it has: {', '.join(q.params) or 'none'})")
            bound[key] = self.terms(q.params[key].kind, values)
        for key, p in q.params.items():
            if key not in bound and p.default is not None:
                bound[key] = self.terms(p.kind, [p.default])
        return q.bind(bound)

    def query(self, name_or_file: str, params: dict[str, list[str]] | None = None) -> list[dict]:
        path = Path(name_or_file)
        if name_or_file.endswith(".rq") or path.is_file():
            if not path.is_file():
                raise DutygraphError(f"no query file {name_or_file}")
            q = qlib.parse(path)
        elif name_or_file in self.library:
            q = self.library[name_or_file]
        else:
            raise DutygraphError(f"no query named '{name_or_file}' (see 'dutygraph query --list')")
        return self.run_query(q, params or {})

    def prepare(self) -> list[dict]:
        """Ask the country's listings once, keeping every answer, so that whoever asks one next
        reads it back (see prepare.py); one row per listing asked."""
        from .prepare import prepare

        return prepare(self)

    # ---------------------------------------------------------------- the contract's listings
    def duties(self, theme=(), jurisdiction=(), agency_type=(), target_group=()) -> list[dict]:
        asked = {"theme": list(theme), "place": list(jurisdiction), "unit_type": list(agency_type),
                 "target_group": list(target_group)}
        if any(asked.values()):   # the bases of the duties found, each looked up
            rows = self.run("duties", **asked)
            legal_bases = self.run("legal-bases", duty=sorted({r["duty"] for r in rows})) if rows else []
        else:   # every duty: the country's bases, beside them
            rows, legal_bases = self.run_many([("duties", asked), ("legal-bases", {})])
        bases: dict[str, list] = {}
        for b in legal_bases:
            bases.setdefault(b["duty"], []).append(
                {"law": b["law"], "how": b["how"], "scope": b["scope"], "via": b["via"], "kind": b["kind"],
                 "rule": b["rule"].rsplit("#", 1)[-1] if b["rule"] else None,
                 "mention": None if not b["mention_source"] else {"text": b["mention_text"], "source": b["mention_source"],
                                                                  "start": b["mention_start"], "end": b["mention_end"]}})
        for r in rows:
            r["agency"] = r.get("agency") or ""
            r["legal_bases"] = sorted(bases.get(r["duty"], []), key=lambda b: (b["how"] != "stated", b["law"]))
        return [_pick(r, "jurisdiction", "agency", "agency_type", "role", "themes", "target_groups", "laws",
                      "legal_bases", "text", "source", "start", "end", "duty", "agency_iri", "jurisdiction_iri") for r in rows]

    def tasks(self, jurisdiction=()) -> list[dict]:
        rows, targets = self.run_many([("tasks", {"place": list(jurisdiction)}),
                                       ("task-targets", {"place": list(jurisdiction)})])
        by_task: OrderedDict[str, dict] = OrderedDict()
        for r in rows:
            t = by_task.setdefault(r["task"], {
                "jurisdiction": r["jurisdiction"], "number": r["number"], "group": r["group"], "text": r["text"],
                "lead": [], "support": [], "targets": [], "source": r["source"], "start": r["start"],
                "end": r["end"], "task": r["task"], "jurisdiction_iri": r.get("jurisdiction_iri"), "_order": []})
            if r["unit"]:
                t["_order"].append((int(r["participation"].rsplit("/", 1)[-1]), r["role"], r["unit"]))
        for t in by_task.values():
            for _k, role, unit in sorted(t.pop("_order")):
                t["lead" if role == "lead" else "support"].append(unit)
        for tg in targets:
            if tg["duty"] in by_task:
                by_task[tg["duty"]]["targets"].append(_pick(tg, "text", "value", "unit", "year", "comparison",
                                                             "min", "max", "source", "start", "end"))
        return list(by_task.values())

    def members(self, jurisdiction=()) -> list[dict]:
        rows = self.run("members", place=list(jurisdiction))
        return [_pick(r, "jurisdiction", "body", "person", "agency", "agency_type", "post", "role",
                      "source", "start", "end", "agency_iri", "jurisdiction_iri") for r in rows]

    def laws(self, jurisdiction=()) -> list[dict]:
        rows, uses = self.run_many([("laws", {"place": list(jurisdiction)}), ("law-use", {"place": list(jurisdiction)})])
        use = {u["law_iri"]: u for u in uses}
        by_law: OrderedDict[str, dict] = OrderedDict()
        for r in rows:
            u = use.get(r["law_iri"], {})
            law = by_law.setdefault(r["law_iri"], {"law": r["law"], "kind": r["kind"],
                                                   "registered": bool(r["registered"]),
                                                   "documents": u.get("documents", []), "units": u.get("units", []),
                                                   "duties_stated": u.get("duties_stated", 0),
                                                   "duties_inferred": u.get("duties_inferred", 0),
                                                   "mentions": [], "law_iri": r["law_iri"]})
            law["mentions"].append(_pick(r, "source", "start", "end", "text", "article", "document"))
        return sorted(by_law.values(), key=lambda x: (-len(x["mentions"]), x["law"]))

    def validate(self, severity: str | None = None) -> list[dict]:
        rows = self.run("validation", only=severity)
        first: OrderedDict[str, dict] = OrderedDict()
        for r in rows:
            f = first.get(r["finding"])
            if f is None or (r["source"], r["start"] or 0) < (f["source"] or "~", f["start"] or 0):
                first[r["finding"]] = r
        out = [_pick(r, "severity", "message", "message_zh", "focus", "path", "source", "start", "end")
               for r in first.values()]
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        return sorted(out, key=lambda r: (order.get(r["severity"], 3), r["source"] or "~", r["start"] or 0, r["focus"]))


def _pick(row: dict, *keys) -> dict:
    return {k: row.get(k) for k in keys}
