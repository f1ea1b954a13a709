"""Paper-ready figures: journal presets, one saving function, chart functions.

Three parts:

* **Style.**  :data:`PRESETS` holds figure widths and font sizes of a few
  outlets; :func:`style` returns the matching rcParams, :func:`use_style` applies
  them to the session (the only function here that changes global state) and
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
* **Charts.**  Each chart function takes a result table (column names as in
  CONTRIBUTING.md) and returns a :class:`matplotlib.figure.Figure` with axes
  labelled with units, built with constrained layout at the width of a preset.
  The table that was actually drawn (after selection, sorting and aggregation)
  is attached to the figure; get it with :func:`plotted_data` and pass it to
  :func:`save_figure` as ``data``.

Importing this module changes no rcParams and never selects a backend; the
figures are plain :class:`~matplotlib.figure.Figure` objects (not registered
with pyplot), so they are garbage-collected normally and a notebook displays
one when it is the value of a cell.

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
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from cycler import cycler
from IPython import get_ipython
from matplotlib import colors as mcolors
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
    "protocol_profile",
    "density_over_time",
    "top_bundles",
    "keyness_chart",
    "formulaicity_over_time",
    "tone_heatmap",
    "tone_trends",
    "event_counts",
    "confusion_matrix",
    "readability_vs_density",
    "articles_per_month",
    "removals_by_reason",
    "validation_by_outlet",
]

# --------------------------------------------------------------------------- palette

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


# --------------------------------------------------------------------------- presets


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


# --------------------------------------------------------------------------- saving

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


# --------------------------------------------------------------------------- helpers

#: Axis labels (with units) of the measures the package produces.
LABELS: dict[str, str] = {
    "per_1000": "Rate (matches per 1,000 words)",
    "frequency": "Frequency (count)",
    "docfreq": "Range (documents)",
    "per_million": "Frequency (per million words)",
    "density_per_1000": "Protocol density (matched tokens per 1,000 words)",
    "warmth_index": "Warmth index (mean lexicon warmth, −2 to +2)",
    "warmth": "Warmth (mean lexicon warmth, −2 to +2)",
    "sentence_share": "Protocol sentences (share of sentences, 0–1)",
    "honorific_rate": "Honorifics (matches per 1,000 words)",
    "formulaicity": "Formulaicity (share of word tokens in recurrent n-grams, 0–1)",
    "tone_mean": "Mean tone toward the pair (−1 to +1)",
    "baseline_delta": "Tone minus the pair's mean (tone units)",
    "g2": "Signed log-likelihood G² (+ target, − reference)",
    "log_ratio": "Log ratio (log₂ of relative-frequency ratio)",
    "flesch_reading_ease": "Flesch Reading Ease (score; higher = easier)",
    "flesch_kincaid_grade": "Flesch-Kincaid grade (US school grade)",
    "n_words": "Length (words)",
    "n": "Count",
}

_EVENT_TYPES = (
    "reception",
    "meeting",
    "talks",
    "phone_call",
    "message",
    "congratulation",
    "condolence",
    "visit",
    "signing",
)


def _label(column: str, override: str | None) -> str:
    if override is not None:
        return override
    return LABELS.get(column, column.replace("_", " "))


def _require(df: Any, columns: Iterable[str], func: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{func}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"{func}: missing column(s) {missing}; the table has {list(map(str, df.columns))}")


def _text(value: Any) -> str:
    """A data value as label text: literal dollar signs (no mathtext)."""
    s = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return s.replace("$", r"\$")


def _wrap(value: Any, width: int) -> str:
    s = _text(value)
    return "\n".join(textwrap.wrap(s, width=width, break_long_words=True)) or s


def _wrap_width(p: Preset) -> int:
    # Category labels may take about 40% of the figure width.
    return max(12, int(0.4 * p.width_in * 72 / (0.6 * p.small_pt)))


@contextmanager
def _building(preset: str | None) -> Iterator[Preset]:
    p = _preset(preset)
    with matplotlib.rc_context(style(p.name)):
        yield p


def _new_figure(
    p: Preset, *, height_ratio: float | None, rows: int = 0, min_ratio: float = 0.0, labels: Sequence[Any] = ()
) -> Figure:
    """A figure of the preset width; tall enough for *rows* bar/heatmap rows at the small type size.

    *labels* are the row labels: when some wrap onto several lines, every row gets that many lines.
    """
    ratio = p.height_ratio if height_ratio is None else float(height_ratio)
    if not ratio > 0:
        raise InputError(f"height_ratio must be > 0, got {height_ratio!r}")
    height = max(p.width_in * ratio, p.width_in * min_ratio)
    if rows and height_ratio is None:
        lines = max((_wrap(v, _wrap_width(p)).count("\n") + 1 for v in labels), default=1)
        row_in = (1.2 * lines + 0.8) * p.small_pt / 72.0
        height = max(height, rows * row_in + 5.0 * p.font_pt / 72.0)
    return Figure(figsize=(p.width_in, height), layout="constrained", dpi=150 if p.is_print else 100)


def _finish(fig: Figure, data: pd.DataFrame, title: str | None) -> Figure:
    """Attach the plotted table, set the title and lay out once inside the style context.

    Drawing once here creates the tick labels while the preset's rcParams are
    active, so the figure looks the same wherever it is later drawn.
    """
    if title:
        fig.suptitle(_text(title), x=0.01, ha="left")
    setattr(fig, _PLOTTED_ATTR, data.reset_index(drop=True))
    fig.draw_without_rendering()
    _fit_axis_labels(fig)
    return fig


def _fit_axis_labels(fig: Figure) -> None:
    """Wrap axis labels (incl. colour-bar labels) that are longer than their axes, then lay out again."""
    for _ in range(3):
        changed = False
        for ax in fig.axes:
            for label, along in ((ax.xaxis.label, ax.bbox.width), (ax.yaxis.label, ax.bbox.height)):
                text = label.get_text()
                if not text or along <= 0:
                    continue
                ext = label.get_window_extent()
                length = max(ext.width, ext.height) if label is ax.yaxis.label else ext.width
                if length <= along * 1.02:
                    continue
                flat = " ".join(text.split())
                lines = text.count("\n") + 2
                width = max(8, math.ceil(len(flat) / lines) + 1)
                new = "\n".join(textwrap.wrap(flat, width=width, break_long_words=False))
                if new != text:
                    label.set_text(new)
                    changed = True
        if not changed:
            return
        fig.draw_without_rendering()


def _legend_columns(labels: Sequence[str], p: Preset) -> int:
    """Most legend columns whose entries fit the figure width (matplotlib fills columns first)."""
    n = len(labels)
    available = 0.95 * p.width_in * 72
    for ncols in range(n, 0, -1):
        nrows, large = divmod(n, ncols)
        sizes = [nrows + 1] * large + [nrows] * (ncols - large)
        width, start = 0.0, 0
        for size in sizes:
            column = labels[start:start + size]
            start += size
            longest = max((len(line) for s in column for line in s.split("\n")), default=0)
            width += (longest + 5) * 0.62 * p.small_pt  # handle ~2.5 em + label + padding
        if width <= available:
            return ncols
    return 1


def _legend(fig: Figure, handles: list[Any], labels: list[str], p: Preset, title: str | None = None) -> None:
    """One legend above the axes (outside, so it never covers data), long labels wrapped."""
    if len(handles) < 2:
        return
    width = max(12, int(0.45 * p.width_in * 72 / (0.62 * p.small_pt)))
    wrapped = ["\n".join(textwrap.wrap(s, width=width, break_long_words=False)) or s for s in labels]
    ncols = _legend_columns(wrapped, p)
    fig.legend(handles, wrapped, loc="outside upper center", ncols=ncols, title=title, handlelength=2.5)


def _period_key(value: Any) -> tuple[pd.Timestamp, str, str]:
    """(start timestamp, label, kind) of one period value."""
    if isinstance(value, pd.Period):
        freq = value.freqstr
        kind = {"Y": "year", "Q": "quarter", "M": "month", "D": "date"}.get(freq[:1], "period")
        return value.start_time, str(value), kind
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "isoformat"):
        ts = pd.Timestamp(value)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        label = ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")
        return ts, label, "date"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = str(int(value))
    if isinstance(value, str):
        s = value.strip()
        kind = (
            "year"
            if re.fullmatch(r"\d{4}", s)
            else "quarter"
            if re.fullmatch(r"\d{4}-?Q[1-4]", s, flags=re.I)
            else "month"
            if re.fullmatch(r"\d{4}-\d{2}", s)
            else "date"
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s)
            else None
        )
        if kind is not None:
            try:
                per = pd.Period(s.replace("-Q", "Q").upper())
            except (ValueError, TypeError):
                per = None
            if per is not None:
                return per.start_time, s, kind
    raise InputError(
        f"cannot read period {value!r}: use '2022', '2022Q1', '2022-03', '2022-03-15', a Period or a timestamp"
    )


def _periods(values: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """Start timestamps and labels of a period column, and the axis label."""
    keys = [_period_key(v) for v in values]
    starts = pd.Series([k[0] for k in keys], index=values.index, dtype="datetime64[ns]")
    labels = pd.Series([k[1] for k in keys], index=values.index, dtype=object)
    kinds = {k[2] for k in keys}
    kind = kinds.pop() if len(kinds) == 1 else "period"
    axis = {
        "year": "Period (year)",
        "quarter": "Period (quarter)",
        "month": "Period (month)",
        "date": "Date",
        "period": "Period",
    }[kind]
    return starts, labels, axis


_NICE_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120, 240)


def _max_ticks(p: Preset, label_len: int) -> int:
    """How many flat labels of *label_len* characters fit along the axes (about 80% of the width)."""
    return max(2, int(0.8 * p.width_in * 72 / ((label_len + 2) * 0.65 * p.small_pt)))


def _set_period_ticks(ax: Any, positions: Sequence[Any], labels: Sequence[str], p: Preset, *, axis: str = "x") -> None:
    """Tick every period, or every k-th so flat labels never collide.

    k is a round step: 1, 2, 3, 4, 6, 12, ... (months), 1, 2, 4, 8, ... (quarters), 1, 2, 5, 10, ... (years).
    """
    n = len(labels)
    if n == 0:
        return
    longest = max(len(s) for s in labels)
    need = math.ceil(n / _max_ticks(p, longest))
    if all(re.fullmatch(r"\d{4}-?Q[1-4]", s, flags=re.I) for s in labels):
        steps: Sequence[int] = (1, 2, 4, 8, 12, 20, 40)  # quarters: whole years when thinned
    elif all(re.fullmatch(r"\d{4}", s) for s in labels):
        steps = (1, 2, 5, 10, 20, 50, 100)
    else:
        steps = _NICE_STEPS
    step = next((k for k in steps if k >= need), need)
    idx = list(range(0, n, step))
    set_ticks = ax.set_xticks if axis == "x" else ax.set_yticks
    set_ticks([positions[i] for i in idx], labels=[labels[i] for i in idx])


def _lines(
    table: pd.DataFrame,
    *,
    func: str,
    date_col: str,
    value: str,
    group: str | None,
    ci: tuple[str, str] | None,
    ylabel: str | None,
    preset: str | None,
    height_ratio: float | None,
    title: str | None,
    zero_line: bool = False,
) -> Figure:
    if group is None and "group" in table.columns:
        group = "group"
    need = [date_col, value] + ([group] if group else []) + (list(ci) if ci else [])
    _require(table, need, func)
    df = table[need].copy()
    if group is None:
        group = "_series"
        df[group] = ""
    df[group] = df[group].astype(str)
    starts, labels, xlabel = _periods(df[date_col])
    df["_start"] = starts
    df["_label"] = labels
    dup = df.duplicated([group, "_start", "_label"])
    if dup.any():
        row = df[dup].iloc[0]
        raise InputError(
            f"{func}: more than one row for {group}={row[group]!r}, {date_col}={row['_label']!r}; aggregate first"
        )
    df = df.sort_values([group, "_start", "_label"], kind="mergesort")
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio)
        ax = fig.add_subplot()
        handles, names = [], []
        for i, (g, part) in enumerate(df.groupby(group, sort=True)):
            x = part["_start"].to_numpy()
            y = part[value].to_numpy(dtype=float)
            color = CYCLE_COLORS[i % len(CYCLE_COLORS)]
            (line,) = ax.plot(
                x,
                y,
                color=color,
                linestyle=LINESTYLES[i % len(LINESTYLES)],
                marker=MARKERS[i % len(MARKERS)],
                markevery=max(1, math.ceil(len(part) / 12)),  # at most ~12 markers per line
                label=_text(g),
            )
            if ci:
                ax.fill_between(
                    x,
                    part[ci[0]].to_numpy(dtype=float),
                    part[ci[1]].to_numpy(dtype=float),
                    color=color,
                    alpha=0.18,
                    linewidth=0,
                )
            handles.append(line)
            names.append(_text(g))
        if zero_line:
            ax.axhline(0, color="#000000", linewidth=p.axes_line_pt, zorder=0)
        ticks = df.drop_duplicates(["_start", "_label"]).sort_values(["_start", "_label"], kind="mergesort")
        _set_period_ticks(ax, list(ticks["_start"]), list(ticks["_label"]), p)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(_label(value, ylabel))
        if group != "_series":
            _legend(fig, handles, names, p)
    plotted = df.drop(columns=["_start", "_label"] + (["_series"] if group == "_series" else []))
    plotted = plotted[[c for c in need if c in plotted.columns]]
    return _finish(fig, plotted, title)


def _bar_colors(n: int, hatch: bool) -> list[tuple[str, str]]:
    """(colour, hatch) of n bar series; past 8 series the hatches shift so no pair repeats."""
    k = len(CYCLE_COLORS)
    return [(CYCLE_COLORS[i % k], HATCHES[(i + i // k) % len(HATCHES)] if hatch else "") for i in range(n)]


def _hatch_edge(color: str, hatch: str) -> str:
    """Edge (= hatch) colour: black lines, white on the black bar; bars without hatch get white gaps."""
    if not hatch:
        return "white"
    return "white" if color.upper() == "#000000" else "black"


def _barh_axis(ax: Any, labels: list[str], p: Preset, ylabel: str) -> None:
    ax.set_yticks(range(len(labels)), labels=[_wrap(s, _wrap_width(p)) for s in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first row at the top
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="y", length=0)


# --------------------------------------------------------------------------- charts


def protocol_profile(
    counts: pd.DataFrame,
    *,
    value: str = "per_1000",
    groups: Sequence[str] | None = None,
    hatch: bool = True,
    xlabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Protocol-language profile: horizontal bars of a rate per category (and group).

    Parameters
    ----------
    counts : pandas.DataFrame
        ``protocol.category_counts`` output: ``group, category, frequency,
        docfreq, per_1000`` (``group`` optional).
    value : {"per_1000", "frequency", "docfreq"}, default "per_1000"
        Bar length: matches per 1,000 words, matches (count) or documents.
    groups : sequence of str, optional
        Groups to show, in this order (default: all, sorted).
    hatch : bool, default True
        Hatch the bars of the second and later groups (grayscale safety).
    xlabel, title : str, optional
        Override the axis label / add a title.
    preset, height_ratio
        See :func:`figure`; the height grows with the number of bars.

    Returns
    -------
    matplotlib.figure.Figure
        Categories sorted by their mean value over the groups (largest at top; ties
        by category name); plotted data: ``category, group, <value>``.
    """
    _require(counts, ["category", value], "protocol_profile")
    df = counts.copy()
    if "group" not in df.columns:
        df["group"] = "all"
    df["group"] = df["group"].astype(str)
    df["category"] = df["category"].astype(str)
    present = sorted(df["group"].unique())
    if groups is not None:
        unknown = [g for g in groups if g not in present]
        if unknown:
            raise InputError(f"protocol_profile: unknown group(s) {unknown}; the table has {present}")
        order_g = list(groups)
        df = df[df["group"].isin(order_g)]
    else:
        order_g = present
    if df.duplicated(["group", "category"]).any():
        raise InputError("protocol_profile: more than one row per (group, category)")
    wide = df.pivot(index="category", columns="group", values=value).reindex(columns=order_g).fillna(0.0)
    order = (
        pd.DataFrame({"category": wide.index, "mean": wide.mean(axis=1).to_numpy()})
        .sort_values(["mean", "category"], ascending=[False, True], kind="mergesort")["category"]
        .tolist()
    )
    wide = wide.loc[order]
    with _building(preset) as p:
        fig = _new_figure(
            p, height_ratio=height_ratio, rows=len(order) * max(1, len(order_g)) // 2 + len(order), labels=order
        )
        ax = fig.add_subplot()
        k = len(order_g)
        h = 0.8 / k
        handles = []
        for i, (g, (color, hat)) in enumerate(zip(order_g, _bar_colors(k, hatch))):
            y = np.arange(len(order)) - 0.4 + h * (i + 0.5)
            bars = ax.barh(y, wide[g].to_numpy(dtype=float), height=h, color=color, hatch=hat,
                           edgecolor=_hatch_edge(color, hat), linewidth=0.3, label=_text(g))
            handles.append(bars)
        _barh_axis(ax, order, p, "Protocol category")
        ax.set_xlabel(_label(value, xlabel))
        ax.set_xlim(left=0)
        _legend(fig, handles, [_text(g) for g in order_g], p)
    long = wide.reset_index().melt(id_vars="category", var_name="group", value_name=value)
    long["_c"] = long["category"].map({c: i for i, c in enumerate(order)})
    long["_g"] = long["group"].map({g: i for i, g in enumerate(order_g)})
    long = long.sort_values(["_c", "_g"], kind="mergesort").drop(columns=["_c", "_g"])
    return _finish(fig, long[["category", "group", value]], title)


def density_over_time(
    measures: pd.DataFrame,
    *,
    date_col: str = "period",
    value: str = "density_per_1000",
    group: str | None = None,
    ylabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """A measure over time, one line per group (protocol density, warmth, ...).

    Parameters
    ----------
    measures : pandas.DataFrame
        One row per (period, group): ``<date_col>, <value>`` and optionally the
        group column.
    date_col : str, default "period"
        Periods as strings (``"2022"``, ``"2022Q1"``, ``"2022-03"``,
        ``"2022-03-15"``), ``pandas.Period`` or timestamps (tz-aware ones are
        converted to UTC).  Placed on a true time axis (gaps show), ticks labelled
        with the period strings.
    value : str, default "density_per_1000"
        Column on the y axis; known measures get a label with units (see
        :data:`LABELS`, e.g. ``warmth_index``), others their name: pass *ylabel*.
    group : str, optional
        Column giving one line per value; default: ``"group"`` when the table has
        it, else a single line.
    ylabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Lines in the Okabe-Ito colours with distinct line styles and markers;
        plotted data: the used columns sorted by group, period.
    """
    return _lines(
        measures,
        func="density_over_time",
        date_col=date_col,
        value=value,
        group=group,
        ci=None,
        ylabel=ylabel,
        preset=preset,
        height_ratio=height_ratio,
        title=title,
        zero_line=value in {"warmth_index", "warmth", "tone_mean", "baseline_delta"},
    )


def formulaicity_over_time(
    table: pd.DataFrame,
    *,
    date_col: str = "period",
    value: str = "formulaicity",
    group: str | None = None,
    ylabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Formulaicity (share of word tokens inside recurrent n-grams) over time, per group.

    Parameters
    ----------
    table : pandas.DataFrame
        ``period, group, formulaicity`` (one row per period and group).
    date_col, value, group, ylabel, preset, height_ratio, title
        As in :func:`density_over_time`.

    Returns
    -------
    matplotlib.figure.Figure

    References
    ----------
    Biber, D. (2009). A corpus-driven approach to formulaic language in English.
    *International Journal of Corpus Linguistics* 14(3), 275-311.
    """
    return _lines(
        table,
        func="formulaicity_over_time",
        date_col=date_col,
        value=value,
        group=group,
        ci=None,
        ylabel=ylabel,
        preset=preset,
        height_ratio=height_ratio,
        title=title,
    )


def tone_trends(
    dyad_tone: pd.DataFrame,
    *,
    dyads: Sequence[str] | None = None,
    value: str = "tone_mean",
    ylabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Tone toward each pair over time with its confidence band.

    Parameters
    ----------
    dyad_tone : pandas.DataFrame
        ``sentiment.dyad_tone`` output: ``dyad, period, tone_mean, ci_low,
        ci_high`` (plus ``n_sentences, n_articles, baseline_delta``).
    dyads : sequence of str, optional
        Pairs to show (default: all; keep it to <= 6 for a single column).
    value : str, default "tone_mean"
    ylabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        One line per pair with a shaded band from ``ci_low`` to ``ci_high``
        (cluster-bootstrap interval of ``sentiment.dyad_tone``) and a reference
        line at 0.
    """
    _require(dyad_tone, ["dyad", "period", value, "ci_low", "ci_high"], "tone_trends")
    df = dyad_tone
    if dyads is not None:
        unknown = sorted(set(dyads) - set(df["dyad"].astype(str)))
        if unknown:
            raise InputError(f"tone_trends: unknown dyad(s) {unknown}")
        df = df[df["dyad"].astype(str).isin(list(dyads))]
    return _lines(
        df,
        func="tone_trends",
        date_col="period",
        value=value,
        group="dyad",
        ci=("ci_low", "ci_high"),
        ylabel=ylabel,
        preset=preset,
        height_ratio=height_ratio,
        title=title,
        zero_line=True,
    )


def top_bundles(
    bundles: pd.DataFrame,
    *,
    top: int = 20,
    group: str | None = None,
    n: int | None = None,
    xlabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """The most frequent lexical bundles: bars of frequency per million words, range annotated.

    Parameters
    ----------
    bundles : pandas.DataFrame
        ``phrases`` n-gram/bundle table: ``feature, n, frequency, docfreq,
        per_million, group``.
    top : int, default 20
        Number of bundles (by ``per_million`` descending, then ``docfreq``
        descending, then ``feature``).
    group : str, optional
        Which group to show; required when the table holds more than one.
    n : int, optional
        Keep only bundles of this length (words).
    xlabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Each bar is labelled with its range ("k docs": number of documents the
        bundle occurs in).

    References
    ----------
    Biber, D., Conrad, S. & Cortes, V. (2004). If you look at...: Lexical bundles
    in university teaching and textbooks. *Applied Linguistics* 25(3), 371-405.
    """
    _require(bundles, ["feature", "docfreq", "per_million"], "top_bundles")
    if top < 1:
        raise InputError(f"top_bundles: top must be >= 1, got {top}")
    df = bundles.copy()
    if "group" in df.columns:
        groups = sorted(df["group"].astype(str).unique())
        if group is None and len(groups) > 1:
            raise InputError(f"top_bundles: the table has several groups {groups}; pass group=")
        if group is not None:
            if group not in groups:
                raise InputError(f"top_bundles: unknown group {group!r}; the table has {groups}")
            df = df[df["group"].astype(str) == group]
    if n is not None:
        _require(df, ["n"], "top_bundles")
        df = df[df["n"] == n]
    df["feature"] = df["feature"].astype(str)
    df = df.sort_values(["per_million", "docfreq", "feature"], ascending=[False, False, True], kind="mergesort")
    df = df.head(top)
    cols = [c for c in ("feature", "n", "frequency", "docfreq", "per_million", "group") if c in df.columns]
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(df), labels=df["feature"].tolist())
        ax = fig.add_subplot()
        bars = ax.barh(range(len(df)), df["per_million"].to_numpy(dtype=float), height=0.7, color=CYCLE_COLORS[0])
        ax.bar_label(
            bars,
            labels=[f"{int(d)} doc" + ("" if int(d) == 1 else "s") for d in df["docfreq"]],
            padding=2,
            fontsize=p.small_pt,
        )
        _barh_axis(ax, df["feature"].tolist(), p, "Lexical bundle")
        top_value = float(df["per_million"].max()) if len(df) else 1.0
        ax.set_xlim(0, top_value * 1.4 if top_value > 0 else 1.0)
        ax.set_xlabel(_label("per_million", xlabel))
    return _finish(fig, df[cols], title)


def keyness_chart(
    keyness: pd.DataFrame,
    *,
    top: int = 15,
    measure: str = "g2",
    target_label: str = "target",
    reference_label: str = "reference",
    hatch: bool = True,
    xlabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Diverging bars of keyness: features key in the target (right) and in the reference (left).

    Parameters
    ----------
    keyness : pandas.DataFrame
        ``phrases.keyness`` output: ``feature, g2`` (signed: positive = more
        frequent in the target), ``log_ratio``, ...
    top : int, default 15
        Features shown on EACH side: the *top* largest positive values and the
        *top* most negative (ties by feature).
    measure : {"g2", "log_ratio"}, default "g2"
    target_label, reference_label : str
        Legend names of the two corpora.
    hatch : bool, default True
        Hatch the reference-side bars (grayscale safety).
    xlabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Plotted data: ``feature, <measure>, side`` from top to bottom.

    References
    ----------
    Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling.
    Hardie, A. (2014). Log Ratio: an informal introduction. CASS, Lancaster.
    """
    if measure not in ("g2", "log_ratio"):
        raise InputError(f"keyness_chart: measure must be 'g2' or 'log_ratio', got {measure!r}")
    _require(keyness, ["feature", measure], "keyness_chart")
    if top < 1:
        raise InputError(f"keyness_chart: top must be >= 1, got {top}")
    df = keyness[["feature", measure]].copy()
    df["feature"] = df["feature"].astype(str)
    df = df[np.isfinite(df[measure].to_numpy(dtype=float))]
    pos = df[df[measure] > 0].sort_values([measure, "feature"], ascending=[False, True], kind="mergesort").head(top)
    neg = df[df[measure] < 0].sort_values([measure, "feature"], ascending=[False, True], kind="mergesort").tail(top)
    pos = pos.assign(side=target_label)
    neg = neg.assign(side=reference_label)
    shown = pd.concat([pos, neg], ignore_index=True)
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(shown), labels=shown["feature"].tolist())
        ax = fig.add_subplot()
        (c_pos, _), (c_neg, _) = _bar_colors(2, False)
        handles = []
        if len(pos):
            handles.append(ax.barh(range(len(pos)), pos[measure].to_numpy(dtype=float), height=0.7, color=c_pos))
        if len(neg):
            handles.append(
                ax.barh(
                    range(len(pos), len(shown)),
                    neg[measure].to_numpy(dtype=float),
                    height=0.7,
                    color=c_neg,
                    hatch=HATCHES[1] if hatch else "",
                    edgecolor="black" if hatch else c_neg,
                    linewidth=0.3,
                )
            )
        ax.axvline(0, color="#000000", linewidth=p.axes_line_pt)
        _barh_axis(ax, shown["feature"].tolist(), p, "Feature")
        ax.set_xlabel(_label(measure, xlabel))
        names = ([f"key in {_text(target_label)}"] if len(pos) else []) + (
            [f"key in {_text(reference_label)}"] if len(neg) else []
        )
        _legend(fig, handles, names, p)
    return _finish(fig, shown, title)


def tone_heatmap(
    dyad_tone: pd.DataFrame,
    *,
    value: str = "tone_mean",
    small_n: int = 30,
    vlim: float | None = 1.0,
    cmap: str = DIVERGING_CMAP,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Pair x period heatmap of mean tone, diverging colours centred at 0.

    Parameters
    ----------
    dyad_tone : pandas.DataFrame
        ``dyad, period, n_sentences, n_articles, tone_mean, ci_low, ci_high,
        baseline_delta`` (one row per pair and period).
    value : str, default "tone_mean"
        Also ``"baseline_delta"``.
    small_n : int, default 30
        Cells resting on fewer than *small_n* sentences are annotated with
        ``n=<n_sentences>`` (their mean is unstable, the interval wide).
    vlim : float or None, default 1.0
        Colour scale from ``-vlim`` to ``+vlim`` (tone is bounded by ±1, so the
        default keeps figures comparable); ``None``: the largest absolute value.
    cmap : str, default "RdBu"
        A diverging, colour-blind-safe map (red negative, blue positive); "PuOr"
        also works.  Empty cells are light grey.
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Rows: pairs (alphabetical); columns: periods (chronological).  Plotted
        data: ``dyad, period, <value>, n_sentences``.
    """
    _require(dyad_tone, ["dyad", "period", value, "n_sentences"], "tone_heatmap")
    df = dyad_tone[["dyad", "period", value, "n_sentences"]].copy()
    df["dyad"] = df["dyad"].astype(str)
    starts, labels, xlabel = _periods(df["period"])
    df["_start"], df["_label"] = starts, labels
    if df.duplicated(["dyad", "_start", "_label"]).any():
        raise InputError("tone_heatmap: more than one row per (dyad, period)")
    cols = df.drop_duplicates(["_start", "_label"]).sort_values(["_start", "_label"], kind="mergesort")["_label"].tolist()
    rows = sorted(df["dyad"].unique())
    mat = df.pivot(index="dyad", columns="_label", values=value).reindex(index=rows, columns=cols)
    nmat = df.pivot(index="dyad", columns="_label", values="n_sentences").reindex(index=rows, columns=cols)
    values = mat.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    lim = float(vlim) if vlim is not None else (float(np.abs(finite).max()) if finite.size else 1.0)
    lim = lim if lim > 0 else 1.0
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(rows) + 3)
        ax = fig.add_subplot()
        cm = matplotlib.colormaps[cmap].with_extremes(bad="#DDDDDD")
        norm = mcolors.TwoSlopeNorm(vmin=-lim, vcenter=0.0, vmax=lim)
        im = ax.imshow(np.ma.masked_invalid(values), cmap=cm, norm=norm, aspect="auto", interpolation="nearest")
        small_cells = []
        for i in range(len(rows)):
            for j in range(len(cols)):
                nval = nmat.iat[i, j]
                if pd.notna(nval) and nval < small_n and np.isfinite(values[i, j]):
                    r, g, b, _ = cm(norm(values[i, j]))
                    dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45
                    small_cells.append((i, j, int(nval), "white" if dark else "black"))
        _set_period_ticks(ax, list(range(len(cols))), cols, p)
        ax.set_yticks(range(len(rows)), labels=[_text(r) for r in rows])
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_ylabel("Country pair (dyad)")
        cb = fig.colorbar(im, ax=ax, shrink=0.9, aspect=25)
        cb.set_label(LABELS.get(value, value))
        cb.outline.set_linewidth(p.axes_line_pt)
        note = _annotate_small_cells(fig, ax, small_cells, len(rows), len(cols), p, small_n)
        ax.set_xlabel(xlabel + note)
    plotted = df.sort_values(["dyad", "_start", "_label"], kind="mergesort")[["dyad", "period", value, "n_sentences"]]
    return _finish(fig, plotted, title)


def _annotate_small_cells(
    fig: Figure, ax: Any, cells: list[tuple[int, int, int, str]], n_rows: int, n_cols: int, p: Preset, small_n: int
) -> str:
    """Mark low-support heatmap cells with "n=k", else "k", else a dot, whichever fits the cells.

    Returns the note for the axis label ("" for "n=k", which explains itself).
    """
    if not cells:
        return ""
    size = max(5.0, p.small_pt - 1)
    variants = (
        (lambda n: f"n={n}", ""),
        (lambda n: f"{n}", f"; numbers: sentences in cells with < {small_n}"),
        (lambda n: "•", f"; • fewer than {small_n} sentences"),
    )
    for k, (fmt, note) in enumerate(variants):
        texts = [ax.text(j, i, fmt(n), ha="center", va="center", fontsize=size, color=c) for i, j, n, c in cells]
        if k == len(variants) - 1:
            return note
        fig.draw_without_rendering()
        cell_w = ax.bbox.width / max(1, n_cols)
        cell_h = ax.bbox.height / max(1, n_rows)
        ext = [t.get_window_extent() for t in texts]
        if all(e.width <= 0.9 * cell_w and e.height <= 0.9 * cell_h for e in ext):
            return note
        for t in texts:
            t.remove()
    return ""


def event_counts(
    events: pd.DataFrame,
    *,
    by: str | None = "type",
    top: int | None = None,
    hatch: bool = True,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Reported bilateral contacts per pair, stacked by event type.

    Parameters
    ----------
    events : pandas.DataFrame
        ``events.events`` output: ``doc_id, date, type, host, guest, ..., dyad``
        (one row per contact).  Rows without a pair count as "(no pair)".
    by : str or None, default "type"
        Column that splits each bar (None: one total bar per pair).  Event types
        are stacked in the order reception, meeting, talks, phone_call, message,
        congratulation, condolence, visit, signing, then others alphabetically.
    top : int, optional
        Keep the *top* pairs with most events.
    hatch : bool, default True
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Pairs sorted by total (largest at top; ties by pair).  Plotted data:
        ``dyad, <by>, n`` (counts, zero rows omitted).
    """
    need = ["dyad"] + ([by] if by else [])
    _require(events, need, "event_counts")
    df = events[need].copy()
    df["dyad"] = df["dyad"].fillna("").astype(str).replace("", "(no pair)")
    key = by or "_all"
    if by is None:
        df[key] = "all"
    df[key] = df[key].fillna("(unknown)").astype(str)
    counts = df.groupby(["dyad", key], sort=True).size().rename("n").reset_index()
    totals = counts.groupby("dyad")["n"].sum()
    order = sorted(totals.index, key=lambda d: (-int(totals[d]), d))
    if top is not None:
        order = order[:top]
    present = set(counts[key])
    kinds = [t for t in _EVENT_TYPES if t in present] + sorted(present - set(_EVENT_TYPES))
    wide = counts.pivot(index="dyad", columns=key, values="n").reindex(index=order, columns=kinds).fillna(0)
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(order) + 2, labels=order)
        ax = fig.add_subplot()
        left = np.zeros(len(order))
        handles = []
        for kind, (color, hat) in zip(kinds, _bar_colors(len(kinds), hatch)):
            vals = wide[kind].to_numpy(dtype=float)
            handles.append(
                ax.barh(range(len(order)), vals, left=left, height=0.7, color=color, hatch=hat,
                        edgecolor=_hatch_edge(color, hat), linewidth=0.3)
            )
            left = left + vals
        _barh_axis(ax, order, p, "Country pair (dyad)")
        ax.set_xlabel("Events (count)")
        ax.xaxis.get_major_locator().set_params(integer=True)
        if by is not None:
            _legend(fig, handles, [_text(k.replace("_", " ")) for k in kinds], p)
    plotted = counts[counts["dyad"].isin(order)].copy()
    plotted["_d"] = plotted["dyad"].map({d: i for i, d in enumerate(order)})
    plotted["_k"] = plotted[key].map({k: i for i, k in enumerate(kinds)})
    plotted = plotted.sort_values(["_d", "_k"], kind="mergesort").drop(columns=["_d", "_k"])
    if by is None:
        plotted = plotted.drop(columns=[key])
    return _finish(fig, plotted, title)


def _label_sort_key(v: Any) -> tuple[int, float, str]:
    try:
        return (0, float(v), str(v))
    except (TypeError, ValueError):
        return (1, 0.0, str(v))


def confusion_matrix(
    cm: pd.DataFrame,
    *,
    labels: Sequence[Any] | None = None,
    normalize: bool = False,
    xlabel: str = "Predicted label",
    ylabel: str = "Gold label",
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Annotated confusion matrix from a tidy (gold, predicted, n) table.

    Parameters
    ----------
    cm : pandas.DataFrame
        ``gold, predicted, n`` (``validate`` output).
    labels : sequence, optional
        Label order (default: all labels of either column, numeric labels
        numerically, e.g. -1, 0, 1).
    normalize : bool, default False
        Colour by the share of each gold row (recall); cells then show the count
        and the row percentage.
    xlabel, ylabel : str
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Sequential colour map viridis (colour-blind safe, monotone in
        grayscale); plotted data: every (gold, predicted) cell with ``n`` (0 where
        absent) and ``share`` of the gold row.
    """
    _require(cm, ["gold", "predicted", "n"], "confusion_matrix")
    df = cm[["gold", "predicted", "n"]].copy()
    if df.duplicated(["gold", "predicted"]).any():
        raise InputError("confusion_matrix: more than one row per (gold, predicted)")
    found = set(df["gold"]) | set(df["predicted"])
    if labels is None:
        order = sorted(found, key=_label_sort_key)
    else:
        order = list(labels)
        missing = sorted((str(v) for v in found if v not in order))
        if missing:
            raise InputError(f"confusion_matrix: labels {missing} occur in the table but not in labels=")
    mat = (
        df.pivot(index="gold", columns="predicted", values="n").reindex(index=order, columns=order).fillna(0)
    ).to_numpy(dtype=float)
    row_tot = mat.sum(axis=1, keepdims=True)
    share = np.divide(mat, row_tot, out=np.zeros_like(mat), where=row_tot > 0)
    shown = share if normalize else mat
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=len(order) + 3)
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps[SEQUENTIAL_CMAP]
        vmax = 1.0 if normalize else max(1.0, float(mat.max()) if mat.size else 1.0)
        im = ax.imshow(shown, cmap=cmap, vmin=0, vmax=vmax, aspect="equal", interpolation="nearest")
        for i in range(len(order)):
            for j in range(len(order)):
                r, g, b, _ = cmap(shown[i, j] / vmax)
                dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45
                txt = f"{int(mat[i, j])}" + (f"\n{100 * share[i, j]:.0f}%" if normalize else "")
                ax.text(j, i, txt, ha="center", va="center", fontsize=p.small_pt,
                        color="white" if dark else "black")
        names = [_text(v) for v in order]
        ax.set_xticks(range(len(order)), labels=names)
        ax.set_yticks(range(len(order)), labels=names)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        cb = fig.colorbar(im, ax=ax, shrink=0.9, aspect=20)
        cb.set_label("Share of gold row (0–1)" if normalize else "Items (count)")
        cb.outline.set_linewidth(p.axes_line_pt)
    plotted = pd.DataFrame(
        [(order[i], order[j], int(mat[i, j]), float(share[i, j])) for i in range(len(order)) for j in range(len(order))],
        columns=["gold", "predicted", "n", "share"],
    )
    return _finish(fig, plotted, title)


def readability_vs_density(
    table: pd.DataFrame,
    *,
    x: str = "density_per_1000",
    y: str = "flesch_reading_ease",
    group: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Scatter of readability against protocol density, one marker per group.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per article with ``density_per_1000`` (protocol matched tokens per
        1,000 words) and ``flesch_reading_ease`` (Flesch 1948), optionally a group
        column (e.g. source).
    x, y : str
        Columns on the axes.
    group : str, optional
        Column giving marker/colour per value; default ``"group"`` when present.
    xlabel, ylabel, title : str, optional
    preset, height_ratio
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Rows with a missing x or y are not drawn (nor in the plotted data).

    References
    ----------
    Flesch, R. (1948). A new readability yardstick. *Journal of Applied
    Psychology* 32(3), 221-233.
    """
    if group is None and "group" in table.columns:
        group = "group"
    need = [c for c in ("doc_id",) if c in table.columns] + ([group] if group else []) + [x, y]
    _require(table, need, "readability_vs_density")
    df = table[need].copy()
    df = df[np.isfinite(df[x].to_numpy(dtype=float)) & np.isfinite(df[y].to_numpy(dtype=float))]
    sort_cols = ([group] if group else []) + (["doc_id"] if "doc_id" in df.columns else []) + [x, y]
    if group:
        df[group] = df[group].astype(str)
    df = df.sort_values(sort_cols, kind="mergesort")
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio)
        ax = fig.add_subplot()
        parts = df.groupby(group, sort=True) if group else [("", df)]
        handles, names = [], []
        for i, (g, part) in enumerate(parts):
            h = ax.scatter(
                part[x].to_numpy(dtype=float),
                part[y].to_numpy(dtype=float),
                s=(p.marker_pt**2),
                marker=MARKERS[i % len(MARKERS)],
                color=CYCLE_COLORS[i % len(CYCLE_COLORS)],
                alpha=0.75,
                linewidths=0,
            )
            handles.append(h)
            names.append(_text(g))
        ax.set_xlabel(_label(x, xlabel))
        ax.set_ylabel(_label(y, ylabel))
        _legend(fig, handles, names, p)
    return _finish(fig, df, title)


def articles_per_month(
    articles: pd.DataFrame,
    *,
    by: str | None = "source",
    hatch: bool = True,
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """Articles per calendar month (UTC), stacked by source.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles table with ``date`` (tz-aware UTC timestamps or NaT; naive ones
        are taken as UTC) and optionally *by*.
    by : str or None, default "source"
        Column that splits each bar; ignored when absent; None: totals.
    hatch : bool, default True
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Every month from the first to the last is shown (empty months as gaps);
        articles without a date are counted in the x-axis label.  Plotted data:
        ``month, <by>, n`` (all months x groups, zeros included).
    """
    _require(articles, ["date"], "articles_per_month")
    use_by = by if (by is not None and by in articles.columns) else None
    dates = pd.to_datetime(articles["date"], utc=True, errors="coerce")
    undated = int(dates.isna().sum())
    df = pd.DataFrame({"date": dates})
    df["group"] = articles[use_by].fillna("(unknown)").astype(str).to_numpy() if use_by else "all"
    df = df[df["date"].notna()]
    if df.empty:
        raise InputError("articles_per_month: no article has a date")
    df["month"] = df["date"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M")
    months = pd.period_range(df["month"].min(), df["month"].max(), freq="M")
    groups = sorted(df["group"].unique())
    counts = df.groupby(["month", "group"]).size()
    full = pd.MultiIndex.from_product([months, groups], names=["month", "group"])
    counts = counts.reindex(full, fill_value=0).rename("n").reset_index()
    counts["month"] = counts["month"].astype(str)
    wide = counts.pivot(index="month", columns="group", values="n").reindex(
        index=[str(m) for m in months], columns=groups
    )
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio)
        ax = fig.add_subplot()
        bottom = np.zeros(len(months))
        handles = []
        for g, (color, hat) in zip(groups, _bar_colors(len(groups), hatch)):
            vals = wide[g].to_numpy(dtype=float)
            handles.append(ax.bar(range(len(months)), vals, bottom=bottom, width=0.85, color=color, hatch=hat,
                                  edgecolor=_hatch_edge(color, hat) if hat else color, linewidth=0.2 if hat else 0))
            bottom = bottom + vals
        _set_period_ticks(ax, list(range(len(months))), [str(m) for m in months], p)
        ax.set_xlim(-0.6, len(months) - 0.4)
        note = f"; {undated} undated article{'s' if undated != 1 else ''} not shown" if undated else ""
        ax.set_xlabel(f"Month (UTC){note}")
        ax.set_ylabel("Articles (count per month)")
        ax.yaxis.get_major_locator().set_params(integer=True)
        if use_by:
            _legend(fig, handles, [_text(g) for g in groups], p)
    plotted = counts.rename(columns={"group": use_by}) if use_by else counts.drop(columns=["group"])
    return _finish(fig, plotted, title)


def removals_by_reason(
    summary: pd.DataFrame,
    *,
    value: str = "count",
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """What cleaning removed, by reason: horizontal bars.

    Parameters
    ----------
    summary : pandas.DataFrame
        Either the removals table (``doc_id, field, start, end, text, reason,
        replacement``; one row per removal) or a summary with ``reason`` and a
        count column (``n``, ``count``, ``removals`` or ``n_removals``), e.g.
        ``corpus.summary`` (only its ``table == "removals"`` rows are used).  Rows
        with an empty reason are skipped; counts of the same reason in several
        fields (text, title) are added.
    value : {"count", "chars"}, default "count"
        Number of removals, or characters removed (``end - start`` of the
        removals table, or the summary's ``chars`` column).
    preset, height_ratio, title
        See :func:`figure`.

    Returns
    -------
    matplotlib.figure.Figure
        Reasons sorted by size (largest at top; ties by reason).  Plotted data:
        ``reason, <value>``.
    """
    _require(summary, ["reason"], "removals_by_reason")
    if value not in ("count", "chars"):
        raise InputError(f"removals_by_reason: value must be 'count' or 'chars', got {value!r}")
    df = summary.copy()
    if "table" in df.columns:  # corpus.summary: keep the removal rows, not the record report
        df = df[df["table"].astype(str) == "removals"]
    df["reason"] = df["reason"].fillna("").astype(str)
    df = df[df["reason"] != ""]
    count_col = next((c for c in ("n", "count", "removals", "n_removals") if c in df.columns), None)
    if value == "chars":
        if {"start", "end"} <= set(df.columns):
            agg = (df["end"] - df["start"]).groupby(df["reason"]).sum()
        else:
            _require(df, ["chars"], "removals_by_reason")
            agg = df.groupby("reason")["chars"].sum()
    elif count_col is not None and not {"start", "end"} <= set(df.columns):
        agg = df.groupby("reason")[count_col].sum()
    else:
        agg = df.groupby("reason").size()
    out = agg.rename(value).reset_index()
    out[value] = out[value].astype(int)
    out = out.sort_values([value, "reason"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    with _building(preset) as p:
        fig = _new_figure(
            p, height_ratio=height_ratio, rows=len(out) + 2, min_ratio=0.35, labels=out["reason"].tolist()
        )
        ax = fig.add_subplot()
        bars = ax.barh(range(len(out)), out[value].to_numpy(dtype=float), height=0.7, color=CYCLE_COLORS[0])
        ax.bar_label(bars, labels=[f"{v:,}" for v in out[value]], padding=2, fontsize=p.small_pt)
        _barh_axis(ax, out["reason"].tolist(), p, "Reason for removal")
        top_value = float(out[value].max()) if len(out) else 1.0
        ax.set_xlim(0, top_value * 1.25 if top_value > 0 else 1.0)
        ax.set_xlabel("Removals (count)" if value == "count" else "Removed text (characters)")
    return _finish(fig, out, title)


def validation_by_outlet(
    metrics: pd.DataFrame,
    *,
    metric: str = "tone_macro_f1",
    preset: str | None = None,
    height_ratio: float | None = None,
    title: str | None = None,
) -> Figure:
    """One metric per held-out outlet (and pooled) with its 95% CI, beside the baseline.

    Parameters
    ----------
    metrics : pandas.DataFrame
        The ``validate`` metrics table (``outlet, metric, ours, ci_low, ci_high, baseline,
        baseline_name, baseline_ci_low, baseline_ci_high, n``).
    metric : str, default "tone_macro_f1"

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal point-and-interval chart on a 0-1 axis (scores are shares: the axis
        starts at zero); the row label carries n.  Plotted data: the selected rows.
    """
    _require(metrics, ["outlet", "metric", "ours", "ci_low", "ci_high", "baseline", "baseline_name",
                       "baseline_ci_low", "baseline_ci_high", "n"], "validation_by_outlet")
    df = metrics[metrics["metric"] == metric].copy()
    if df.empty:
        raise InputError(f"validation_by_outlet: no rows for metric {metric!r}")
    df["_pooled"] = df["outlet"] == "all"
    df = df.sort_values(["_pooled", "outlet"], kind="mergesort").drop(columns="_pooled").reset_index(drop=True)
    labels = [f"{('all outlets (pooled)' if o == 'all' else o)}\nn = {int(n)}" for o, n in zip(df["outlet"], df["n"])]
    with _building(preset) as p:
        fig = _new_figure(p, height_ratio=height_ratio, rows=2 * len(df) + 2, labels=labels)
        ax = fig.add_subplot()
        y = np.arange(len(df))[::-1].astype(float)
        ax.errorbar(df["ours"], y + 0.15, xerr=[df["ours"] - df["ci_low"], df["ci_high"] - df["ours"]],
                    fmt="o", color=CYCLE_COLORS[0], capsize=2, label="this package (leave-one-outlet-out)")
        ax.errorbar(df["baseline"], y - 0.15,
                    xerr=[df["baseline"] - df["baseline_ci_low"], df["baseline_ci_high"] - df["baseline"]],
                    fmt="s", color=CYCLE_COLORS[1], capsize=2, label=str(df["baseline_name"].iloc[0]))
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, len(df) - 0.4)
        ax.set_xlim(0, 1)
        ax.set_xlabel(_text(f"{metric.replace('_', ' ')} (95% bootstrap CI over articles)"))
        fig.legend(loc="outside upper center", frameon=False, ncols=2)
        ax.grid(axis="x", linewidth=0.3)
    return _finish(fig, df, title)
