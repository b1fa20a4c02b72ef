"""The coverage picture: a heat map of themes × jurisdictions, coloured by the number of units that
hold each theme — the figure a paper would print (PNG and SVG, matplotlib)."""
from __future__ import annotations

from pathlib import Path

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


def matrix(ws, jurisdictions=()) -> tuple[list[str], list[str], list[list[int]]]:
    rows = ws.run("theme-counts", place=list(jurisdictions))
    places = sorted({r["jurisdiction"] for r in rows})
    themes = sorted(ws.vocab.scheme("theme").labels)
    units = {(r["theme"], r["jurisdiction"]): r["units"] for r in rows}
    return themes, places, [[units.get((t, p), 0) for p in places] for t in themes]


def write_heatmap(ws, out: Path, jurisdictions=()) -> list[Path]:
    import logging

    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    import matplotlib.pyplot as plt

    themes, places, values = matrix(ws, jurisdictions)
    font = _cjk_font()
    plt.rcParams["svg.hashsalt"] = "dutygraph"
    if font:
        plt.rcParams["font.family"] = [font, "DejaVu Sans"]
        ylabels = [f"{ws.vocab.label('theme', t)}  {t}" for t in themes]
        xlabels = places
    else:   # no CJK font on this machine: codes and keys only, rather than empty boxes
        ylabels = themes
        xlabels = [ws.jurisdiction_iri(p).rsplit("/", 1)[-1] for p in places]
    fig, ax = plt.subplots(figsize=(2.2 + 1.1 * len(places), 0.32 * len(themes) + 2.2))
    im = ax.imshow(values, cmap="YlOrRd", aspect="auto", vmin=0)
    ax.set_xticks(range(len(places)), labels=xlabels, rotation=35, ha="right")
    ax.set_yticks(range(len(themes)), labels=ylabels, fontsize=8)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7, color="black" if v < max(max(values)) * 0.6 else "white")
    ax.set_title("Units holding each theme" + (" 各主题的职责单位数" if font else ""))
    fig.colorbar(im, ax=ax, label="units")
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
