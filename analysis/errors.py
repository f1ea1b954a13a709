"""Exceptions with one-line, specific messages (the CLI prints them without a traceback)."""

from __future__ import annotations


class AnalysisError(Exception):
    """Base class: everything the package raises on purpose."""


class InputError(AnalysisError):
    """An unusable input: missing file, unknown format, missing required column, ..."""


class DataFileError(AnalysisError):
    """An invalid lexicon, gazetteer, alias or stopword file (message names file, entry, problem)."""
