"""Paper-ready figures: journal presets, one saving function, chart functions.

The code lives in four modules, re-exported here so that ``from analysis import plots``
gives the whole public API:

* :mod:`analysis.plot_style`: palette, presets, :func:`style`, :func:`use_style`,
  :func:`inline_png`, :func:`figure`, :func:`save_figure`, :func:`plotted_data`;
* :mod:`analysis.plot_axes`: shared axis, legend and period helpers (internal);
* :mod:`analysis.plot_charts`: charts of the text measures and of tone;
* :mod:`analysis.plot_counts`: charts of counts, corpus, cleaning and validation.

Each chart function takes a result table (column names as in :mod:`analysis.schema`)
and returns a :class:`matplotlib.figure.Figure`; the table that was actually drawn is
attached to the figure (:func:`plotted_data`) for :func:`save_figure`'s ``data``.
Importing this module changes no rcParams and never selects a backend; the
figures are plain :class:`~matplotlib.figure.Figure` objects (not registered
with pyplot), so they are garbage-collected normally and a notebook displays
one when it is the value of a cell.
"""

from __future__ import annotations

from analysis.plot_charts import (  # noqa: F401 (re-exported)
    density_over_time,
    formulaicity_over_time,
    keyness_chart,
    protocol_profile,
    tone_heatmap,
    tone_trends,
    top_bundles,
)
from analysis.plot_counts import (  # noqa: F401 (re-exported)
    adaptation_curve,
    articles_per_month,
    confusion_matrix,
    event_counts,
    readability_vs_density,
    removals_by_reason,
    validation_by_outlet,
)
from analysis.plot_style import (  # noqa: F401 (re-exported)
    CYCLE_COLORS,
    DEFAULT_PRESET,
    HATCHES,
    INLINE_DPI,
    LINESTYLES,
    MARKERS,
    OKABE_ITO,
    OKABE_ITO_NAMES,
    PRESETS,
    SVG_HASHSALT,
    Preset,
    _active,
    active_preset,
    figure,
    inline_png,
    plotted_data,
    save_figure,
    style,
    style_context,
    use_style,
)

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
    "adaptation_curve",
]
