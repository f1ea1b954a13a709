"""The parameters of a run: one frozen, typed, documented record (:class:`Params`).

``python -m analysis run --param key=value``, the named flags (``--period``, ``--lexicon``, ...),
the Makefile variables and the notebooks all end in :meth:`Params.from_mapping`, which checks
every key and value and converts strings (the command line's values) to the field's type.
Unknown keys and unusable values are an :class:`~analysis.errors.InputError` with a one-line
message naming the key (and the closest valid key for a misspelling).

n-gram lengths (``ngram_n``, ``bundle_n``, ``formulaicity_n``) are normalised to a sorted tuple
of distinct ints.  A range is written as a string ``"2-4"`` (2, 3 and 4) or a ``range``; any
list or tuple means exactly its values (``[3, 5]`` and ``(3, 5)`` are 3 and 5, never 3..5);
``"3,5"`` is the list written as a string and ``3`` or ``"3"`` a single length.

Layer 1 (imports only :mod:`analysis.config` and :mod:`analysis.errors`).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from . import config
from .errors import InputError

__all__ = ["Params", "PERIODS", "DATA_FILES", "defaults_view", "parse_assignments", "ngram_lengths",
           "home_country_spec"]

#: Accepted values of :attr:`Params.period`.
PERIODS: tuple[str, ...] = ("year", "quarter", "month")

#: Parameters that name a data file overriding a bundled one (None: the bundled file).
DATA_FILES: tuple[str, ...] = ("tone_model", "lexicon", "gazetteer", "aliases", "boilerplate", "stopwords", "outlets")

#: The parameters a run recorded before the data-file overrides existed: always written to
#: ``tables/run.json`` and the figure sidecars; the data-file overrides other than
#: ``tone_model`` are written only when given (so that runs with the bundled files keep
#: byte-identical outputs).
_ALWAYS_RECORDED: tuple[str, ...] = (
    "period", "ngram_n", "ngram_min_frequency", "bundle_n", "bundle_min_per_million", "bundle_min_docs",
    "collocation_window", "collocation_min_frequency", "collocation_min_docs", "keyness_min_frequency",
    "formulaicity_n", "formulaicity_min_docs", "near_duplicate_k", "near_duplicate_threshold",
    "template_min_docs", "bootstrap_n", "bootstrap_ci", "seed", "tone_model",
)


_CODE = re.compile(r"[A-Z]{2,4}")


def home_country_spec(value: str | None) -> dict[str, str]:
    """Outlet -> home country from the ``home_country`` parameter; ``"*"`` stands for every outlet.

    ``"CHN"`` gives every outlet of the corpus the home country CHN; ``"mfa_briefings=CHN;
    kremlin=RUS"`` gives it per outlet (the corpus's ``source`` value; ``;`` or ``,`` between
    items).  Codes are the gazetteer's (ISO 3166-1 alpha-3, or its special codes such as EUU);
    anything else is an :class:`~analysis.errors.InputError`.

    Examples
    --------
    >>> home_country_spec("chn")
    {'*': 'CHN'}
    >>> home_country_spec("mfa briefings=CHN; kremlin=RUS")
    {'mfa briefings': 'CHN', 'kremlin': 'RUS'}
    >>> home_country_spec(None)
    {}
    """
    if value is None or not str(value).strip():
        return {}
    out: dict[str, str] = {}
    for item in re.split(r"[;,]", str(value)):
        if not item.strip():
            continue
        src, sep, code = item.rpartition("=")
        src, code = (src.strip() if sep else "*"), code.strip().upper()
        if not _CODE.fullmatch(code) or (sep and not src):
            raise InputError(f"parameter home_country: expected ISO3 or SOURCE=ISO3[;SOURCE=ISO3...], got {value!r}")
        out[src] = code
    if "*" in out and len(out) > 1:
        raise InputError(f"parameter home_country: one code for every outlet, or SOURCE=ISO3 items, not both: {value!r}")
    return out


def ngram_lengths(value: Any, *, name: str = "n") -> tuple[int, ...]:
    """n-gram lengths as a sorted tuple of distinct positive ints.

    ``"2-4"`` and ``range(2, 5)`` are ranges (2, 3, 4); a list or tuple, or ``"3,5"``, means
    exactly those values; an int or ``"3"`` a single length.  Anything else is an
    :class:`~analysis.errors.InputError` naming *name*.
    """
    vals: list[int]
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int):
            vals = [value]
        elif isinstance(value, range):
            vals = list(value)
        elif isinstance(value, str):
            s = value.strip().strip("[]()").replace(" ", "")
            if "-" in s and "," not in s:
                lo, hi = (int(x) for x in s.split("-", 1))
                if lo > hi:
                    raise InputError(f"parameter {name}: range {value!r} needs low <= high")
                vals = list(range(lo, hi + 1))
            else:
                vals = [int(x) for x in s.split(",") if x]
        elif isinstance(value, (list, tuple)):
            if any(isinstance(v, bool) or not isinstance(v, int) and not (isinstance(v, str) and v.strip().isdigit())
                   for v in value):
                raise ValueError
            vals = [int(v) for v in value]
        else:
            raise ValueError
    except (ValueError, TypeError):
        raise InputError(f"parameter {name}: expected n-gram lengths such as 3, \"2-4\" (a range) or "
                         f"[3, 5] (exactly those), got {value!r}") from None
    if not vals or min(vals) < 1:
        raise InputError(f"parameter {name}: n-gram lengths must be positive integers, got {value!r}")
    return tuple(sorted(set(vals)))


def _as_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    if isinstance(value, bool):
        raise InputError(f"parameter {name}: expected an integer, got {value!r}")
    try:
        if isinstance(value, str):
            out = int(value.strip())
        elif isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            out = int(value)
        else:
            out = int(value)
    except (ValueError, TypeError):
        raise InputError(f"parameter {name}: expected an integer, got {value!r}") from None
    if minimum is not None and out < minimum:
        raise InputError(f"parameter {name}: must be at least {minimum}, got {out}")
    return out


def _as_float(name: str, value: Any, *, low: float | None = None, high: float | None = None,
              open_low: bool = False, open_high: bool = False) -> float:
    if isinstance(value, bool):
        raise InputError(f"parameter {name}: expected a number, got {value!r}")
    try:
        out = float(value.strip()) if isinstance(value, str) else float(value)
    except (ValueError, TypeError):
        raise InputError(f"parameter {name}: expected a number, got {value!r}") from None
    if out != out:  # NaN
        raise InputError(f"parameter {name}: expected a number, got {value!r}")
    bad_low = low is not None and (out <= low if open_low else out < low)
    bad_high = high is not None and (out >= high if open_high else out > high)
    if bad_low or bad_high:
        lo = "" if low is None else ("(" if open_low else "[") + f"{low:g}"
        hi = "" if high is None else f"{high:g}" + (")" if open_high else "]")
        raise InputError(f"parameter {name}: must be in {lo}, {hi}, got {out:g}")
    return out


def _as_path(name: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise InputError(f"parameter {name}: expected a file path, got {value!r}")
    value = value.strip()
    return value or None


@dataclass(frozen=True)
class Params:
    """Parameters of a run (written to ``tables/run.json`` and every figure's JSON sidecar).

    Build one with ``Params()`` (the defaults), ``Params(period="month")`` or, from untyped
    values such as the command line's strings, :meth:`Params.from_mapping`.  Values are checked
    and normalised on construction; a changed copy is ``dataclasses.replace(p, ...)`` or
    :meth:`Params.updated`.
    """

    #: Calendar period of the time series (keyness by period, templates, dyad tone, protocol
    #: measures): ``"year"``, ``"quarter"`` or ``"month"`` (UTC dates).
    period: str = "year"
    #: n-gram lengths of the ``ngrams`` frequency list (words).
    ngram_n: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
    #: Minimum corpus frequency of an n-gram in the ``ngrams`` table (occurrences).
    ngram_min_frequency: int = 3
    #: Lexical bundle lengths (words); 3- to 5-word bundles as in Biber, Conrad & Cortes (2004),
    #: "If you look at ...: Lexical bundles in university teaching and textbooks",
    #: Applied Linguistics 25(3), 371-405.
    bundle_n: tuple[int, ...] = (3, 4, 5)
    #: Frequency cut-off of a lexical bundle (occurrences per million words); 20 per million as
    #: in Hyland (2008), "As can be seen: Lexical bundles and disciplinary variation",
    #: English for Specific Purposes 27(1), 4-21 (Biber et al. 2004 use 40 on larger corpora).
    bundle_min_per_million: float = 20.0
    #: Range criterion of a lexical bundle (distinct articles); 5 texts as in Biber, Conrad &
    #: Cortes (2004).
    bundle_min_docs: int = 5
    #: Collocation span (words on each side of the node); the 4-5 word span of Sinclair (1991),
    #: Corpus, Concordance, Collocation, Oxford University Press.
    collocation_window: int = 5
    #: Minimum co-occurrence frequency of a collocation (occurrences); f >= 5 as in Church &
    #: Hanks (1990), "Word association norms, mutual information, and lexicography",
    #: Computational Linguistics 16(1), 22-29.
    collocation_min_frequency: int = 5
    #: Minimum number of distinct articles a collocation occurs in.
    collocation_min_docs: int = 2
    #: Minimum frequency (target + reference, occurrences) of a keyword in the keyness table.
    keyness_min_frequency: int = 5
    #: n-gram lengths whose recurrent occurrences count toward formulaicity (words).
    formulaicity_n: tuple[int, ...] = (3, 4)
    #: An n-gram is recurrent when it occurs in at least this many distinct articles.
    formulaicity_min_docs: int = 3
    #: Shingle length of the near-duplicate search (words; w-shingling of Broder (1997),
    #: "On the resemblance and containment of documents", Compression and Complexity of
    #: Sequences, 21-29).
    near_duplicate_k: int = 5
    #: Jaccard similarity of shingle sets (0-1) from which two articles are near-duplicates.
    near_duplicate_threshold: float = 0.5
    #: A sentence template is kept when it occurs in at least this many distinct articles.
    template_min_docs: int = 3
    #: Bootstrap resamples of the dyad tone confidence intervals (cluster bootstrap by article;
    #: Efron & Tibshirani (1993), An Introduction to the Bootstrap, Chapman & Hall).
    bootstrap_n: int = 1000
    #: Confidence level of the bootstrap intervals (0-1, exclusive).
    bootstrap_ci: float = 0.95
    #: Seed of every random draw of the run (default :data:`analysis.config.RANDOM_SEED`).
    seed: int = config.RANDOM_SEED
    #: A sentence-model file written by ``train-tone`` (None: the bundled model).
    tone_model: str | None = None
    #: A protocol lexicon file replacing the bundled one (None: bundled).
    lexicon: str | None = None
    #: A gazetteer CSV replacing the bundled one (None: bundled).
    gazetteer: str | None = None
    #: An alias CSV replacing the bundled aliases (None: the bundled aliases with the bundled
    #: gazetteer, none with a user's gazetteer).
    aliases: str | None = None
    #: A boilerplate-pattern file replacing the bundled one used in cleaning (None: bundled).
    boilerplate: str | None = None
    #: Stopwords removed from the ``ngrams`` and ``collocations`` tables: a stopword file, or
    #: ``"default"`` for the bundled list (None: no filtering).
    stopwords: str | None = None
    #: An outlets file (CSV with the columns of ``analysis/data/outlets.csv``) looked up before
    #: the bundled list (None: the bundled list only).
    outlets: str | None = None
    #: The outlets' home country, over the outlets file and the inference from titles: one code
    #: for every outlet (``"CHN"``) or per outlet (``"SOURCE=ISO3;SOURCE=ISO3"``); an outlet given
    #: here speaks for that country (:func:`home_country_spec`; None: the outlets file, then titles).
    home_country: str | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        period = self.period.strip().lower() if isinstance(self.period, str) else self.period
        if period not in PERIODS:
            raise InputError(f"parameter period: expected one of {', '.join(PERIODS)}, got {self.period!r}")
        set_(self, "period", period)
        for name in ("ngram_n", "bundle_n", "formulaicity_n"):
            set_(self, name, ngram_lengths(getattr(self, name), name=name))
        for name in ("ngram_min_frequency", "bundle_min_docs", "collocation_window", "collocation_min_frequency",
                     "collocation_min_docs", "keyness_min_frequency", "formulaicity_min_docs", "near_duplicate_k",
                     "template_min_docs", "bootstrap_n"):
            set_(self, name, _as_int(name, getattr(self, name), minimum=1))
        set_(self, "seed", _as_int("seed", self.seed, minimum=0))
        set_(self, "bundle_min_per_million", _as_float("bundle_min_per_million", self.bundle_min_per_million, low=0))
        set_(self, "near_duplicate_threshold",
             _as_float("near_duplicate_threshold", self.near_duplicate_threshold, low=0, high=1, open_low=True))
        set_(self, "bootstrap_ci", _as_float("bootstrap_ci", self.bootstrap_ci, low=0, high=1, open_low=True,
                                             open_high=True))
        for name in DATA_FILES:
            set_(self, name, _as_path(name, getattr(self, name)))
        if self.home_country is not None:
            spec = home_country_spec(self.home_country)
            set_(self, "home_country", ";".join(f"{k}={v}" if k != "*" else v for k, v in spec.items()) or None)

    # ------------------------------------------------------------------ construction
    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every parameter name, in declaration order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def check_keys(cls, keys: Iterator[str] | Mapping[str, Any] | tuple[str, ...] | list[str]) -> None:
        """Raise an :class:`~analysis.errors.InputError` for the first unknown key (one line,
        with the closest valid name when there is one)."""
        valid = cls.names()
        for key in keys:
            if key not in valid:
                close = difflib.get_close_matches(str(key), valid, n=1)
                hint = f" (did you mean {close[0]}?)" if close else f" (valid: {', '.join(valid)})"
                raise InputError(f"unknown parameter {key!r}{hint}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None = None, /, **more: Any) -> Params:
        """Parameters from a mapping of names to values (strings are converted), defaults for
        the rest.  A :class:`Params` passed as *values* is returned updated with *more*."""
        if isinstance(values, Params):
            return values.updated(**more) if more else values
        merged = {**(dict(values) if values else {}), **more}
        cls.check_keys(list(merged))
        return cls(**merged)

    def updated(self, values: Mapping[str, Any] | None = None, /, **more: Any) -> Params:
        """A copy with the given parameters changed (checked like :meth:`from_mapping`)."""
        merged = {**(dict(values) if values else {}), **more}
        self.check_keys(list(merged))
        return dataclasses.replace(self, **merged)

    # ------------------------------------------------------------------ views
    def as_dict(self) -> dict[str, Any]:
        """Every parameter by name (n-gram lengths as lists, for JSON)."""
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v for f in fields(self)}

    def manifest(self) -> dict[str, Any]:
        """What ``tables/run.json`` and the figure sidecars record: the analysis parameters, and
        the data-file overrides that were given (as paths relative to the project, or file
        names when outside it: never absolute paths)."""
        out: dict[str, Any] = {}
        for name, value in self.as_dict().items():
            if name in DATA_FILES and value is not None and value != "default":
                value = config.relpath(value)
            if name in _ALWAYS_RECORDED or value is not None:
                out[name] = value
        return out

    def __getitem__(self, key: str) -> Any:  # read-only mapping access, as the old DEFAULTS dict
        if key not in self.names():
            raise KeyError(key)
        return getattr(self, key)

    def keys(self) -> tuple[str, ...]:
        return self.names()

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self.names() else default


def defaults_view() -> Mapping[str, Any]:
    """The default parameters as a read-only mapping (the former ``pipeline.DEFAULTS`` dict)."""
    return types.MappingProxyType(Params().as_dict())


def parse_assignments(pairs: list[str] | tuple[str, ...], *, option: str = "--param") -> dict[str, str]:
    """``["key=value", ...]`` -> ``{key: value}``; a malformed item or unknown key is an
    :class:`~analysis.errors.InputError` naming it (values stay strings for
    :meth:`Params.from_mapping`)."""
    out: dict[str, str] = {}
    for item in pairs:
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise InputError(f"{option} expects KEY=VALUE (e.g. period=month), got {item!r}")
        Params.check_keys([key])
        out[key] = value.strip()
    return out

