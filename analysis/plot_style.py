"""Figure style and saving: palette, journal presets, rcParams, inline PNG, :func:`save_figure`.

* **Style.**  :data:`PRESETS` holds figure widths and font sizes of a few
  outlets; :func:`style` returns the matching rcParams, :func:`use_style` applies
  them to the session (the only function of the package that changes global state) and
  :func:`figure` makes an empty figure of the preset's size.  Text is DejaVu Sans
  (ships with matplotlib, so output is identical on every machine); colours are
  the Okabe-Ito palette (:data:`OKABE_ITO`), cycled together with line styles and
  markers so series stay distinguishable in grayscale.
* **Saving.**  :func:`save_figure` is the only function of the package that
  writes figures.  PDF, SVG and PNG are byte-identical from run to run (no
  timestamps, fixed software fields, fixed SVG hash salt, TrueType fonts), and
  every figure gets a CSV sidecar with the plotted values and a JSON sidecar with
  the provenance (corpus fingerprint, parameters, package and matplotlib
  versions).

Use it through :mod:`analysis.plots`, which re-exports the public names.

References
----------
Okabe, M. & Ito, K. (2008). *Color Universal Design (CUD): how to make figures
and presentations that are friendly to colorblind people.*
https://jfly.uni-koeln.de/color/
Wong, B. (2011). Points of view: Color blindness. *Nature Methods* 8, 441.
Nature Research figure guide, "Building and exporting figure panels" (widths
89 mm and 183 mm, text 5-7 pt, fonts embedded as TrueType/Type 42).
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from cycler import cycler
from IPython import get_ipython
from matplotlib.figure import Figure

from analysis import __version__ as _PACKAGE_VERSION
from analysis import config
from analysis.errors import InputError

__all__ = [
    "OKABE_ITO",
    "OKABE_ITO_NAMES",
    "CYCLE_COLORS",
    "LINESTYLES",
    "MARKERS",
    "HATCHES",
    "Preset",
    "PRESETS",
    "DEFAULT_PRESET",
    "SVG_HASHSALT",
    "style",
    "use_style",
    "inline_png",
    "INLINE_DPI",
    "style_context",
    "active_preset",
    "figure",
    "plotted_data",
    "save_figure",
]


#: The Okabe-Ito colour-blind-safe palette in its published order
#: (black, orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple).
OKABE_ITO: tuple[str, ...] = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
#: Names of the Okabe-Ito colours.
OKABE_ITO_NAMES: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: Order in which series take the colours: strong colours first, yellow (weak on
#: white) and black (reserved for reference lines) last.
CYCLE_COLORS: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#E69F00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#F0E442",
)
#: Line styles cycled together with the colours (distinguishable in grayscale).
LINESTYLES: tuple[Any, ...] = (
    "-",
    "--",
    ":",
    "-.",
    (0, (5, 1, 1, 1, 1, 1)),
    (0, (1, 1)),
    (0, (7, 2)),
    (0, (3, 1, 3, 1, 1, 1)),
)
#: Markers cycled together with the colours.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Hatches for the series of grouped/stacked bars (grayscale safety; pass
#: ``hatch=False`` to a chart function to drop them, e.g. for Nature, whose guide
#: discourages patterns).
HATCHES: tuple[str, ...] = ("", "////", "....", "xxxx", "\\\\\\\\", "++++", "oooo", "----")

#: Hash salt of SVG ids (clip paths, glyphs): fixed, so SVG output is byte-identical.
SVG_HASHSALT: str = "protocol-news-analysis"
#: Sequential colour map (perceptually uniform, colour-blind and grayscale safe).
SEQUENTIAL_CMAP: str = "viridis"
#: Diverging colour map for signed quantities centred at 0 (ColorBrewer RdBu is
#: colour-blind safe; red = negative, blue = positive).
DIVERGING_CMAP: str = "RdBu"

_MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Preset:
    """Figure size and type sizes of one outlet.

    Attributes
    ----------
    name : str
        Key in :data:`PRESETS`.
    width_mm : float
        Figure width (mm).
    height_ratio : float
        Default height / width.
    font_pt : float
        Axis labels, titles (pt).
    small_pt : float
        Tick labels, legends, annotations (pt).
    line_pt : float
        Data line width (pt).
    axes_line_pt : float
        Axes frame and tick width (pt).
    marker_pt : float
        Marker size (pt).
    source : str
        Where the width and type sizes come from.
    """

    name: str
    width_mm: float
    height_ratio: float
    font_pt: float
    small_pt: float
    line_pt: float
    axes_line_pt: float
    marker_pt: float
    source: str

    @property
    def width_in(self) -> float:
        """Width in inches."""
        return self.width_mm / _MM_PER_INCH

    @property
    def is_print(self) -> bool:
        """True for presets meant for print (type sizes within 5-8 pt)."""
        return self.name != "slide"


_NATURE = (
    "Nature Research figure guide: 89 mm single / 183 mm double column, text 5-7 pt, "
    "fonts embedded (Type 42)"
)
_SCIENCE = (
    "Science (AAAS) column widths as commonly cited (5.5 / 12 / 18.3 cm); check the current "
    "Science figure instructions before final submission"
)

#: Available presets (widths in mm, type in pt).  Print presets keep all text
#: between 5 and 8 pt at final size.
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("nature_single", 89.0, 0.75, 7.0, 6.0, 1.0, 0.5, 3.0, _NATURE),
        Preset("nature_double", 183.0, 0.45, 7.0, 6.0, 1.0, 0.5, 3.0, _NATURE),
        Preset("science_single", 55.0, 0.9, 7.0, 6.0, 0.9, 0.5, 2.5, _SCIENCE),
        Preset("science_double", 120.0, 0.6, 7.0, 6.0, 1.0, 0.5, 3.0, _SCIENCE),
        Preset("science_triple", 183.0, 0.45, 7.0, 6.0, 1.0, 0.5, 3.0, _SCIENCE),
        Preset(
            "text_width",
            6.5 * _MM_PER_INCH,
            0.6,
            8.0,
            7.0,
            1.2,
            0.6,
            3.5,
            "Full text width of a US-letter manuscript with 1 in margins (6.5 in), as used by "
            "APSA/Cambridge social-science journals at submission",
        ),
        Preset(
            "slide",
            10.0 * _MM_PER_INCH,
            0.5625,
            16.0,
            14.0,
            2.0,
            1.0,
            6.0,
            "16:9 slide (13.33 x 7.5 in) with a 10 in wide figure; 14-16 pt text readable from the back",
        ),
    )
}
#: Preset used when neither the call nor :func:`use_style` names one.
DEFAULT_PRESET: str = "nature_single"

_active: dict[str, str | None] = {"preset": None}


def _preset(preset: str | None) -> Preset:
    name = preset if preset is not None else (_active["preset"] or DEFAULT_PRESET)
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(f"unknown figure preset {name!r}; choose one of {sorted(PRESETS)}") from None


def style(preset: str | None = None, *, height_ratio: float | None = None) -> dict[str, Any]:
    """The rcParams of a preset (a new dict; nothing is applied).

    Parameters
    ----------
    preset : str, optional
        Key of :data:`PRESETS`; default: the preset set by :func:`use_style`, else
        :data:`DEFAULT_PRESET` (``"nature_single"``).
    height_ratio : float, optional
        Height / width of ``figure.figsize``; default: the preset's.

    Returns
    -------
    dict
        rcParams: figure size (in), DejaVu Sans text at the preset's sizes (pt),
        thin lines, Okabe-Ito colours cycled together with line styles and markers,
        no top/right spines, constrained layout, ``pdf.fonttype``/``ps.fonttype`` 42
        (TrueType), ``svg.fonttype`` ``"path"`` (text drawn as outlines, so the SVG
        looks the same without the font installed; the PDF keeps the text
        editable), fixed ``svg.hashsalt``, ``savefig.dpi`` 300.
    """
    p = _preset(preset)
    ratio = p.height_ratio if height_ratio is None else float(height_ratio)
    if not ratio > 0:
        raise InputError(f"height_ratio must be > 0, got {height_ratio!r}")
    n = len(CYCLE_COLORS)
    prop_cycle = (
        cycler(color=list(CYCLE_COLORS))
        + cycler(linestyle=list(LINESTYLES[:n]))
        + cycler(marker=list(MARKERS[:n]))
    )
    tick_len = 2.5 if p.is_print else 5.0
    return {
        "figure.figsize": (p.width_in, p.width_in * ratio),
        "figure.dpi": 150 if p.is_print else 100,
        "figure.constrained_layout.use": True,
        "figure.facecolor": "white",
        "savefig.dpi": 300,
        "savefig.facecolor": "white",
        "savefig.bbox": None,
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "mathtext.fontset": "dejavusans",
        "font.size": p.font_pt,
        "axes.titlesize": p.font_pt,
        "axes.labelsize": p.font_pt,
        "figure.titlesize": p.font_pt,
        "xtick.labelsize": p.small_pt,
        "ytick.labelsize": p.small_pt,
        "legend.fontsize": p.small_pt,
        "legend.title_fontsize": p.small_pt,
        "legend.frameon": False,
        "axes.linewidth": p.axes_line_pt,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": False,
        "axes.axisbelow": True,
        "axes.prop_cycle": prop_cycle,
        "axes.unicode_minus": True,
        "axes.titlelocation": "left",
        "xtick.major.width": p.axes_line_pt,
        "ytick.major.width": p.axes_line_pt,
        "xtick.minor.width": p.axes_line_pt * 0.8,
        "ytick.minor.width": p.axes_line_pt * 0.8,
        "xtick.major.size": tick_len,
        "ytick.major.size": tick_len,
        "xtick.minor.visible": False,
        "ytick.minor.visible": False,
        "lines.linewidth": p.line_pt,
        "lines.markersize": p.marker_pt,
        "patch.linewidth": p.axes_line_pt,
        "hatch.linewidth": p.axes_line_pt * 0.8,
        "image.cmap": SEQUENTIAL_CMAP,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "path",
        "svg.hashsalt": SVG_HASHSALT,
    }


def use_style(preset: str = DEFAULT_PRESET) -> None:
    """Apply a preset to the whole session (one call restyles a notebook).

    Sets ``matplotlib.rcParams`` to :func:`style` ``(preset)`` and makes *preset* the
    default of every chart function and :func:`figure` in this module.

    Parameters
    ----------
    preset : str, default "nature_single"
        Key of :data:`PRESETS`.
    """
    params = style(preset)
    matplotlib.rcParams.update(params)
    _active["preset"] = preset
    inline_png()


#: Resolution of the PNG a notebook shows for a figure (dots per inch).
INLINE_DPI: int = 150


def _png_bytes(fig: Figure, dpi: int = INLINE_DPI) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, backend="agg", facecolor="white")
    return buf.getvalue()


def inline_png(*, dpi: int = INLINE_DPI) -> bool:
    """Show every :class:`~matplotlib.figure.Figure` that is a cell's value as a PNG image.

    Registers a PNG formatter for figures with the running IPython shell, whatever the
    matplotlib backend (``MPLBACKEND=Agg`` included), so notebooks display their charts
    in JupyterLab and store them as ``image/png`` outputs.  The image is deterministic:
    fixed *dpi*, white background, no ``Software`` chunk (no version or time stamp).
    The ``text/plain`` repr that goes with it stays matplotlib's
    ``<Figure size WxH with N Axes>``, which depends only on the figure's size.
    :func:`use_style` calls it; outside IPython it does nothing.

    Returns
    -------
    bool
        True when a shell was found and the formatter registered.
    """
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, lambda fig: _png_bytes(fig, dpi=int(dpi)))
    return True


@contextmanager
def style_context(preset: str = DEFAULT_PRESET) -> Iterator[None]:
    """:func:`use_style` for a ``with`` block: rcParams and the default preset are restored on exit."""
    saved = _active["preset"]
    try:
        with matplotlib.rc_context(style(preset)):
            _active["preset"] = preset
            yield
    finally:
        _active["preset"] = saved


def active_preset() -> str:
    """Name of the preset chart functions use when called without ``preset``."""
    return _active["preset"] or DEFAULT_PRESET


def figure(
    preset: str | None = None, *, height_ratio: float | None = None, height_mm: float | None = None
) -> Figure:
    """An empty figure of a preset's width with constrained layout.

    Parameters
    ----------
    preset : str, optional
        Key of :data:`PRESETS` (default: :func:`active_preset`).
    height_ratio : float, optional
        Height / width; default: the preset's.
    height_mm : float, optional
        Absolute height (mm); overrides *height_ratio*.

    Returns
    -------
    matplotlib.figure.Figure
        Not registered with pyplot.  Only its size and layout come from the preset:
        call :func:`use_style` first so that artists you add get the preset's fonts
        (the chart functions of this module apply the preset themselves).
    """
    p = _preset(preset)
    ratio = p.height_ratio if height_ratio is None else float(height_ratio)
    height = height_mm / _MM_PER_INCH if height_mm is not None else p.width_in * ratio
    if not (height > 0 and ratio > 0):
        raise InputError("figure height must be > 0")
    with matplotlib.rc_context(style(p.name)):
        return Figure(figsize=(p.width_in, height), layout="constrained", dpi=150 if p.is_print else 100)


_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_FORMATS = {"pdf": "pdf", "svg": "svg", "png": "agg"}
_PLOTTED_ATTR = "_analysis_plotted_data"


def plotted_data(fig: Figure) -> pd.DataFrame:
    """The table a chart function of this module actually drew (a copy).

    Pass it to :func:`save_figure` as ``data`` so the CSV sidecar holds exactly
    the plotted values (after selection of the top rows, sorting, aggregation).
    """
    data = getattr(fig, _PLOTTED_ATTR, None)
    if data is None:
        raise InputError("this figure was not made by an analysis.plots chart function: pass data= yourself")
    return data.copy()


def _jsonable(value: Any, where: str) -> Any:
    """Convert parameters to JSON types, deterministically; refuse what has no stable form."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, Path):
        return config.relpath(value)
    if isinstance(value, (pd.Timestamp, pd.Period)):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v, where) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise InputError(f"save_figure: parameter {where} of type {type(value).__name__} is not JSON-serialisable")


def save_figure(
    fig: Figure,
    name: str,
    *,
    out_dir: str | Path,
    data: pd.DataFrame,
    params: Mapping[str, Any] | None = None,
    corpus_fingerprint: str = "",
    formats: Sequence[str] = ("pdf", "svg", "png"),
    dpi: int = 300,
) -> list[Path]:
    """Write a figure as PDF/SVG/PNG plus CSV and JSON sidecars, byte-reproducibly.

    The one function of the package that writes figures.  The files are
    identical from run to run for the same figure, data and versions: PDF without
    CreationDate/Creator/Producer, SVG without Date and with a fixed hash salt,
    PNG without the Software chunk; fonts embedded as TrueType (``pdf.fonttype``
    42); the figure keeps its size (no tight bounding box, so journal widths hold).
    Rendering uses the pdf/svg/Agg backends for this call only; the session's
    backend is never switched.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    name : str
        File stem: letters, digits, ``.``, ``_``, ``-`` (no directories).
    out_dir : str or Path
        Directory (created if missing).
    data : pandas.DataFrame
        Exactly the plotted values (e.g. :func:`plotted_data` ``(fig)``); written
        as ``<name>.csv`` (UTF-8, ``\\n`` line ends, no index unless the index is
        named, floats in their shortest round-trip form).
    params : Mapping, optional
        Parameters that produced the figure (JSON-serialisable: numbers, strings,
        bools, None, lists, mappings, paths, timestamps; paths are written
        relative to the project).
    corpus_fingerprint : str, default ""
        Fingerprint of the corpus (``corpus.fingerprint``).
    formats : sequence of str, default ("pdf", "svg", "png")
        Any of ``"pdf"``, ``"svg"``, ``"png"``.
    dpi : int, default 300
        Resolution of the PNG (dots per inch).

    Returns
    -------
    list of Path
        The written files, sorted: the figures, ``<name>.csv`` and ``<name>.json``
        (keys ``figure, corpus_fingerprint, parameters, package_version,
        matplotlib_version, columns, rows, files, size_mm``; sorted keys, trailing
        newline).
    """
    if not isinstance(fig, Figure):
        raise InputError(f"save_figure: fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(name, str) or not _NAME_RE.match(name) or ".." in name:
        raise InputError(f"save_figure: bad figure name {name!r} (letters, digits, '.', '_', '-' only)")
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"save_figure: data must be a pandas DataFrame, got {type(data).__name__}")
    fmts = list(dict.fromkeys(formats))
    bad = [f for f in fmts if f not in _FORMATS]
    if bad or not fmts:
        raise InputError(f"save_figure: unsupported format(s) {bad or fmts}; choose from {sorted(_FORMATS)}")
    if not isinstance(dpi, (int, np.integer)) or dpi <= 0:
        raise InputError(f"save_figure: dpi must be a positive integer, got {dpi!r}")
    parameters = _jsonable(dict(params or {}), "params")

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rc = {
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "path",
        "svg.hashsalt": SVG_HASHSALT,
        "pdf.compression": 6,
    }
    metadata: dict[str, dict[str, Any]] = {
        "pdf": {"Title": name, "CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
        "svg": {"Title": name, "Date": None, "Creator": None},
        "png": {"Software": None},
    }
    with matplotlib.rc_context(rc):
        for fmt in fmts:
            path = out / f"{name}.{fmt}"
            fig.savefig(
                path,
                format=fmt,
                dpi=int(dpi),
                metadata=metadata[fmt],
                backend=_FORMATS[fmt],
                facecolor="white",
            )
            written.append(path)

    table = data.reset_index() if any(n is not None for n in data.index.names) else data
    csv_path = out / f"{name}.csv"
    table.to_csv(csv_path, index=False, lineterminator="\n", encoding="utf-8")
    written.append(csv_path)

    width_in, height_in = fig.get_size_inches()
    meta = {
        "figure": name,
        "corpus_fingerprint": corpus_fingerprint,
        "parameters": parameters,
        "package_version": _PACKAGE_VERSION,
        "matplotlib_version": matplotlib.__version__,
        "columns": [str(c) for c in table.columns],
        "rows": int(len(table)),
        "files": sorted(p.name for p in written),
        "size_mm": [round(float(width_in) * _MM_PER_INCH, 1), round(float(height_in) * _MM_PER_INCH, 1)],
    }
    json_path = out / f"{name}.json"
    json_path.write_text(json.dumps(meta, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(json_path)
    return sorted(written)
