"""Where read commands get their answers: the embedded store (pyoxigraph, loaded from
``graph/dutygraph.trig``) or any SPARQL 1.1 endpoint (SPARQLWrapper). Both return rows of plain
Python values, so every command gives the same answers on either.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from .errors import DutygraphError

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "gYear")}
FLOATS = {XSD + t for t in ("decimal", "double", "float")}
DEFAULT_TIMEOUT = 30.0


def python_value(value: str, datatype: str | None):
    if datatype in INTEGERS:
        try:
            return int(value)
        except ValueError:
            return value
    if datatype in FLOATS:
        f = float(value)
        return int(f) if f.is_integer() else f
    if datatype == XSD + "boolean":
        return value == "true"
    return value


class Store(Protocol):
    def select(self, query: str) -> list[dict]: ...


class LocalStore:
    """The built graph, queried with the union of all named graphs: the on-disk Oxigraph store that
    build writes (graph/store/) when it is current, else the TriG loaded into memory."""

    def __init__(self, trig_path: Path):
        import pyoxigraph as ox

        from .build import STORE_DIR, store_is_current

        self._ox = ox
        if not trig_path.exists():
            raise DutygraphError(f"no graph at {trig_path}: run 'dutygraph build' first")
        graph_dir = trig_path.parent
        if store_is_current(graph_dir):
            try:
                self.store = ox.Store.read_only(str(graph_dir / STORE_DIR))
                return
            except Exception as exc:  # RocksDB reports corruption as OSError or RuntimeError
                raise DutygraphError(f"the store in {graph_dir / STORE_DIR} is damaged ({str(exc)[:100]}); run 'dutygraph build' to rebuild it") from None
        self.store = ox.Store()
        try:
            self.store.bulk_load(path=str(trig_path), format=ox.RdfFormat.TRIG)
        except (SyntaxError, ValueError, OSError) as exc:
            raise DutygraphError(f"{trig_path} is damaged ({str(exc).splitlines()[0][:120]}); run 'dutygraph build' to rebuild it") from None

    def select(self, query: str) -> list[dict]:
        ox = self._ox
        try:
            solutions = self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise DutygraphError(f"the query is not valid SPARQL: {str(exc).splitlines()[0][:200]}") from None
        except (OSError, RuntimeError) as exc:
            raise DutygraphError(f"the graph store is damaged ({str(exc)[:100]}); run 'dutygraph build' to rebuild it") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise DutygraphError("only SELECT queries can be listed")
        names = [v.value for v in solutions.variables]
        rows = []
        for sol in solutions:
            row = {}
            for name in names:
                term = sol[name]
                if term is None:
                    row[name] = None
                elif isinstance(term, ox.Literal):
                    row[name] = python_value(term.value, term.datatype.value if term.datatype else None)
                else:
                    row[name] = term.value
            rows.append(row)
        return rows


class RemoteStore:
    """A SPARQL 1.1 endpoint; credentials only from DUTYGRAPH_SPARQL_USER / DUTYGRAPH_SPARQL_PASSWORD."""

    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT):
        self.endpoint = check_url(endpoint)
        self.timeout = timeout

    def _wrapper(self, url: str):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        w = SPARQLWrapper(url)
        w.setMethod(POST)
        w.setReturnFormat(JSON)
        w.setTimeout(max(1, int(self.timeout)))
        user, password = credentials()
        if user:
            w.setCredentials(user, password or "")
        return w

    def select(self, query: str) -> list[dict]:
        w = self._wrapper(self.endpoint)
        w.setQuery(query)
        try:
            result = w.queryAndConvert()
        except Exception as exc:  # urllib, socket and SPARQLWrapper errors alike
            raise DutygraphError(f"endpoint {self.endpoint} failed: {describe(exc)}") from None
        if not isinstance(result, dict) or "results" not in result:
            raise DutygraphError(f"endpoint {self.endpoint} did not answer with SPARQL JSON results")
        names = result["head"].get("vars", [])
        rows = []
        for b in result["results"]["bindings"]:
            row = {}
            for name in names:
                cell = b.get(name)
                if cell is None:
                    row[name] = None
                elif cell["type"] in ("literal", "typed-literal"):
                    row[name] = python_value(cell["value"], cell.get("datatype"))
                else:
                    row[name] = cell["value"]
            rows.append(row)
        return rows


def credentials() -> tuple[str | None, str | None]:
    """(user, password) from DUTYGRAPH_SPARQL_USER/PASSWORD, else from the file named by
    DUTYGRAPH_CREDENTIALS (default ~/.config/dutygraph/credentials: lines user=… and password=…),
    which must be readable by its owner alone."""
    user = os.environ.get("DUTYGRAPH_SPARQL_USER")
    if user:
        return user, os.environ.get("DUTYGRAPH_SPARQL_PASSWORD", "")
    path = Path(os.environ.get("DUTYGRAPH_CREDENTIALS", Path.home() / ".config" / "dutygraph" / "credentials"))
    if not path.exists():
        return None, None
    if path.stat().st_mode & 0o077:
        raise DutygraphError(f"{path} can be read by others: chmod 600 it (credentials must be private)")
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            k, v = line.split("=", 1)
            values[k.strip()] = v.strip()
    return values.get("user"), values.get("password", "")


def check_url(url: str) -> str:
    """An endpoint URL, refused if it is not http(s) or carries credentials (they belong in the environment)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DutygraphError("the endpoint must be an http(s) URL such as http://127.0.0.1:7878/query")
    if parts.username or parts.password:
        raise DutygraphError("the endpoint URL must not carry credentials: set DUTYGRAPH_SPARQL_USER and DUTYGRAPH_SPARQL_PASSWORD instead")
    return url


def describe(exc: Exception) -> str:
    """One line about a network or endpoint error, never with credentials in it."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    try:
        _user, stored = credentials()
    except DutygraphError:
        stored = None
    for secret in (os.environ.get("DUTYGRAPH_SPARQL_PASSWORD"), stored):
        if secret:
            text = text.replace(secret, "***")
    if "timed out" in text.lower() or type(exc).__name__ in ("timeout", "TimeoutError"):
        return "timed out"
    return text[:200]
