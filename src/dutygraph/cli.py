"""The command line: a thin layer over ``dutygraph.api.Workspace``.

Exit status: 0 when the command did its work (findings are findings), 1 with one line on stderr for
bad input, 2 for a usage error. No traceback for a user's mistake.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .analysis import GAP_KINDS
from .api import Workspace
from .errors import DutygraphError, os_error_line
from .output import render, waiting
from .text import display_width
from .viz import PAGE_LIMIT

# Each command's examples, as its --help shows them (the first of each also in dutygraph --help);
# a test runs those of the listing commands on the seed graph.
EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "build": [("dutygraph build", "build graph/ from corpus/ and print a summary"),
              ("dutygraph build --check", "exit 1 if graph/ is not what a build would write (for CI)")],
    "validate": [("dutygraph validate", "the SHACL report, each result with its source words"),
                 ("dutygraph validate --severity Warning --format csv", "the warnings only, as CSV")],
    "duties": [("dutygraph duties --theme anti-trafficking", "who holds anti-trafficking duties, everywhere"),
               ("dutygraph duties --jurisdiction 东莞 --format json", "Dongguan's duties, one JSON object a line"),
               ("dutygraph duties --target-group children --agency-type civil-affairs",
                "civil-affairs units' duties toward children"),
               ("dutygraph duties --endpoint http://127.0.0.1:7878/query", "the same answers, from an endpoint")],
    "tasks": [("dutygraph tasks --jurisdiction 610100 --format csv",
               "Xi'an's tasks (a division code), each with its lead and supporting units")],
    "members": [("dutygraph members --jurisdiction 虎林", "who sits on Hulin's joint meeting, for which unit")],
    "laws": [("dutygraph laws", "every instrument cited, with each mention's words"),
             ("dutygraph laws --jurisdiction 唐山国际旅游岛 --format json", "those one place's documents cite")],
    "query": [("dutygraph query duties --param theme=domestic-violence", "a library query with a parameter"),
              ("dutygraph query --list", "the library's queries and their parameters"),
              ("dutygraph query queries/duties-without-unit.rq", "a .rq file of your own (here the library's)")],
    "ingest": [("dutygraph ingest notice.pdf --jurisdiction 441900 --title 成员单位职责",
                "add a document for Dongguan and rebuild; its genres are detected")],
    "compare": [("dutygraph compare 东莞 西安 --by theme", "who holds each theme in each city ('—' where nobody)"),
                ("dutygraph compare 东莞 西安 --by agency-type --texts --format json",
                 "each agency type's themes there, with the duties' words")],
    "gaps": [("dutygraph gaps --jurisdiction 唐山国际旅游岛", "orphan duties with suggested units, and other gaps"),
             ("dutygraph gaps --kind uncovered-theme --format csv", "themes a place leaves uncovered that its peers cover")],
    "network": [("dutygraph network --kind lead-support --measure betweenness", "units that lie between others in the lead→support network"),
                ("dutygraph network --kind shared-theme --jurisdiction 东莞", "units linked by the themes they share")],
    "prepare": [("dutygraph prepare --workspace /tmp/national",
                 "after a national build: ask the country's listings once, keep the answers"),
                ("dutygraph prepare --format csv > prepared.csv", "what was asked, its rows and seconds")],
    "export": [("dutygraph export --format jsonld --out dutygraph.jsonld", "the graph as JSON-LD"),
               ("dutygraph export --format csv --out tables --no-persons", "CSV tables in tables/, without people's names")],
    "load": [("dutygraph load --endpoint http://127.0.0.1:7878/query",
              "the graph into a SPARQL store (what changed since the last load)")],
    "serve": [("dutygraph serve", "an Oxigraph server on the graph (read-only), query page at /"),
              ("dutygraph serve --port 8080 --host 0.0.0.0", "on another port, for the team's machines")],
    "synth": [("dutygraph synth --jurisdictions 1000 --out /tmp/national --seed 1", "a synthetic country of 1,000 places"),
              ("dutygraph build --workspace /tmp/national", "then build it")],
    "docs": [("dutygraph docs", "write docs/ontology.html: every class, property and code")],
    "viz": [("dutygraph viz", "write viz/dutygraph.html, the network of units, duties and laws"),
            ("dutygraph viz --overview", "agency types × themes, linked by their places: a country at a glance"),
            ("dutygraph viz --coverage", "the themes × places heat map (PNG and SVG)"),
            ("dutygraph viz --jurisdiction 东莞 --theme anti-trafficking --out dongguan.html", "one place, one theme")],
}


def _examples(pairs: list[tuple[str, str]], width: int = 48) -> str:
    """Examples as help text: the command, then what it gives, lined up on a terminal (a Chinese
    character takes two columns), below it when the command is longer than the column."""
    lines = []
    for command, what in pairs:
        room = width - display_width(command)
        lines.append(f"  {command}{' ' * room} {what}" if room >= 0 else f"  {command}\n  {' ' * width} {what}")
    return "\n".join(lines)


EPILOG = f"""examples (dutygraph COMMAND --help: more for each):
{_examples([pairs[0] for pairs in EXAMPLES.values()])}

environment:
  DUTYGRAPH_CACHE=0        ask the graph store every time, as --no-cache does (by default an answer that
                           took it a second or more is kept in graph/answers/ for this graph and read
                           back when asked again)
  DUTYGRAPH_THREADS=N      parts a query written in parts is answered in at once, each by a worker
                           process on the store on disk (default: one per core, at most 4; 1: whole)
  DUTYGRAPH_PROGRESS=0     no progress line on long builds, nor a waiting line on long answers
  DUTYGRAPH_SPARQL_USER, DUTYGRAPH_SPARQL_PASSWORD    an endpoint's credentials
  DUTYGRAPH_CREDENTIALS=FILE   or a file of user=… and password=… lines only you can read
                           (default: ~/.config/dutygraph/credentials)
"""


class Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line, exit 2
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _command(sub, name: str, help: str, more: str = "") -> argparse.ArgumentParser:   # noqa: A002 - argparse's name
    """A command's parser: its help line also as its description, its examples (and ``more``) below its options."""
    epilog = "examples:\n" + _examples(EXAMPLES[name]) + (f"\n\n{more}" if more else "")
    return sub.add_parser(name, help=help, description=help, epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _seconds(text: str) -> float:
    """A timeout: a number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:   # NaN too
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds above 0")
    return value


def _port(text: str) -> int:
    """A TCP port to listen on: 1 to 65535."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port (1 to 65535)")
    return int(text)


def _common(p: argparse.ArgumentParser, listing: bool = True, remote: bool = True) -> None:
    p.add_argument("--workspace", default=".", help="the workspace directory holding corpus/ and graph/ (default: .)")
    if listing:
        p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format (default: table)")
    if remote:
        p.add_argument("--endpoint", help="ask this SPARQL 1.1 endpoint instead of the local graph")
        p.add_argument("--timeout", type=_seconds, default=30.0, help="seconds to wait for an endpoint (default: 30)")
        p.add_argument("--no-cache", action="store_true",
                       help="ask the local graph again, not the answer kept from an earlier time it took a second or more")


def _places(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jurisdiction", action="append", default=[], metavar="J",
                   help="a place by name (东莞 or 东莞市) or division code (441900), with the places under it (repeatable)")


def parser() -> Parser:
    top = Parser(prog="dutygraph", description="A knowledge graph of local-government duties toward women and children.",
                 epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"dutygraph {__version__}")
    sub = top.add_subparsers(dest="command", metavar="command", parser_class=Parser)
    sub.required = True

    p = _command(sub, "build", "corpus → graph/, runs SHACL, prints a summary")
    _common(p, listing=False, remote=False)
    p.add_argument("--check", action="store_true", help="exit 1 if graph/ differs from what build would write")

    p = _command(sub, "validate", "the SHACL report, with source spans")
    _common(p)
    p.add_argument("--severity", choices=("Violation", "Warning", "Info"))

    p = _command(sub, "duties", "duty statements and who holds them")
    _common(p)
    p.add_argument("--theme", action="append", default=[], metavar="CODE", help="a theme code (repeatable)")
    _places(p)
    p.add_argument("--agency-type", action="append", default=[], metavar="CODE", help="an agency-type code (repeatable)")
    p.add_argument("--target-group", action="append", default=[], metavar="CODE", help="a target-group code (repeatable)")

    p = _command(sub, "tasks", "numbered tasks with their lead and supporting units")
    _common(p)
    _places(p)

    p = _command(sub, "members", "who sits on which committee, for which unit, in which post")
    _common(p)
    _places(p)

    p = _command(sub, "laws", "legal instruments cited, each once however it is written")
    _common(p)
    _places(p)

    p = _command(sub, "query", "run a library query or a .rq file")
    _common(p)
    p.add_argument("name", nargs="?", help="a query of queries/ (without .rq) or a path to a .rq file")
    p.add_argument("--param", action="append", default=[], metavar="K=V", help="a parameter value (repeatable)")
    p.add_argument("--list", action="store_true", help="list the library's queries and their parameters")

    p = _command(sub, "ingest", "add a document (.txt .html .docx .pdf, any common encoding) and rebuild")
    _common(p, listing=False, remote=False)
    p.add_argument("file")
    p.add_argument("--jurisdiction", required=True, metavar="J", help="name or division code of the place it speaks for")
    p.add_argument("--level", choices=("national", "province", "prefecture", "county", "zone"))
    p.add_argument("--parent", metavar="P", help="the parent place, for a place outside the national table")
    p.add_argument("--title")
    p.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--issuer")
    p.add_argument("--body", help="the committee or group the document is about")
    p.add_argument("--genre", action="append", default=[], choices=("duty-list", "task-division", "roster", "mechanism", "speech"),
                   help="its genre(s); detected when not given")
    p.add_argument("--no-build", action="store_true", help="add it without rebuilding (for adding many)")

    p = _command(sub, "compare", "side by side: who holds each theme (or agency type) in each place")
    _common(p)
    p.add_argument("places", nargs="+", metavar="J", help="two or more jurisdictions")
    p.add_argument("--by", choices=("theme", "agency-type"), default="theme")
    p.add_argument("--texts", action="store_true", help="add the duty texts with their sources")

    p = _command(sub, "gaps", "what is missing or inconsistent, with suggested units for orphan duties")
    _common(p)
    _places(p)
    p.add_argument("--kind", action="append", default=[], choices=GAP_KINDS, metavar="KIND",
                   help=f"only gaps of this kind (repeatable): {', '.join(GAP_KINDS)}")

    p = _command(sub, "network", "centrality of units in the lead→support or shared-theme network")
    _common(p)
    p.add_argument("--kind", choices=("lead-support", "shared-theme"), default="lead-support")
    p.add_argument("--measure", choices=("degree", "betweenness", "eigenvector"), default="degree")
    _places(p)

    p = _command(sub, "prepare", "ask the country's listings once, so that their answers are kept for whoever asks next",
                 more="""Each library query over the whole graph, and once for each theme, target group, agency type and
severity it takes; then `duties` for each of those. Every answer is kept in graph/answers/ (other
commands keep those that took a second or more) until the next build changes the graph.""")
    _common(p, remote=False)

    p = _command(sub, "export", "the graph as Turtle, TriG, JSON-LD, N-Triples, RDF/XML, CSV or GraphML")
    _common(p, listing=False)
    p.add_argument("--format", dest="export_format", required=True, choices=("turtle", "trig", "jsonld", "ntriples", "rdfxml", "csv", "graphml"))
    p.add_argument("--out", help="file to write (a directory for csv); standard output when not given")
    p.add_argument("--no-persons", action="store_true", help="leave people's names out (for publishing the graph)")

    p = _command(sub, "load", "put the graph into a SPARQL store, one named graph per document")
    _common(p, listing=False, remote=False)
    p.add_argument("--endpoint", required=True, help="the store's SPARQL query URL (e.g. http://127.0.0.1:7878/query)")
    p.add_argument("--update-endpoint", help="its update URL (default: .../update beside the query URL)")
    p.add_argument("--store-endpoint", help="its Graph Store Protocol URL (default: .../store)")
    p.add_argument("--timeout", type=_seconds, default=60.0)
    p.add_argument("--no-bulk", action="store_true",
                   help="one transaction per graph even on an Oxigraph server (which is otherwise loaded in bulk)")
    p.add_argument("--all", action="store_true", dest="everything",
                   help="load every graph, also those the store's manifest shows unchanged since the last load")

    p = _command(sub, "serve", "serve the graph read-only with a local Oxigraph server and its query page")
    _common(p, listing=False, remote=False)
    p.add_argument("--port", type=_port, default=7878)
    p.add_argument("--host", default="127.0.0.1")

    p = _command(sub, "synth", "write a synthetic corpus of N jurisdictions, for scale tests",
                 more="how well each layout it wrote is read back, from a checkout of dutygraph:\n"
                      "  scripts/evaluate --set --docs /tmp/national/gold")
    p.add_argument("--jurisdictions", type=int, required=True, metavar="N", help="prefectures and counties of the national table")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="the workspace to write: corpus/, ontology/, and gold/ (what each document holds)")
    p.add_argument("--seed", type=int, default=0, help="the same seed writes the same bytes")
    p.add_argument("--workspace", default=".")

    p = _command(sub, "docs", "the HTML documentation of the ontology and vocabularies")
    _common(p, listing=False, remote=False)
    p.add_argument("--out", help="where to write it (default: docs/ontology.html)")

    p = _command(sub, "viz", "one self-contained HTML page of the network")
    _common(p, listing=False, remote=True)
    p.add_argument("--out", help="where to write the page (default: viz/dutygraph.html)")
    _places(p)
    p.add_argument("--theme", action="append", default=[], metavar="CODE")
    p.add_argument("--no-persons", action="store_true", help="accepted for symmetry with export: the page shows no people")
    p.add_argument("--whole", action="store_true",
                   help=f"write the page however large (above {PAGE_LIMIT:,} nodes it is refused: a browser takes minutes to draw it)")
    other = p.add_mutually_exclusive_group()
    other.add_argument("--overview", action="store_true",
                       help="write the overview: agency types and themes, linked by the places where a unit of the type "
                            "holds the theme (default viz/overview.html); for a network too large to draw")
    other.add_argument("--coverage", action="store_true",
                       help="write the themes × jurisdictions heat map (PNG and SVG; default viz/coverage.png)")
    return top


def _params(pairs: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pair in pairs:
        if "=" not in pair:
            raise DutygraphError(f"--param needs KEY=VALUE, not '{pair}'")
        k, v = pair.split("=", 1)
        out.setdefault(k.strip(), []).append(v)
    return out


def run(args: argparse.Namespace) -> int:
    ws = Workspace(args.workspace, getattr(args, "endpoint", None), getattr(args, "timeout", 30.0),
                   cache=not getattr(args, "no_cache", False))
    fmt = getattr(args, "format", "table")
    if args.command == "build":
        summary = ws.build(check=args.check)
        if args.check:
            print("graph/ is up to date" if not summary.changed else "graph/ differs from what build would write: run 'dutygraph build'")
            return 1 if summary.changed else 0
        print("\n".join(summary.lines()))
        print("graph/dutygraph.trig " + ("written" if summary.changed else "unchanged"))
        return 0
    if args.command in LISTINGS:
        with waiting(f"dutygraph {args.command}: asking {'the endpoint' if ws.endpoint else 'the store'}"):
            text = render(_rows(ws, args), fmt)
        sys.stdout.write(text)
        return 0
    if args.command == "prepare":
        return _prepare(ws, fmt)
    if args.command == "ingest":
        return _ingest(ws, args)
    elif args.command == "export":
        from .export import export

        with waiting(args.out and f"dutygraph export: writing {args.out}"):
            result = export(ws, args.export_format, args.out, persons=not args.no_persons)
        if isinstance(result, bytes):
            sys.stdout.buffer.write(result)
        else:
            print(result) if args.out else sys.stdout.write(result)
        return 0
    elif args.command == "load":
        from .endpoint import load

        stats = load(ws.path, args.endpoint, args.timeout, args.update_endpoint, args.store_endpoint,
                     bulk=False if args.no_bulk else None, everything=args.everything)
        unchanged = stats["graphs"] - stats["loaded"]
        print(f"loaded {stats['loaded']} named graphs ({stats['triples']} triples in all {stats['graphs']}) into {args.endpoint}"
              + (" in bulk" if stats["bulk"] else "")
              + (f"; {unchanged} unchanged since the last load" if unchanged else "")
              + (f"; dropped {stats['dropped']} graphs of documents no longer in the corpus" if stats["dropped"] else ""))
        return 0
    elif args.command == "synth":
        import shutil

        from .synth import synth

        if args.jurisdictions < 1:
            raise DutygraphError("--jurisdictions must be at least 1")
        stats = synth(ws.vocab, args.jurisdictions, Path(args.out), args.seed)
        # its vocabularies, the lexicon it was written with; not queries/: a copy would not follow an
        # upgrade, and a workspace without its own asks the library's
        if not (Path(args.out) / "ontology").exists():
            shutil.copytree(ws.path / "ontology" if (ws.path / "ontology").is_dir() else Path(__file__).resolve().parents[2] / "ontology",
                            Path(args.out) / "ontology")
        print(f"wrote {stats['documents']} documents for {stats['jurisdictions']} jurisdictions in {args.out}")
        return 0
    elif args.command == "docs":
        from .docs import write_docs

        print(f"wrote {write_docs(ws.path, Path(args.out) if args.out else None)}")
        return 0
    elif args.command == "serve":
        from .endpoint import serve

        return serve(ws.path, args.host, args.port)
    elif args.command == "viz":
        if args.coverage:
            from .coverage import write_heatmap

            paths = write_heatmap(ws, Path(args.out) if args.out else ws.path / "viz" / "coverage.png", args.jurisdiction)
            print("wrote " + ", ".join(str(p) for p in paths))
            return 0
        if args.overview:
            from .overview import write_overview

            path, stats = write_overview(ws, Path(args.out) if args.out else ws.path / "viz" / "overview.html",
                                         args.jurisdiction, args.theme)
            print(f"wrote {path} ({stats['nodes']} nodes, {stats['edges']} edges)")
            return 0
        from .viz import write_page

        out = Path(args.out) if args.out else ws.path / "viz" / "dutygraph.html"
        path, stats = write_page(ws, out, args.jurisdiction, args.theme, whole=args.whole)
        print(f"wrote {path} ({stats['nodes']} nodes, {stats['edges']} edges)")
        return 0
    raise DutygraphError(f"unknown command {args.command}")  # pragma: no cover - argparse rejects it


LISTINGS = ("validate", "duties", "tasks", "members", "laws", "query", "compare", "gaps", "network")


def _rows(ws: Workspace, args: argparse.Namespace) -> list[dict]:
    """The rows a listing command prints."""
    if args.command == "validate":
        return ws.validate(args.severity)
    if args.command == "duties":
        return ws.duties(args.theme, args.jurisdiction, args.agency_type, args.target_group)
    if args.command == "tasks":
        return ws.tasks(args.jurisdiction)
    if args.command == "members":
        return ws.members(args.jurisdiction)
    if args.command == "laws":
        return ws.laws(args.jurisdiction)
    if args.command == "query":
        if args.list or not args.name:
            return [{"name": q.name, "title": q.title, "parameters": ", ".join(f"{p.name} ({p.kind})" for p in q.params.values())}
                    for q in ws.library.values()]
        return ws.query(args.name, _params(args.param))
    if args.command == "compare":
        from .analysis import compare

        return compare(ws, args.places, args.by, args.texts)
    if args.command == "gaps":
        from .analysis import gaps

        return [g for g in gaps(ws, args.jurisdiction) if not args.kind or g["kind"] in args.kind]
    from .analysis import centrality

    return centrality(ws, args.kind, args.measure, args.jurisdiction)


def _prepare(ws: Workspace, fmt: str) -> int:
    from .prepare import kept

    rows = ws.prepare()
    sys.stdout.write(render(rows, fmt))
    count, size = kept(ws)
    print(f"asked {len(rows)} listings in {sum(r['seconds'] for r in rows):.1f} s; "
          f"{count} answers kept for this graph in graph/answers/ ({size / 2**20:.1f} MiB)", file=sys.stderr)
    return 0


def _ingest(ws: Workspace, args) -> int:
    from .ingest import ingest

    r = ingest(ws, Path(args.file), args.jurisdiction, args.level, args.parent, args.title, args.date, args.issuer,
               args.genre, args.body, build=not args.no_build)
    if r["unchanged"]:
        print(f"{args.file} is already in the corpus as {r['path']}: nothing changed")
        return 0
    print(f"added {r['path']} ({r['format']}{', ' + r['encoding'] if r['encoding'] else ''}; {r['jurisdiction']}; genres: {', '.join(r['genres'])})")
    if args.no_build:
        return 0
    fresh = Workspace(ws.path)
    mine = lambda rows: [x for x in rows if x.get("source") == r["path"]]  # noqa: E731
    duties = mine(fresh.duties())
    tasks, members = mine(fresh.tasks()), mine(fresh.members())
    laws = [law for law in fresh.laws() if any(m["source"] == r["path"] for m in law["mentions"])]
    from .analysis import gaps

    found = [g for g in gaps(fresh) if g.get("source") == r["path"]]
    agencies = sorted({(d["agency"], d["agency_type"] or "?") for d in duties if d["agency"]})
    print(f"agencies  {len(agencies)}: " + "、".join(f"{a}({t})" for a, t in agencies[:40]) + ("…" if len(agencies) > 40 else ""))
    print(f"duties    {len({d['duty'] for d in duties})}")
    print(f"tasks     {len(tasks)}")
    print(f"members   {len(members)}")
    print(f"laws      {len(laws)}: " + "、".join(law["law"] for law in laws[:20]))
    print(f"gaps      {len(found)}" + ("".join(f"\n  {g['kind']}: {g['message']}" for g in found[:10])))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except DutygraphError as exc:
        print(f"dutygraph: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dutygraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:   # a path the system refused: what was there before is left as it was
        print(f"dutygraph: error: {os_error_line(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
