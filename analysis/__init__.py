"""Measures of protocol language, recurring phrases and tone toward bilateral ties.

The package is a set of pure functions over pandas tables, one module per stage
(see ``README.md``).  Importing it prints nothing, reads no files and changes no
global state (matplotlib styles are applied only when :func:`analysis.plots.use_style`
is called).
"""

__version__ = "0.4.0"

__all__ = ["__version__"]
