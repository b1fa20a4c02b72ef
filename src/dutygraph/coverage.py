"""The coverage picture: a heat map of themes × jurisdictions, coloured by the number of units that
hold each theme — the figure a paper would print (PNG and SVG, matplotlib)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .jurisdictions import distinct_names, province_above

CJK_FONTS = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei")


def _cjk_font() -> str | None:
    """A Chinese font matplotlib can use. Its font list is a cache made when matplotlib first ran, so
    a font installed since then is missing from it: the system's fonts are added before giving up."""
    from matplotlib import font_manager

    fm = font_manager.fontManager
    found = _known_cjk(fm)
    if found is None:
        known = {f.fname for f in fm.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    fm.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    pass   # a font file matplotlib cannot read is simply not used
        found = _known_cjk(fm)
    return found


def _known_cjk(fm) -> str | None:
    have = {f.name for f in fm.ttflist}
    return next((f for f in CJK_FONTS if f in have), None)


# columns a printed figure can label and number; with more places (a province, the country) each
# column is a province: 3,200 columns made a figure 3,500 inches wide, which took all the memory
MAX_PLACES = 60


@dataclass
class Coverage:
    """What the heat map shows: one row per theme, one column per place (or per province)."""
    themes: list[str]
    columns: list[str]   # the columns' names
    keys: list[str]      # their division codes or keys, for a machine without a Chinese font
    values: list[list[int]]
    measure: str         # "units", or "share" (per cent of a province's places)


def matrix(ws, jurisdictions=()) -> Coverage:
    """Units holding each theme in each place (`theme-counts`); above ``MAX_PLACES`` places, for each
    province the share of its places in the answer where some unit holds the theme."""
    rows = ws.run("theme-counts", place=list(jurisdictions))
    themes = sorted(ws.vocab.scheme("theme").labels)
    names = {r["jurisdiction_iri"]: r["jurisdiction"] for r in rows}
    if len(names) <= MAX_PLACES:
        label = distinct_names(names)
        order = sorted(names, key=lambda iri: label[iri])
        units = {(r["theme"], r["jurisdiction_iri"]): r["units"] for r in rows}
        return Coverage(themes, [label[i] for i in order], [_key(i) for i in order],
                        [[units.get((t, p), 0) for p in order] for t in themes], "units")
    province = _provinces(ws)
    places: dict[str, set] = defaultdict(set)      # province: its places in the answer
    holding: dict[tuple, set] = defaultdict(set)   # (theme, province): the places where a unit holds it
    for r in rows:
        top = province.get(r["jurisdiction_iri"], (r["jurisdiction_iri"], r["jurisdiction"]))[0]
        places[top].add(r["jurisdiction_iri"])
        if r["units"]:
            holding[(r["theme"], top)].add(r["jurisdiction_iri"])
    label = distinct_names({iri: name for iri, name in province.values() if iri in places}
                           | {iri: names[iri] for iri in places if iri in names})
    order = sorted(places, key=lambda iri: _key(iri))
    return Coverage(themes, [label[i] for i in order], [_key(i) for i in order],
                    [[round(100 * len(holding[(t, p)]) / len(places[p])) for p in order] for t in themes], "share")


def _provinces(ws) -> dict[str, tuple[str, str]]:
    """Each place's province (IRI, name), from the query `jurisdictions`."""
    places = ws.jurisdictions_by_iri
    return {iri: (top, places[top]["name"]) for iri in places for top in [province_above(places, iri)]}


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def write_heatmap(ws, out: Path, jurisdictions=()) -> list[Path]:
    import logging

    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib.pyplot as plt

    cov = matrix(ws, jurisdictions)
    themes, values = cov.themes, cov.values
    font = _cjk_font()
    plt.rcParams["svg.hashsalt"] = "dutygraph"
    if font:
        plt.rcParams["font.family"] = [font, "DejaVu Sans"]
        ylabels = [f"{ws.vocab.label('theme', t)}  {t}" for t in themes]
        xlabels = cov.columns
    else:   # no CJK font on this machine: codes and keys only, rather than empty boxes
        ylabels, xlabels = themes, cov.keys
    share = cov.measure == "share"
    top = max((v for row in values for v in row), default=0)
    fig, ax = plt.subplots(figsize=(2.2 + 1.1 * len(xlabels), 0.32 * len(themes) + 2.2))
    im = ax.imshow(values, cmap="YlOrRd", aspect="auto", vmin=0, vmax=100 if share else None)
    ax.set_xticks(range(len(xlabels)), labels=xlabels, rotation=35, ha="right")
    ax.set_yticks(range(len(themes)), labels=ylabels, fontsize=8)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7, color="black" if v < (100 if share else top) * 0.6 else "white")
    if share:
        ax.set_title("Places (%) where a unit holds each theme, by province" + (" 各省有单位承担各主题职责的地方占比" if font else ""))
    else:
        ax.set_title("Units holding each theme" + (" 各主题的职责单位数" if font else ""))
    fig.colorbar(im, ax=ax, label="% of the province's places" if share else "units")
    fig.tight_layout()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, meta in ((".png", {"Software": None}), (".svg", {"Date": None})):
        path = out.with_suffix(suffix)
        fig.savefig(path, dpi=150, metadata=meta)
        written.append(path)
    plt.close(fig)
    return written
