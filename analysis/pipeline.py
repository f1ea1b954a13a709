"""Strings the stages together for the CLI (``python -m analysis run``) and the notebooks.

Data flow (every table is documented in README.md, "Tables written by run")::

    files -> corpus.load_corpus -> corpus.clean            (articles, cleaning_report, removals)
          -> segment.segment_articles                      (sentences: computed ONCE, reused)
          -> per document: entities, protocol, readability, sentiment, events
          -> per corpus:   phrases, reuse, aggregations (protocol counts, dyad tone)
          -> tables/*.csv, tables/run.json -> figures/* (rendered from the written tables)
          (written into a temporary folder inside OUT, then moved into place)

Per-document stages run partition-wise (:func:`document_tables`), so that the local
process pool and the dask engine (:mod:`analysis.engines`) produce the same tables
as a single process; corpus-level statistics that a document stage needs (the Punkt
model, outlet home countries) are fitted once beforehand (:func:`fit_context`).
One :class:`analysis.engines.Session` serves a whole :func:`run`: cleaning runs on its
workers in two partitioned passes around the corpus-wide boilerplate counts, the
near-duplicate search runs on a worker beside the per-document partitions; the workers are
released (shut down) between the stages that use them, and the corpus stages (the sentence
templates after the phrase measures) run in this process.

The run's parameters are an :class:`analysis.params.Params`; table I/O is in
:mod:`analysis.tableio` and the report shaping (paper tables, figures) in :mod:`analysis.report`
(their names stay importable from here).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import (
    __version__,
    config,
    engines,
    entities,
    events,
    outlet_context,
    paired,
    phrases,
    protocol,
    readability,
    reuse,
    schema,
    segment,
    sentiment,
)
from . import corpus as corpus_mod
from . import tone_model as tone_model_mod
from .errors import InputError
from .outputs import check_out, replace_outputs, write_manifest
from .params import Params, defaults_view
from .report import (
    FIGURE_TABLES,
    KEYNESS_VS,
    PAPER_TABLES,
    _figure_specs,
    _slug,
    paper_tables,
    render_figures,
    write_adaptation,
    write_validation,
)
from .resources import mark_stage, trim_memory
from .tableio import (
    _ARTICLE_COLUMNS,
    FORMATS,
    LARGE_TABLES,
    TABLES,
    _for_csv,
    read_run_tables,
    read_tables,
    write_run_tables,
    write_tables,
)
from .workprogress import Stages

__all__ = [
    "Context",
    "DEFAULTS",
    "Params",
    "TABLES",
    "prepare",
    "PreparedCorpus",
    "prepare_corpus",
    "keyness_contrast",
    "keyness_table",
    "paper_tables",
    "fit_context",
    "check_out",
    "document_tables",
    "corpus_tables",
    "near_duplicate_pairs",
    "template_tables",
    "analyse",
    "write_tables",
    "read_tables",
    "read_run_tables",
    "write_run_tables",
    "render_figures",
    "write_validation",
    "write_adaptation",
    "run",
]

# names of the split modules, importable from here as before
_REEXPORTED = (FIGURE_TABLES, PAPER_TABLES, _figure_specs, _slug, _ARTICLE_COLUMNS, _for_csv, FORMATS, LARGE_TABLES)

#: The default parameters as a read-only mapping (kept for code written against the former dict;
#: new code uses :class:`analysis.params.Params`).
DEFAULTS: Mapping[str, Any] = defaults_view()

#: Columns of the keyness table: each outlet against all others, or, with a single outlet, the
#: latest against the earliest period (``target`` = "LATEST vs EARLIEST").
KEYNESS_COLUMNS: tuple[str, ...] = ("target", "feature", "frequency_target", "frequency_reference", "docfreq_target",
                                    "docfreq_reference", "g2", "log_ratio", "p_value")

#: A rough sentence split for corpus-level counts (the adversary inference), before Punkt is trained.
_ROUGH_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")



def _params(params: Params | Mapping[str, Any] | None) -> Params:
    return params if isinstance(params, Params) else Params.from_mapping(params)


@dataclass
class Context:
    """Corpus-level state a per-document stage needs, fitted once on the whole corpus."""

    splitter: Any
    home_countries: dict[str, str] = field(default_factory=dict)
    #: A sentence-model file replacing the bundled one (None: bundled).
    tone_model: str | None = None
    #: Outlet -> adversary country (analysis.sentiment.infer_adversaries), corpus-wide.
    adversaries: dict[str, str] = field(default_factory=dict)
    #: Outlets that speak for their home country (analysis.sentiment.outlet_parties).
    party_outlets: frozenset[str] = frozenset()
    #: A protocol lexicon file replacing the bundled one (None: bundled).
    lexicon: str | None = None
    #: A gazetteer file replacing the bundled one (None: bundled).
    gazetteer: str | None = None
    #: An alias file replacing the bundled aliases (None: the gazetteer's default).
    aliases: str | None = None


@functools.lru_cache(maxsize=4)
def _lexicon(path: str | None) -> Any:
    """The protocol lexicon at *path*, loaded once per process (None: the bundled one)."""
    return None if path is None else protocol.load_lexicon(path)


@functools.lru_cache(maxsize=4)
def _gazetteer(path: str | None, aliases: str | None) -> Any:
    """The gazetteer at *path* with *aliases*, loaded once per process (None, None: the bundled ones)."""
    if path is None and aliases is None:
        return None
    return entities.load_gazetteer(path, aliases=aliases)


def _paths(corpus: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[str]:
    if isinstance(corpus, (str, os.PathLike)):
        return [os.fspath(corpus)]
    out = [os.fspath(c) for c in corpus]
    if not out:
        raise InputError("no corpus given")
    return out


def prepare(
    corpus: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    column_map: Mapping[str, str] | None = None,
    session: Any = None,
    boilerplate: str | os.PathLike[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Load and clean: ``(articles, cleaning_report, removals)``.

    *session* (an :class:`analysis.engines.Session`) cleans partitions on its workers; the
    result is the same without one.  *boilerplate*: a boilerplate-pattern file replacing the
    bundled one (:func:`analysis.corpus.load_boilerplate`)."""
    articles, report = corpus_mod.load_corpus(_paths(corpus), column_map=column_map)
    return _clean(articles, report, session=session, boilerplate=boilerplate)


def _clean(articles: pd.DataFrame, report: pd.DataFrame, *, session: Any = None,
           boilerplate: str | os.PathLike[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    if articles.empty:
        raise InputError("no article could be loaded: see the cleaning report (every record was rejected)")
    articles, removals = corpus_mod.clean(articles, session=session, boilerplate_path=boilerplate)
    return articles, report, removals


def with_period(articles: pd.DataFrame, *, freq: str = DEFAULTS["period"]) -> pd.DataFrame:
    """Transform: *articles* plus ``period`` (:func:`analysis.schema.period` labels such as "2022",
    "2022-Q1" or "2022-03"; "undated" when undated)."""
    out = articles.copy()
    out["period"] = schema.period(out["date"], freq).astype(str).to_numpy()  # type: ignore[arg-type]
    return out


@dataclass
class PreparedCorpus:
    """A loaded, cleaned and segmented corpus (what every notebook starts from)."""

    articles: pd.DataFrame
    report: pd.DataFrame
    removals: pd.DataFrame
    sentences: pd.DataFrame


def prepare_corpus(
    corpus: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    column_map: Mapping[str, str] | None = None,
    period: str | None = None,
    params: Params | Mapping[str, Any] | None = None,
) -> PreparedCorpus:
    """Load, clean and segment *corpus* once: articles (with ``period``), report, removals, sentences.

    *params* (:class:`analysis.params.Params` or a mapping): the run's parameters (``period``
    and ``boilerplate`` are used here); *period* overrides ``params.period``."""
    p = _params(params)
    if period is not None:
        p = p.updated(period=period)
    articles, report, removals = prepare(corpus, column_map=column_map, boilerplate=p.boilerplate)
    articles = with_period(articles, freq=p.period)
    context = fit_context(articles)
    sentences = segment.segment_articles(articles, splitter=context.splitter)
    return PreparedCorpus(articles=articles, report=report, removals=removals, sentences=sentences)


def _with_text(articles: pd.DataFrame) -> pd.DataFrame:
    """The articles whose cleaned text has at least one word character (all of them without ``text``)."""
    if "text" not in articles.columns:
        return articles
    return articles[articles["text"].fillna("").astype(str).str.contains(r"\w", regex=True)]


def keyness_contrast(articles: pd.DataFrame) -> tuple[str, str, str] | None:
    """Which two groups to contrast for keyness: ``(by, target, reference)``.

    The two largest outlets (ties broken by name) when there are at least two; otherwise the
    latest against the earliest period (``period`` column, see :func:`with_period`); None when
    the corpus has neither two outlets nor two dated periods.  Articles whose cleaned ``text``
    has no word left (e.g. every line of a foreign-language outlet removed) do not count.
    """
    articles = _with_text(articles)
    sizes = articles["source"].astype(str).value_counts()
    if len(sizes) >= 2:
        order = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
        return "source", order[0][0], order[1][0]
    if "period" in articles.columns:
        periods = sorted(p for p in articles["period"].astype(str).unique() if p and p != schema.MISSING_PERIOD)
        if len(periods) >= 2:
            return "period", periods[-1], periods[0]
    return None


def keyness_table(stream: Any, articles: pd.DataFrame, *, min_frequency: int = 5) -> pd.DataFrame:
    """Measure: the keyness table of a run (:data:`KEYNESS_COLUMNS`).

    With two or more outlets whose sentences have words: each such outlet (``target``) against
    all other documents (:func:`analysis.phrases.keyness`, G2 and log ratio); outlets left
    without any word after cleaning are skipped (they would have nothing to compare).  With a
    single outlet: the latest period against the earliest (:func:`keyness_contrast`), ``target``
    = "LATEST vs EARLIEST" (e.g. "2022 vs 2021").  Otherwise empty (header only).
    *stream*: the sentences' :class:`analysis.phrases.WordStream` (or the sentences table).
    """
    ws = stream if isinstance(stream, phrases.WordStream) else phrases.word_stream(stream)
    words = np.bincount(ws.doc, minlength=ws.n_docs) if ws.n_docs else np.zeros(0, dtype=np.int64)
    with_words = articles[articles["doc_id"].isin([d for d, n in zip(ws.doc_ids, words.tolist()) if n > 0])]
    key = []
    sources = sorted(with_words["source"].dropna().unique().tolist())
    if len(sources) >= 2:
        for src in sources:
            k = phrases.keyness(ws, articles, by="source", target=src, min_frequency=min_frequency)
            k.insert(0, "target", src)
            key.append(k)
    else:
        contrast = keyness_contrast(with_words)
        if contrast is not None and contrast[0] == "period":
            _, latest, earliest = contrast
            k = phrases.keyness(ws, articles, by="period", target=latest, reference=earliest,
                                min_frequency=min_frequency)
            k.insert(0, "target", f"{latest}{KEYNESS_VS}{earliest}")
            key.append(k)
    return pd.concat(key, ignore_index=True) if key else pd.DataFrame(columns=KEYNESS_COLUMNS)


def fit_context(
    articles: pd.DataFrame,
    *,
    tone_model: str | os.PathLike[str] | None = None,
    lexicon: str | os.PathLike[str] | None = None,
    gazetteer: str | os.PathLike[str] | None = None,
    aliases: str | os.PathLike[str] | None = None,
    outlets: str | os.PathLike[str] | None = None,
    home_country: str | None = None,
) -> Context:
    """Fit the corpus-level state: Punkt on the cleaned texts, outlet home countries (*home_country*
    first, then the *outlets* file and the bundled list, inferred from titles for outlets neither lists,
    then from the texts of a first-person outlet: :func:`analysis.outlet_context.outlet_homes_and_parties`).

    The data files given (*tone_model*, protocol *lexicon*, *gazetteer*, *aliases*) are loaded
    here once, so that a bad file fails before the per-document work; their paths travel in the
    :class:`Context` to the workers."""
    splitter = segment.train_splitter(articles["text"].tolist())
    home: dict[str, str] = {}
    parties: set[str] = set()
    if "source" in articles:
        ids = articles["doc_id"].tolist()
        urls = dict(zip(ids, articles["url"].fillna("").astype(str).tolist() if "url" in articles else [""] * len(ids)))
        sources = dict(zip(ids, articles["source"].fillna("").astype(str).tolist()))
        home, parties = outlet_context.outlet_homes_and_parties(
            sources, urls, titles=dict(zip(ids, articles["title"].fillna("").astype(str).tolist())),
            outlets=outlets, home_country=home_country,
            texts=dict(zip(ids, articles["text"].fillna("").astype(str).tolist())),
            dates=dict(zip(ids, articles["date"].tolist())) if "date" in articles else None)
    adversaries: dict[str, str] = {}
    if home and "source" in articles:
        by_src: dict[str, list[str]] = {}
        for src, text in zip(articles["source"].fillna("").astype(str).tolist(),
                             articles["text"].fillna("").astype(str).tolist()):
            if src in home:
                by_src.setdefault(src, []).extend(_ROUGH_SENTENCE_RE.split(text))
        adversaries = sentiment.infer_adversaries(by_src, home)
    if tone_model is not None:
        tone_model_mod.load_model(tone_model)  # a bad file fails here, before the per-document work
    fs = {k: (os.fspath(v) if v is not None else None)
          for k, v in (("lexicon", lexicon), ("gazetteer", gazetteer), ("aliases", aliases))}
    _lexicon(fs["lexicon"])
    _gazetteer(fs["gazetteer"], fs["aliases"])
    return Context(splitter=splitter, home_countries=home,
                   tone_model=os.fspath(tone_model) if tone_model is not None else None, adversaries=adversaries,
                   party_outlets=frozenset(parties), **fs)


def document_tables(articles: pd.DataFrame, context: Context) -> dict[str, pd.DataFrame]:
    """Per-document stages on a partition of cleaned articles (results depend on no other partition)."""
    gaz = _gazetteer(context.gazetteer, context.aliases)
    sents = segment.segment_articles(articles, splitter=context.splitter)
    mentions = entities.mentions(sents, gazetteer=gaz)
    matches = protocol.match(sents, lexicon=_lexicon(context.lexicon))
    measures = protocol.article_measures(sents, matches)
    # Outlet home countries come from the whole corpus (context), not from this partition's
    # titles, so that tone does not depend on the partitioning.
    model = tone_model_mod.cached_model(context.tone_model) if context.tone_model else None
    tone = sentiment.sentence_tone(articles, sents, mentions=mentions, source_countries=context.home_countries,
                                   protocol_matches=matches, model=model, adversaries=context.adversaries,
                                   party_outlets=context.party_outlets, gazetteer=gaz)
    # Tokens and their offsets are used only by the stages above: the corpus-level phrase
    # measures read the integer-coded word stream (a piece per partition, merged with
    # phrases.merge_streams) and the templates re-tokenize the sentence text, so the merged
    # sentences table holds no per-token Python objects (about 130 bytes per token otherwise).
    out = {
        STREAM_PIECE: phrases.stream_piece(sents),  # type: ignore[dict-item]
        "sentences": sents.drop(columns=["tokens", "spans"]),
        "mentions": mentions,
        "protocol_matches": matches,
        "protocol_measures": measures,
        "readability": readability.readability(articles, sents),
        "sentence_tone": tone,
        "events": events.events(articles, sents, gazetteer=gaz),
    }
    del sents, mentions, matches, measures, tone
    trim_memory()  # on a worker: the partition's temporaries go back to the system before the next one
    return out


#: Per-document tables whose rows every stage sorts by ``doc_id`` first (then by keys within a
#: document); the other per-document tables (``sentences``) keep the articles' order.
_DOC_ID_SORTED: frozenset[str] = frozenset(
    {"mentions", "protocol_matches", "protocol_measures", "readability", "sentence_tone", "events"}
)


#: Key of the per-partition word-stream piece in :func:`document_tables` (not a table: merged
#: into one :class:`analysis.phrases.WordStream` by :func:`analyse`).
STREAM_PIECE = "word_stream_piece"


def _concat(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Merge per-partition tables into the tables one partition would have given.

    Partitions are contiguous slices of the articles, so concatenation restores the
    articles' order; tables sorted by ``doc_id`` are then stable-sorted by ``doc_id``
    (each document lies in one partition, so rows within a document keep their order).
    """
    keys = list(parts[0].keys())
    out: dict[str, Any] = {}
    for k in keys:
        if k == STREAM_PIECE:  # one piece per partition, in partition order
            out[k] = [p[k] for p in parts]
            continue
        df = pd.concat([p[k] for p in parts], ignore_index=True) if len(parts) > 1 else parts[0][k]
        if len(parts) > 1 and k in _DOC_ID_SORTED and "doc_id" in df.columns:
            df = df.sort_values("doc_id", kind="stable").reset_index(drop=True)
        out[k] = df
    return out


def near_duplicate_pairs(articles: pd.DataFrame, *, params: Params | Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The near-duplicate pairs of *articles* (``doc_id``, ``text``) with the run's parameters
    (:func:`analysis.reuse.near_duplicates`)."""
    p = _params(params)
    out = reuse.near_duplicates(articles, k=p.near_duplicate_k, threshold=p.near_duplicate_threshold)
    trim_memory()
    return out


def template_tables(sentences: pd.DataFrame, articles: pd.DataFrame, *,
                    params: Params | Mapping[str, Any] | None = None) -> dict[str, pd.DataFrame]:
    """The three template tables with the run's parameters (:func:`analysis.reuse.template_tables`).

    *sentences* without ``tokens`` are tokenized sentence by sentence while the templates are mined
    (:func:`analysis.segment.token_strings`, the tokens of the per-document stages without their
    offsets), so that a worker can be sent the text only and never holds every sentence's tokens."""
    p = _params(params)
    out = reuse.template_tables(sentences, articles, freq=p.period, min_docs=p.template_min_docs)
    trim_memory()
    return out


def tone_tables(tone: pd.DataFrame, articles: pd.DataFrame, events_table: pd.DataFrame,
                matches: pd.DataFrame, *, params: Params | Mapping[str, Any] | None = None,
                stage: Callable[[str], Any] | None = None) -> dict[str, pd.DataFrame]:
    """The tone aggregation tables: ``article_tone``, ``dyad_tone``, ``dyad_tone_directed`` (per
    pair and period with bootstrap CIs) and ``paired_readouts`` (two outlets' readouts of one
    contact; the people named are found with the run's gazetteer, the bundled one when None).

    *stage*: a context-manager factory called with each stage's name (a progress bar's
    :meth:`analysis.workprogress.Stages.stage`); none by default (e.g. on a worker)."""
    p = _params(params)
    step = stage if stage is not None else (lambda _name: contextlib.nullcontext())
    out: dict[str, pd.DataFrame] = {}
    with step("article tone"):
        out["article_tone"] = sentiment.article_tone(tone)
    with step("dyad tone"):
        for name, directed in (("dyad_tone", False), ("dyad_tone_directed", True)):
            out[name] = sentiment.dyad_tone(
                tone, articles, period=p.period, n_boot=p.bootstrap_n, ci=p.bootstrap_ci, seed=p.seed,
                directed=directed,
            )
    with step("paired readouts"):
        out["paired_readouts"] = paired.paired_readouts(events_table, tone, matches, articles,
                                                        gazetteer=_gazetteer(p.gazetteer, p.aliases))
    return out


#: Corpora whose sentences hold at most this many characters of text (about 2.5 M tokens) mine
#: their templates and aggregate their tone on a worker while this process computes the phrase
#: measures (with two or more workers).  Larger corpora run the three one after another in this
#: process, so that the templates' peak memory does not add to the phrase counting's: at 10 M
#: real tokens the overlap raised the peak of all processes from 1.8 to 3.0 GiB PSS.
OVERLAP_MAX_CHARS = 16 * 2**20


def corpus_tables(
    articles: pd.DataFrame,
    docs: Mapping[str, pd.DataFrame],
    *,
    params: Params | Mapping[str, Any] | None = None,
    near_duplicates: pd.DataFrame | None = None,
    session: Any = None,
    stream: Any = None,
    progress: bool | None = None,
    sink: Callable[[str, pd.DataFrame], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Corpus-level measures from the articles and the (merged) per-document tables.

    One progress bar (stderr) runs over the stages (:data:`CORPUS_STAGES`), counted in
    articles: each stage done adds the corpus's articles.  *progress*: True/False, or None for
    the *session*'s switch (else :func:`analysis.progress.progress_enabled` decides).

    *near_duplicates*: the table of :func:`near_duplicate_pairs` when it was computed
    beforehand (e.g. on a worker beside the per-document stages); computed here otherwise.
    *session*: an :class:`analysis.engines.Session`.  With two or more workers and a corpus whose
    sentences hold at most :data:`OVERLAP_MAX_CHARS` characters (16 Mi), the sentence templates and the
    tone aggregation run on its workers while this process computes the phrase measures;
    otherwise they run in this process after the phrase measures, so that the templates' peak
    memory does not add to that of the phrase counting.  The tables are the same either way.
    Its progress switch is used when *progress* is None.  *stream*: the
    sentences' :class:`analysis.phrases.WordStream` (default: built from their ``tokens``).

    *sink*: a function ``sink(name, table)`` (e.g. one that writes the table) that is handed
    every result table as soon as it is complete, and then the per-document tables of *docs*
    this function reads (``sentences``, ``protocol_matches``, ``sentence_tone``, ``events``)
    as soon as they are no longer needed; those are removed from *docs* (which must then be a
    dict), and the returned dict is empty.  The tables are the same; only less is held at once.

    n-gram lengths are passed to :mod:`analysis.phrases` as lists (exactly those lengths: the
    normalised values of :class:`analysis.params.Params`)."""
    p = _params(params)
    if progress is None and session is not None:
        progress = session.progress
    bar = Stages(CORPUS_STAGES, len(articles), enabled=progress)
    sents = docs["sentences"]
    overlap = (session is not None and session.workers > 1
               and int(sents["text"].fillna("").astype(str).str.len().sum()) <= OVERLAP_MAX_CHARS)
    try:
        return _corpus_tables(articles, docs, p, near_duplicates, stream, bar, sink,
                              offload=session if overlap else None)
    finally:
        bar.close()


#: The corpus-level stages of :func:`corpus_tables`, in order (the names its progress bar shows).
CORPUS_STAGES: tuple[str, ...] = (
    "protocol counts", "n-grams", "bundles", "collocations", "keyness", "formulaicity", "templates",
    "near-duplicates", "article tone", "dyad tone", "paired readouts",
)


def _corpus_tables(articles: pd.DataFrame, docs: Mapping[str, pd.DataFrame], p: Params,
                   near_duplicates: pd.DataFrame | None, stream: Any,
                   bar: Stages, sink: Callable[[str, pd.DataFrame], None] | None,
                   offload: Any = None) -> dict[str, pd.DataFrame]:
    sents = docs["sentences"]
    meta = articles[["doc_id", "source", "period"]]
    out: dict[str, pd.DataFrame] = {}
    # With *offload* (a session), the templates and the tone aggregation start on its workers
    # now and are collected after the phrase measures, which run here meanwhile.
    tpl_job = tone_job = None
    if offload is not None:
        tpl_job = offload.submit(template_tables, sents, articles, params=p)
        tone_job = offload.submit(tone_tables, docs["sentence_tone"], articles, docs["events"],
                                  docs["protocol_matches"], params=p)

    def put(name: str, table: pd.DataFrame) -> None:
        if sink is None:
            out[name] = table
        else:
            sink(name, table)

    def done_with(*names: str) -> None:
        """Hand per-document tables no longer needed here to the sink (and let them go)."""
        if sink is not None:
            for name in names:
                sink(name, docs.pop(name))  # type: ignore[attr-defined]

    ws = stream if stream is not None else phrases.word_stream(sents)
    del stream

    # Protocol: category counts overall, per source and per period; article measures with metadata.
    with bar.stage("protocol counts"):
        counts = []
        for by in (None, "source", "period"):
            c = protocol.category_counts(docs["protocol_matches"], by=by, articles=articles, sentences=sents)
            c.insert(0, "by", by or "all")
            counts.append(c)
        put("protocol_counts", pd.concat(counts, ignore_index=True))
        del counts
        put("protocol_measures", meta.merge(docs["protocol_measures"], on="doc_id", how="right"))
        if sink is not None:
            docs.pop("protocol_measures")  # type: ignore[attr-defined]  # replaced by the merged table
        trim_memory()

    # Recurring phrases.
    mark_stage("phrases")
    with bar.stage("n-grams"):
        put("ngrams", phrases.ngrams(ws, n=list(p.ngram_n), min_frequency=p.ngram_min_frequency,
                                     stopwords=p.stopwords))
        trim_memory()
    with bar.stage("bundles"):
        put("bundles", phrases.bundles(
            ws, n=list(p.bundle_n), min_per_million=p.bundle_min_per_million, min_docs=p.bundle_min_docs
        ))
        trim_memory()
    with bar.stage("collocations"):
        put("collocations", phrases.collocations(
            ws, window=p.collocation_window, min_frequency=p.collocation_min_frequency,
            min_docs=p.collocation_min_docs, stopwords=p.stopwords,
        ))
        trim_memory()
    with bar.stage("keyness"):
        put("keyness", keyness_table(ws, articles, min_frequency=p.keyness_min_frequency))
        trim_memory()
    with bar.stage("formulaicity"):
        form = phrases.formulaicity(ws, n=list(p.formulaicity_n), min_docs=p.formulaicity_min_docs)
        put("formulaicity", meta.merge(form, on="doc_id", how="right"))
        del form
        groups = []
        for by in ("source", "period"):
            g = phrases.formulaicity(
                ws, n=list(p.formulaicity_n), min_docs=p.formulaicity_min_docs, articles=articles, by=by
            )
            g.insert(0, "by", by)
            groups.append(g)
        put("formulaicity_groups", pd.concat(groups, ignore_index=True))
        del groups, ws  # the word stream is not needed any more
        trim_memory()

    # Reuse.
    mark_stage("templates")
    with bar.stage("templates"):
        # in this process, after the word stream is freed (on a worker beside the phrase
        # counting, the two peaks coincided): the sentences go once the templates are mined
        tpl_tables = tpl_job.result() if tpl_job is not None else template_tables(sents, articles, params=p)
        del sents, tpl_job
        done_with("sentences")
        for name in ("templates", "template_fillers", "template_changes"):
            put(name, tpl_tables.pop(name))
    with bar.stage("near-duplicates"):
        nd = near_duplicates if near_duplicates is not None else near_duplicate_pairs(articles, params=p)
        put("near_duplicates", nd)
        put("duplicate_clusters", reuse.duplicate_clusters(nd))

    # Tone toward bilateral ties.
    mark_stage("tone aggregation")
    if tone_job is not None:
        tone = tone_job.result()
        offload.release()  # idle workers would only hold memory
        for name in ("article tone", "dyad tone", "paired readouts"):
            with bar.stage(name):
                pass
    else:
        tone = tone_tables(docs["sentence_tone"], articles, docs["events"], docs["protocol_matches"], params=p,
                           stage=bar.stage)
    del tone_job
    for name in ("article_tone", "dyad_tone", "dyad_tone_directed", "paired_readouts"):
        put(name, tone.pop(name))
    done_with("sentence_tone", "events", "protocol_matches")
    return out


def analyse(
    articles: pd.DataFrame,
    *,
    params: Params | Mapping[str, Any] | None = None,
    workers: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    session: Any = None,
    sink: Callable[[str, pd.DataFrame], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every measure on cleaned *articles*: per-document stages (partitioned) then corpus stages.

    The near-duplicate search needs only the cleaned texts, so it runs on a worker beside the
    per-document partitions.  *session* (an open :class:`analysis.engines.Session`) replaces
    *workers* (None: :func:`analysis.engines.auto_workers`), *engine*, *scheduler* and *progress*.

    The returned ``sentences`` table has neither ``tokens`` nor their ``spans`` (those are used
    inside the per-document stages; the phrase measures read an integer-coded word stream
    instead); :func:`prepare_corpus` gives a table with them.

    *sink*: a function ``sink(name, table)`` that is handed every table as soon as it is
    complete instead of returning it (:func:`run` writes them at once, so that a large corpus's
    tables are not all held together); the returned dict is then empty.  ``articles`` (with
    ``period``) is handed over once the per-document stages are done; the corpus stages then
    keep the articles without their text.
    """
    p = _params(params)
    if session is None:
        if workers is None:
            workers = engines.auto_workers(len(articles))
        with engines.session(workers=workers, engine=engine, scheduler=scheduler, progress=progress) as s:
            return analyse(articles, params=p, session=s, sink=sink)
    arts = with_period(articles, freq=p.period)
    del articles  # (the caller's reference may keep it)
    # the near-duplicate search needs only the cleaned texts: it starts before the fit
    nd = session.submit(near_duplicate_pairs, arts[["doc_id", "text"]], params=p)
    mark_stage("fit")
    context = fit_context(arts, tone_model=p.tone_model, lexicon=p.lexicon, gazetteer=p.gazetteer,
                          aliases=p.aliases, outlets=p.outlets, home_country=p.home_country)
    mark_stage("documents")
    parts = session.map(document_tables, session.partitions(arts), context)
    near = nd.result()
    del nd
    # the corpus stages run in this process: idle workers would only hold memory
    session.release()
    mark_stage("merge")
    docs = _concat(parts)
    del parts  # the merged tables replace the per-partition ones (halves peak memory)
    pieces = [docs.pop(STREAM_PIECE)]  # a box: merged below, then only the stream is held
    trim_memory()
    tables: dict[str, pd.DataFrame] = {}
    if sink is None:
        tables.update(docs)
    else:
        for name in ("mentions", "readability"):  # no corpus stage reads them
            sink(name, docs.pop(name))
        sink("articles", arts)
        # the corpus stages need the articles' metadata, not their text
        arts = arts.drop(columns=["text"])
        trim_memory()
    mark_stage("corpus")
    tables.update(corpus_tables(arts, docs, params=p, near_duplicates=near, session=session,
                                stream=phrases.merge_streams(docs["sentences"], pieces.pop()), sink=sink))
    if sink is None:
        tables["articles"] = arts
    else:
        for name in list(docs):
            sink(name, docs.pop(name))
    return tables


def _manifest(articles: pd.DataFrame, corpus: Sequence[str], params: Params) -> dict[str, Any]:
    return {
        "corpus": [config.relpath(c) for c in corpus],
        "corpus_fingerprint": corpus_mod.fingerprint(articles),
        "n_articles": int(len(articles)),
        "package_version": __version__,
        "parameters": params.manifest(),
    }


# ----------------------------------------------------------------------------------------------
# The whole run


def run(
    corpus: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    out: str | os.PathLike[str],
    column_map: Mapping[str, str] | None = None,
    params: Params | Mapping[str, Any] | None = None,
    figures: bool = True,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    format: str = "csv",
) -> str:
    """Run every stage on *corpus* and write ``OUT/tables/*.csv``, ``OUT/tables/run.json`` and
    (unless ``figures=False``) ``OUT/figures/*``.  Returns a short text summary.

    *params*: :class:`analysis.params.Params` or a mapping for :meth:`~analysis.params.Params.from_mapping`.
    *workers*: None (default) uses :func:`analysis.engines.auto_workers` (the machine's cores,
    at most one per :data:`analysis.engines.MIN_PER_WORKER` articles); the tables are the same
    for any number.  *format*: ``"csv"`` (default) or ``"parquet"`` for the large tables
    (:data:`analysis.tableio.LARGE_TABLES`; :func:`read_run_tables` reads either).

    The outputs replace those of an earlier run into the same folder: everything is written
    into a temporary folder inside *out* first, then the files the earlier run listed in its
    ``tables/run.json`` (``outputs``) are removed and the new ones moved into place.  Other
    files in *out* (a researcher's own, the ``validate`` command's) are never touched."""
    paths = _paths(corpus)
    p = _params(params)
    if format not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, got {format!r}")
    out_dir = check_out(out)
    mark_stage("load")
    articles, report = corpus_mod.load_corpus(paths, column_map=column_map, progress=progress)
    trim_memory()  # before the workers are forked: the loader's freed buffers are not copied into them
    n_workers = workers if workers is not None else engines.auto_workers(len(articles))
    staging = Path(tempfile.mkdtemp(prefix=".run-", dir=out_dir))
    try:
        tables_dir = staging / "tables"
        with engines.session(workers=n_workers, engine=engine, scheduler=scheduler, progress=progress) as s:
            mark_stage("clean")
            try:
                articles, report, removals = _clean(articles, report, session=s, boilerplate=p.boilerplate)
            except InputError as exc:
                if not str(exc).startswith("no article could be loaded"):
                    raise
                # every record was rejected: the report says why, record by record
                write_tables({"cleaning_report": report}, tables_dir)
                replace_outputs(staging, out_dir)
                reasons = report.groupby("reason").size().sort_values(ascending=False)
                raise InputError(
                    f"no article could be loaded: all {len(report)} records were rejected "
                    f"({', '.join(f'{r}: {n}' for r, n in reasons.head(3).items())}); "
                    f"see {config.relpath(out_dir / 'tables' / 'cleaning_report.csv', os.getcwd())}") from None
            manifest = _manifest(articles, paths, p)
            # Every table is written as soon as it is complete (same bytes as writing them all at
            # the end) and let go, so that the run does not hold all of them at once.
            written: dict[str, int] = {}
            note: list[str] = []

            def sink(name: str, table: pd.DataFrame) -> None:
                write_run_tables({name: table}, tables_dir, format=format)
                written[name] = len(table)
                if name == "articles":
                    note.append(undated_note(table))

            sink("cleaning_report", report)
            sink("removals", removals)
            sink("cleaning_summary", corpus_mod.summary(report, removals))
            n_removals = len(removals)
            del removals
            # The raw fields are in the removals table's provenance (restore() gives them back) and
            # no stage reads them: the rest of the run goes without them (less memory).  The box
            # (a list emptied in the call) leaves analyse() the only holder of the articles.
            box = [articles.drop(columns=[c for c in ("raw_text", "raw_title") if c in articles.columns])]
            del articles
            trim_memory()
            s.release()  # the cleaning workers' memory goes; fresh workers for the next stages
            tables = analyse(box.pop(), params=p, session=s, sink=sink)
        mark_stage("write")
        write_run_tables(tables, tables_dir, format=format)
        del tables
        write_manifest(tables_dir / "run.json", manifest)
        mark_stage("latex")
        paper_tables(read_run_tables(tables_dir, names=PAPER_TABLES), tables_dir / "latex")
        n_fig = 0
        mark_stage("figures" if figures else "end")
        if figures:
            n_fig = len(render_figures(tables_dir, staging / "figures"))
        # the files of this run, so that the next run into this folder replaces exactly them
        replace_outputs(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    n_loaded = int((report["status"] == "loaded").sum())
    n_rejected = int((report["status"] == "rejected").sum())
    return (
        f"{len(report)} records: {n_loaded} loaded, {n_rejected} rejected (see tables/cleaning_report.csv); "
        f"{n_removals} spans removed or replaced; {written['sentences']} sentences; "
        f"wrote {len(TABLES)} tables" + (f" and {n_fig} figure files" if figures else "") + f" to {config.relpath(out_dir, os.getcwd())}"
        + "".join(note)
    )


def undated_note(articles: pd.DataFrame) -> str:
    """The run summary's note on undated articles: which time-based outputs they are left out of
    ("" when every article has a date)."""
    if "period" not in articles.columns or not len(articles):
        return ""
    n = int((articles["period"].astype(str) == schema.MISSING_PERIOD).sum())
    if n == 0:
        return ""
    what = ("articles per month, density, warmth and formulaicity over time, tone heatmap and trends, "
            "keyness by period")
    if n == len(articles):
        return (f"\nnote: no article has a date, so the time-based figures ({what}) are not drawn; give dates "
                "in the input (a date field, or for .txt files a <name>.json sidecar or a YYYY-MM-DD file-name prefix)")
    return f"\nnote: {n} of {len(articles)} articles have no date: period 'undated', left out of {what}"
