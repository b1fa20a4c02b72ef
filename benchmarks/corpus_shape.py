"""How near a synthetic corpus is to the real documents, in the shape of what is read from it: of
its duties, the share that serve children, that serve no named target group, that rest on no legal
basis, and the themes a duty has on average; and of the duties a unit of a known type holds or
leads, the share on a theme its type usually holds (`dg:usualTheme`). The national listings' sizes follow these shares (one
target group's duties, the duties without a basis), so a figure of the scale benchmark is read with
the corpus it was taken on.

    python benchmarks/corpus_shape.py . /tmp/national/n300        (each a built workspace)
    python benchmarks/corpus_shape.py . /tmp/national/n300 --format json

Each workspace is asked through the library (`Workspace.duties`, the library query
`duties-without-basis`), as a researcher would; the seeds' workspace is the project's own (`.`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dutygraph import Workspace  # noqa: E402
from dutygraph.output import render  # noqa: E402


def shape(path: Path) -> dict:
    """The shares of one built workspace's duties (each duty once, whatever its holders)."""
    ws = Workspace(path)
    rows = ws.duties()
    duties = {r["duty"]: r for r in rows}
    n = len(duties) or 1
    without_basis = {r["duty"] for r in ws.run("duties-without-basis")}
    return {"workspace": str(path), "duties": len(duties),
            "children": round(sum("children" in r["target_groups"] for r in duties.values()) / n, 2),
            "no_target_group": round(sum(not r["target_groups"] for r in duties.values()) / n, 2),
            "no_legal_basis": round(len(without_basis & set(duties)) / n, 2),
            "themes_a_duty": round(sum(len(r["themes"]) for r in duties.values()) / n, 2),
            "own_usual_theme": usual_share(ws, rows)}


def usual_share(ws: Workspace, rows: list[dict]) -> float:
    """Of the rows where a unit of a known type holds or leads a duty, the share whose duty has a
    theme the type usually holds."""
    types = ws.vocab.scheme("agency-type")
    own = [set(r["themes"]) & set(types.usual_themes.get(types.top(r["agency_type"]), ()))
           for r in rows if r["agency_type"] and r["role"] in ("holder", "lead")]
    return round(sum(map(bool, own)) / (len(own) or 1), 2)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workspaces", nargs="+", type=Path)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    a = p.parse_args()
    print(render([shape(w) for w in a.workspaces], a.format), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
