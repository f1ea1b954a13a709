"""Strings the stages together for the CLI (``python -m analysis run``) and the notebooks.

Data flow (every table is documented in README.md, "Tables written by run")::

    files -> corpus.load_corpus -> corpus.clean            (articles, cleaning_report, removals)
          -> segment.segment_articles                      (sentences: computed ONCE, reused)
          -> per document: entities, protocol, readability, sentiment, events
          -> per corpus:   phrases, reuse, aggregations (protocol counts, dyad tone)
          -> tables/*.csv, tables/run.json -> figures/* (rendered from the written tables)

Per-document stages run partition-wise (:func:`document_tables`), so that the local
process pool and the dask engine (:mod:`analysis.engines`) produce the same tables
as a single process; corpus-level statistics that a document stage needs (the Punkt
model, outlet home countries) are fitted once beforehand (:func:`fit_context`).
One :class:`analysis.engines.Session` serves a whole :func:`run`: cleaning runs on its
workers in two partitioned passes around the corpus-wide boilerplate counts, the
near-duplicate search runs on a worker beside the per-document partitions, and the
sentence templates run on a worker while this process counts phrases.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__, config
from .errors import InputError

__all__ = [
    "Context",
    "DEFAULTS",
    "TABLES",
    "prepare",
    "PreparedCorpus",
    "prepare_corpus",
    "keyness_contrast",
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
    "render_figures",
    "write_validation",
    "run",
]

#: Parameters of a run (written to tables/run.json and every figure's JSON sidecar).
DEFAULTS: dict[str, Any] = {
    "period": "year",
    "ngram_n": [1, 2, 3, 4, 5, 6],
    "ngram_min_frequency": 3,
    "bundle_n": [3, 4, 5],
    "bundle_min_per_million": 20.0,
    "bundle_min_docs": 5,
    "collocation_window": 5,
    "collocation_min_frequency": 5,
    "collocation_min_docs": 2,
    "keyness_min_frequency": 5,
    "formulaicity_n": [3, 4],
    "formulaicity_min_docs": 3,
    "near_duplicate_k": 5,
    "near_duplicate_threshold": 0.5,
    "template_min_docs": 3,
    "bootstrap_n": 1000,
    "bootstrap_ci": 0.95,
    "seed": config.RANDOM_SEED,
    "tone_model": None,
}

#: Tables written by :func:`run`, in order.
TABLES: tuple[str, ...] = (
    "articles",
    "cleaning_report",
    "removals",
    "cleaning_summary",
    "mentions",
    "protocol_matches",
    "protocol_measures",
    "protocol_counts",
    "readability",
    "ngrams",
    "bundles",
    "collocations",
    "keyness",
    "formulaicity",
    "formulaicity_groups",
    "templates",
    "template_fillers",
    "template_changes",
    "near_duplicates",
    "duplicate_clusters",
    "sentence_tone",
    "article_tone",
    "dyad_tone",
    "dyad_tone_directed",
    "events",
)


#: Columns of the keyness table (one target outlet against all others; empty with a single outlet).
KEYNESS_COLUMNS: tuple[str, ...] = ("target", "feature", "frequency_target", "frequency_reference", "docfreq_target",
                                    "docfreq_reference", "g2", "log_ratio", "p_value")


#: A rough sentence split for corpus-level counts (the adversary inference), before Punkt is trained.
_ROUGH_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")


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
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Load and clean: ``(articles, cleaning_report, removals)``.

    *session* (an :class:`analysis.engines.Session`) cleans partitions on its workers; the
    result is the same without one."""
    from . import corpus as corpus_mod

    articles, report = corpus_mod.load_corpus(_paths(corpus), column_map=column_map)
    if articles.empty:
        raise InputError("no article could be loaded: see the cleaning report (every record was rejected)")
    articles, removals = corpus_mod.clean(articles, session=session)
    return articles, report, removals


def with_period(articles: pd.DataFrame, *, freq: str = DEFAULTS["period"]) -> pd.DataFrame:
    """Transform: *articles* plus ``period`` (:func:`analysis.phrases.period` labels such as "2022",
    "2022-Q1" or "2022-03"; "" when undated)."""
    from . import phrases

    out = articles.copy()
    per = phrases.period(out["date"], freq=freq).astype("string").fillna("")
    out["period"] = per.where(per != "<NA>", "").astype(str).to_numpy()
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
    period: str = DEFAULTS["period"],
) -> PreparedCorpus:
    """Load, clean and segment *corpus* once: articles (with ``period``), report, removals, sentences."""
    from . import segment

    articles, report, removals = prepare(corpus, column_map=column_map)
    articles = with_period(articles, freq=period)
    context = fit_context(articles)
    sentences = segment.segment_articles(articles, splitter=context.splitter)
    return PreparedCorpus(articles=articles, report=report, removals=removals, sentences=sentences)


def keyness_contrast(articles: pd.DataFrame) -> tuple[str, str, str] | None:
    """Which two groups to contrast for keyness: ``(by, target, reference)``.

    The two largest outlets (ties broken by name) when there are at least two; otherwise the
    latest against the earliest period (``period`` column, see :func:`with_period`); None when
    the corpus has neither two outlets nor two dated periods.
    """
    sizes = articles["source"].astype(str).value_counts()
    if len(sizes) >= 2:
        order = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
        return "source", order[0][0], order[1][0]
    if "period" in articles.columns:
        periods = sorted(p for p in articles["period"].astype(str).unique() if p)
        if len(periods) >= 2:
            return "period", periods[-1], periods[0]
    return None


def fit_context(articles: pd.DataFrame, *, tone_model: str | os.PathLike[str] | None = None) -> Context:
    """Fit the corpus-level state: Punkt on the cleaned texts, outlet home countries (the outlets
    file first, inferred from titles for outlets it does not list)."""
    from . import segment, sentiment

    splitter = segment.train_splitter(articles["text"].tolist())
    home: dict[str, str] = {}
    parties: set[str] = set()
    if "source" in articles:
        ids = articles["doc_id"].tolist()
        urls = dict(zip(ids, articles["url"].fillna("").astype(str).tolist() if "url" in articles else [""] * len(ids)))
        sources = dict(zip(ids, articles["source"].fillna("").astype(str).tolist()))
        home = sentiment.outlet_home_countries(
            sources, urls, titles=dict(zip(ids, articles["title"].fillna("").astype(str).tolist())))
        parties = sentiment.outlet_parties(sources, urls)
    adversaries: dict[str, str] = {}
    if home and "source" in articles:
        by_src: dict[str, list[str]] = {}
        for src, text in zip(articles["source"].fillna("").astype(str).tolist(),
                             articles["text"].fillna("").astype(str).tolist()):
            if src in home:
                by_src.setdefault(src, []).extend(_ROUGH_SENTENCE_RE.split(text))
        adversaries = sentiment.infer_adversaries(by_src, home)
    if tone_model is not None:
        from . import tone_model as tm

        tm.load_model(tone_model)  # a bad file fails here, before the per-document work
    return Context(splitter=splitter, home_countries=home,
                   tone_model=os.fspath(tone_model) if tone_model is not None else None, adversaries=adversaries,
                   party_outlets=frozenset(parties))


def document_tables(articles: pd.DataFrame, context: Context) -> dict[str, pd.DataFrame]:
    """Per-document stages on a partition of cleaned articles (results depend on no other partition)."""
    from . import entities, events, phrases, protocol, readability, segment, sentiment, tone_model

    sents = segment.segment_articles(articles, splitter=context.splitter)
    mentions = entities.mentions(sents)
    matches = protocol.match(sents)
    measures = protocol.article_measures(sents, matches)
    # Outlet home countries come from the whole corpus (context), not from this partition's
    # titles, so that tone does not depend on the partitioning.
    model = tone_model.cached_model(context.tone_model) if context.tone_model else None
    tone = sentiment.sentence_tone(articles, sents, mentions=mentions, source_countries=context.home_countries,
                                   protocol_matches=matches, model=model, adversaries=context.adversaries,
                                   party_outlets=context.party_outlets)
    # Tokens and their offsets are used only by the stages above: the corpus-level phrase
    # measures read the integer-coded word stream (a piece per partition, merged with
    # phrases.merge_streams) and the templates re-tokenize the sentence text, so the merged
    # sentences table holds no per-token Python objects (about 130 bytes per token otherwise).
    return {
        STREAM_PIECE: phrases.stream_piece(sents),  # type: ignore[dict-item]
        "sentences": sents.drop(columns=["tokens", "spans"]),
        "mentions": mentions,
        "protocol_matches": matches,
        "protocol_measures": measures,
        "readability": readability.readability(articles, sents),
        "sentence_tone": tone,
        "events": events.events(articles, sents),
    }


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


def near_duplicate_pairs(articles: pd.DataFrame, *, params: Mapping[str, Any] = DEFAULTS) -> pd.DataFrame:
    """The near-duplicate pairs of *articles* (``doc_id``, ``text``) with the run's parameters
    (:func:`analysis.reuse.near_duplicates`)."""
    from . import reuse

    p = {**DEFAULTS, **params}
    return reuse.near_duplicates(articles, k=p["near_duplicate_k"], threshold=p["near_duplicate_threshold"])


def template_tables(sentences: pd.DataFrame, articles: pd.DataFrame, *,
                    params: Mapping[str, Any] = DEFAULTS) -> dict[str, pd.DataFrame]:
    """The three template tables with the run's parameters (:func:`analysis.reuse.template_tables`).

    *sentences* without ``tokens`` are tokenized here (:func:`analysis.segment.token_tuples`,
    the tokens of the per-document stages without their offsets), so that a worker can be sent
    the text only."""
    from . import reuse, segment

    p = {**DEFAULTS, **params}
    if "tokens" not in sentences.columns:
        sentences = sentences.assign(tokens=segment.token_tuples(sentences["text"].tolist()))
    return reuse.template_tables(sentences, articles, freq=p["period"], min_docs=p["template_min_docs"])


def corpus_tables(
    articles: pd.DataFrame,
    docs: Mapping[str, pd.DataFrame],
    *,
    params: Mapping[str, Any] = DEFAULTS,
    near_duplicates: pd.DataFrame | None = None,
    session: Any = None,
    stream: Any = None,
) -> dict[str, pd.DataFrame]:
    """Corpus-level measures from the articles and the (merged) per-document tables.

    *near_duplicates*: the table of :func:`near_duplicate_pairs` when it was computed
    beforehand (e.g. on a worker beside the per-document stages); computed here otherwise.
    *session*: an :class:`analysis.engines.Session` whose worker computes the sentence
    templates while this process counts phrases (same tables without one).  *stream*: the
    sentences' :class:`analysis.phrases.WordStream` (default: built from their ``tokens``)."""
    from . import phrases, protocol, reuse, sentiment

    p = {**DEFAULTS, **params}
    sents = docs["sentences"]
    meta = articles[["doc_id", "source", "period"]]
    out: dict[str, pd.DataFrame] = {}
    ws = stream if stream is not None else phrases.word_stream(sents)
    # Templates need only the sentences' ids and text (tokens): on a worker when there is one,
    # which is sent the text and tokenizes it again (less to send than the token tuples).
    tpl = None  # in this process: computed after the phrase measures (lower peak memory)
    if session is not None and session.workers > 1:
        tpl = session.submit(template_tables, sents[["doc_id", "sentence_id", "text"]],
                             articles[[c for c in ("doc_id", "date") if c in articles.columns]], params=p)

    # Protocol: category counts overall, per source and per period; article measures with metadata.
    counts = []
    for by in (None, "source", "period"):
        c = protocol.category_counts(docs["protocol_matches"], by=by, articles=articles, sentences=sents)
        c.insert(0, "by", by or "all")
        counts.append(c)
    out["protocol_counts"] = pd.concat(counts, ignore_index=True)
    out["protocol_measures"] = meta.merge(docs["protocol_measures"], on="doc_id", how="right")

    # Recurring phrases.
    out["ngrams"] = phrases.ngrams(ws, n=tuple(p["ngram_n"]), min_frequency=p["ngram_min_frequency"])
    out["bundles"] = phrases.bundles(
        ws, n=tuple(p["bundle_n"]), min_per_million=p["bundle_min_per_million"], min_docs=p["bundle_min_docs"]
    )
    out["collocations"] = phrases.collocations(
        ws, window=p["collocation_window"], min_frequency=p["collocation_min_frequency"],
        min_docs=p["collocation_min_docs"],
    )
    key = []
    for src in sorted(articles["source"].dropna().unique().tolist()):
        if (articles["source"] != src).any():
            k = phrases.keyness(ws, articles, by="source", target=src, min_frequency=p["keyness_min_frequency"])
            k.insert(0, "target", src)
            key.append(k)
    out["keyness"] = pd.concat(key, ignore_index=True) if key else pd.DataFrame(columns=KEYNESS_COLUMNS)
    form = phrases.formulaicity(ws, n=tuple(p["formulaicity_n"]), min_docs=p["formulaicity_min_docs"])
    out["formulaicity"] = meta.merge(form, on="doc_id", how="right")
    groups = []
    for by in ("source", "period"):
        g = phrases.formulaicity(
            ws, n=tuple(p["formulaicity_n"]), min_docs=p["formulaicity_min_docs"], articles=articles, by=by
        )
        g.insert(0, "by", by)
        groups.append(g)
    out["formulaicity_groups"] = pd.concat(groups, ignore_index=True)

    # Reuse.
    tpl_tables = tpl.result() if tpl is not None else template_tables(sents, articles, params=p)
    for name in ("templates", "template_fillers", "template_changes"):
        out[name] = tpl_tables[name]
    nd = near_duplicates if near_duplicates is not None else near_duplicate_pairs(articles, params=p)
    out["near_duplicates"] = nd
    out["duplicate_clusters"] = reuse.duplicate_clusters(nd)

    # Tone toward bilateral ties.
    tone = docs["sentence_tone"]
    out["article_tone"] = sentiment.article_tone(tone)
    for name, directed in (("dyad_tone", False), ("dyad_tone_directed", True)):
        out[name] = sentiment.dyad_tone(
            tone, articles, period=p["period"], n_boot=p["bootstrap_n"], ci=p["bootstrap_ci"], seed=p["seed"],
            directed=directed,
        )
    return out


def analyse(
    articles: pd.DataFrame,
    *,
    params: Mapping[str, Any] = DEFAULTS,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    session: Any = None,
) -> dict[str, pd.DataFrame]:
    """Every measure on cleaned *articles*: per-document stages (partitioned) then corpus stages.

    The near-duplicate search needs only the cleaned texts, so it runs on a worker beside the
    per-document partitions.  *session* (an open :class:`analysis.engines.Session`) replaces
    *workers*, *engine*, *scheduler* and *progress*.

    The returned ``sentences`` table has neither ``tokens`` nor their ``spans`` (those are used
    inside the per-document stages; the phrase measures read an integer-coded word stream
    instead); :func:`prepare_corpus` gives a table with them.
    """
    from . import engines, phrases

    if session is None:
        with engines.session(workers=workers, engine=engine, scheduler=scheduler, progress=progress) as s:
            return analyse(articles, params=params, session=s)
    p = {**DEFAULTS, **params}
    arts = with_period(articles, freq=p["period"])
    # the near-duplicate search needs only the cleaned texts: it starts before the fit
    nd = session.submit(near_duplicate_pairs, arts[["doc_id", "text"]], params=p)
    context = fit_context(arts, tone_model=p.get("tone_model"))
    parts = session.map(document_tables, session.partitions(arts), context)
    docs = _concat(parts)
    del parts  # the merged tables replace the per-partition ones (halves peak memory)
    stream = phrases.merge_streams(docs["sentences"], docs.pop(STREAM_PIECE))
    tables = dict(docs)
    tables.update(corpus_tables(arts, docs, params=p, near_duplicates=nd.result(), session=session,
                                stream=stream))
    tables["articles"] = arts
    return tables


# ----------------------------------------------------------------------------------------------
# Writing and reading tables

_ARTICLE_COLUMNS = ["doc_id", "title", "date", "period", "source", "url", "text"]


def _for_csv(name: str, df: pd.DataFrame) -> pd.DataFrame:
    if name == "articles":
        df = df[[c for c in _ARTICLE_COLUMNS if c in df.columns]]
    df = df.drop(columns=[c for c in ("tokens", "spans") if c in df.columns])
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].map(lambda t: "" if pd.isna(t) else pd.Timestamp(t).isoformat())
    return out


def _unused_char(frame: pd.DataFrame) -> str:
    """A noncharacter absent from every text cell of *frame* (a placeholder while writing)."""
    cells = [v for c in frame.columns for v in frame[c].tolist() if isinstance(v, str)]
    for code in range(0xFDD0, 0xFDF0):
        ch = chr(code)
        if not any(ch in v for v in cells):
            return ch
    raise InputError("every noncharacter U+FDD0-U+FDEF occurs in the tables: cannot write them safely")


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write every table of :data:`TABLES` present in *tables* as ``<name>.csv`` (UTF-8, "\\n").

    Every cell reads back exactly with :func:`read_tables`: a text cell holding a lone ``"\\r"``
    (which the csv module leaves unquoted when the line terminator is ``"\\n"``) is quoted."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        if name not in tables:
            continue
        path = d / f"{name}.csv"
        df = _for_csv(name, tables[name])
        cr = [c for c in df.columns if df[c].dtype == object and df[c].map(lambda v: isinstance(v, str) and "\r" in v).any()]
        if not cr:
            df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        else:  # "\r" -> "\n" + placeholder forces quoting; the placeholder is turned back into "\r" after
            mark = _unused_char(df)
            df = df.copy()
            for c in cr:
                df[c] = df[c].map(lambda v: v.replace("\r", "\n" + mark) if isinstance(v, str) else v)
            text = df.to_csv(None, index=False, lineterminator="\n", float_format="%.10g")
            path.write_text(text.replace("\n" + mark, "\r"), encoding="utf-8", newline="")
        written.append(path)
    return written


#: Text columns read as str with "" kept as "" (not NaN), so the cleaning provenance round-trips.
_TEXT_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "articles": ("doc_id", "title", "source", "url", "text"),
    "removals": ("doc_id", "field", "text", "reason", "replacement"),
    "cleaning_report": ("input", "record", "doc_id", "status", "reason", "note"),
}
_ID_COLUMNS: tuple[str, ...] = ("period", "doc_id", "doc_id_a", "doc_id_b")


def read_tables(tables_dir: str | os.PathLike[str], *, names: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read a run's tables back (strings stay strings; ``date`` columns become UTC timestamps).

    The text columns of ``articles``, ``removals`` and ``cleaning_report`` keep an empty cell
    as ``""`` (an empty ``replacement`` is a removal, not a missing value), so
    ``corpus.restore`` rebuilds every raw field from ``articles.csv`` and ``removals.csv``
    alone; in other tables an empty cell is missing (NaN).

    *names*: only these tables (default: every table of :data:`TABLES` that exists)."""
    d = Path(tables_dir)
    if not d.is_dir():
        raise InputError(f"tables folder not found: {d}")
    out: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        if names is not None and name not in names:
            continue
        path = d / f"{name}.csv"
        if not path.exists():
            continue
        try:
            header = list(pd.read_csv(path, nrows=0).columns)
            text = [c for c in header if c in _TEXT_COLUMNS.get(name, ())]
            df = pd.read_csv(path, keep_default_na=False, na_values={c: [""] for c in header if c not in text},
                             dtype={c: str for c in header if c in text or c in _ID_COLUMNS})
        except pd.errors.EmptyDataError:  # a table with neither rows nor columns
            df = pd.DataFrame()
        for col in ("date", "first_date", "last_date"):
            if col in df.columns:
                df[col] = pd.to_datetime(df[col], utc=True, errors="coerce", format="ISO8601")
        out[name] = df
    return out


def _manifest(articles: pd.DataFrame, corpus: Sequence[str], params: Mapping[str, Any]) -> dict[str, Any]:
    from . import corpus as corpus_mod

    return {
        "corpus": [config.relpath(c) for c in corpus],
        "corpus_fingerprint": corpus_mod.fingerprint(articles),
        "n_articles": int(len(articles)),
        "package_version": __version__,
        "parameters": dict(params),
    }


#: The tables :func:`paper_tables` exports.
PAPER_TABLES: tuple[str, ...] = ("protocol_counts", "bundles", "dyad_tone")


def paper_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Export the headline result tables for papers (LaTeX booktabs + rounded CSV) into *out_dir*."""
    from . import tables as tables_mod

    written: list[Path] = []
    if "protocol_counts" in tables:
        pc = tables["protocol_counts"]
        pc = pc[pc["by"] == "all"][["category", "frequency", "docfreq", "per_1000"]]
        written += tables_mod.export_table(
            pc, "protocol_categories", out_dir=out_dir,
            columns={"category": "Category", "frequency": "Matches", "docfreq": "Articles",
                     "per_1000": "Per 1,000 words"},
            digits={"per_1000": 2}, caption="Protocol formulas by category.", label="tab:protocol-categories")
    if "bundles" in tables:
        b = tables["bundles"].sort_values(["frequency", "feature"], ascending=[False, True], kind="mergesort")
        written += tables_mod.export_table(
            b.head(20)[["feature", "n", "frequency", "docfreq", "per_million"]], "top_bundles", out_dir=out_dir,
            columns={"feature": "Bundle", "n": "Words", "frequency": "Frequency", "docfreq": "Range (articles)",
                     "per_million": "Per million words"},
            digits={"per_million": 1}, caption="Most frequent lexical bundles.", label="tab:bundles")
    if "dyad_tone" in tables:
        dt = tables["dyad_tone"]
        written += tables_mod.export_table(
            dt[["dyad", "period", "n_sentences", "n_articles", "tone_mean", "ci_low", "ci_high", "baseline_delta"]],
            "dyad_tone", out_dir=out_dir,
            columns={"dyad": "Pair", "period": "Period", "n_sentences": "Sentences", "n_articles": "Articles",
                     "tone_mean": "Mean tone", "ci_low": "95% CI low", "ci_high": "95% CI high",
                     "baseline_delta": "Change vs pair baseline"},
            digits=2, caption="Tone toward bilateral ties by pair and period (cluster bootstrap by article).",
            label="tab:dyad-tone")
    return sorted(written)


# ----------------------------------------------------------------------------------------------
# Figures


#: The tables the charts of :func:`render_figures` are drawn from.
FIGURE_TABLES: tuple[str, ...] = ("articles", "cleaning_summary", "protocol_counts", "protocol_measures",
                                  "readability", "bundles", "keyness", "formulaicity_groups", "dyad_tone", "events")


def _figure_specs(t: Mapping[str, pd.DataFrame]) -> list[tuple[str, Callable[[], Any]]]:
    """(name, figure factory) for every chart the tables support (charts of empty tables are skipped)."""
    from . import plots

    specs: list[tuple[str, Callable[[], Any]]] = []

    def add(name: str, data: pd.DataFrame | None, make: Callable[[pd.DataFrame], Any]) -> None:
        if data is not None and not data.empty:
            specs.append((name, lambda d=data: make(d)))

    arts = t.get("articles")
    if arts is not None:
        add("articles_per_month", arts[["doc_id", "date", "source"]].dropna(subset=["date"]).reset_index(drop=True),
            lambda d: plots.articles_per_month(d))
    if "cleaning_summary" in t:
        rem = t["cleaning_summary"]
        add("removals_by_reason", rem[rem["table"] == "removals"].reset_index(drop=True),
            lambda d: plots.removals_by_reason(d))
    if "protocol_counts" in t:
        pc = t["protocol_counts"]
        add("protocol_profile", pc[pc["by"] == "all"].reset_index(drop=True), lambda d: plots.protocol_profile(d))
    if "protocol_measures" in t:
        pm = t["protocol_measures"]
        dated = pm[pm["period"].notna() & (pm["period"].astype(str) != "")]
        if not dated.empty:
            agg = (dated.groupby(["period", "source"], sort=True)[["density_per_1000", "warmth_index"]]
                   .mean().reset_index().rename(columns={"source": "group"}))
            add("protocol_density_over_time", agg[["period", "group", "density_per_1000"]],
                lambda d: plots.density_over_time(d, group="group"))
            add("protocol_warmth_over_time", agg[["period", "group", "warmth_index"]],
                lambda d: plots.density_over_time(d, value="warmth_index", group="group",
                                                  ylabel="Warmth index (mean warmth per match)"))
        if "readability" in t:
            rd = pm[["doc_id", "source", "density_per_1000"]].merge(
                t["readability"][["doc_id", "flesch_reading_ease"]], on="doc_id")
            add("readability_vs_density", rd, lambda d: plots.readability_vs_density(d, group="source"))
    if "bundles" in t:
        add("top_bundles", t["bundles"], lambda d: plots.top_bundles(d, top=20))
    if "keyness" in t and not t["keyness"].empty:
        kt = t["keyness"]
        first = sorted(kt["target"].astype(str).unique())[0]
        add("keyness_" + _slug(first), kt[kt["target"] == first].drop(columns="target").reset_index(drop=True),
            lambda d, f=first: plots.keyness_chart(d, top=15, target_label=f, reference_label="other outlets"))
    if "formulaicity_groups" in t:
        fg = t["formulaicity_groups"]
        per = fg[(fg["by"] == "period") & fg["group"].notna()].rename(columns={"group": "period"})
        add("formulaicity_over_time", per[["period", "formulaicity"]].reset_index(drop=True),
            lambda d: plots.formulaicity_over_time(d))
    if "dyad_tone" in t:
        dt = t["dyad_tone"]
        dt = dt[dt["period"].notna() & ~dt["period"].astype(str).isin(["", "undated"])]
        top = (dt.groupby("dyad")["n_sentences"].sum().sort_values(ascending=False, kind="mergesort")
               .head(8).index.tolist())
        sel = dt[dt["dyad"].isin(top)].reset_index(drop=True)
        add("tone_heatmap", sel, lambda d: plots.tone_heatmap(d))
        top4 = top[:4]
        add("tone_trends", sel[sel["dyad"].isin(top4)].reset_index(drop=True),
            lambda d: plots.tone_trends(d))
    if "events" in t:
        ev = t["events"]
        add("event_counts", ev[ev["dyad"].notna() & (ev["dyad"].astype(str) != "")].reset_index(drop=True),
            lambda d: plots.event_counts(d, top=10))
    return specs


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def render_figures(
    tables_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    only: Sequence[str] | None = None,
) -> list[Path]:
    """Render every chart from a run's tables into *out_dir* (PDF, SVG, PNG + CSV/JSON sidecars).

    Figures are rendered from the tables as written (read back from CSV), so the
    CLI and the "figures for the paper" notebook produce byte-identical files.
    """
    from . import plots

    manifest_path = Path(tables_dir) / "run.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    tables = read_tables(tables_dir, names=FIGURE_TABLES)
    written: list[Path] = []
    with plots.style_context("nature_single"):
        for name, make in _figure_specs(tables):
            if only is not None and name not in only:
                continue
            fig = make()
            # The CSV sidecar holds exactly what the chart drew (after top-N selection and sorting).
            written += plots.save_figure(
                fig, name, out_dir=out_dir, data=plots.plotted_data(fig), params=manifest.get("parameters", {}),
                corpus_fingerprint=manifest.get("corpus_fingerprint", ""),
            )
    return sorted(written)


def write_validation(result: Any, out: str | os.PathLike[str]) -> list[Path]:
    """Write a :class:`analysis.validate.ValidationResult` for papers: ``OUT/tables/validation_metrics.csv``
    (leave-one-outlet-out, per outlet and pooled, with 95% CIs), ``validation_confusion.csv`` (counts only:
    no gold text is written), and as figures in ``OUT/figures/`` the tone confusion matrices (this
    package and plain VADER) and tone macro-F1 by held-out outlet."""
    from . import plots

    out_dir = Path(out)
    tables_dir, figures_dir = out_dir / "tables", out_dir / "figures"
    tables_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in (("validation_metrics", result.metrics), ("validation_confusion", result.confusion)):
        path = tables_dir / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        written.append(path)
    cm = result.confusion
    params = {"scheme": "leave-one-outlet-out", "bootstrap": result.n_boot, "seed": result.seed,
              "gold": Path(result.gold).name}
    with plots.style_context("nature_single"):
        for model, title in (("ours", "This package (leave-one-outlet-out)"), ("vader", "Plain VADER")):
            sel = cm[(cm["task"] == "tone") & (cm["model"] == model)][["gold", "predicted", "n"]]
            fig = plots.confusion_matrix(sel.reset_index(drop=True), title=title)
            written += plots.save_figure(fig, f"validation_confusion_tone_{model}", out_dir=figures_dir,
                                         data=plots.plotted_data(fig), params=params,
                                         corpus_fingerprint=result.gold_fingerprint)
        fig = plots.validation_by_outlet(result.metrics, metric="tone_macro_f1")
        written += plots.save_figure(fig, "validation_tone_by_outlet", out_dir=figures_dir,
                                     data=plots.plotted_data(fig), params=params,
                                     corpus_fingerprint=result.gold_fingerprint)
    return sorted(written)


# ----------------------------------------------------------------------------------------------
# The whole run


def check_out(out: str | os.PathLike[str]) -> Path:
    """The output folder, checked before any work: created if missing; an existing file, or a
    folder that cannot be written to, is an :class:`~analysis.errors.InputError` naming it."""
    d = Path(out)
    if d.exists() and not d.is_dir():
        raise InputError(f"--out {config.relpath(d, os.getcwd())} is a file, not a folder")
    try:
        d.mkdir(parents=True, exist_ok=True)
        probe = d / ".write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"--out {config.relpath(d, os.getcwd())} cannot be written to ({exc.strerror or exc})") from None
    return d


def run(
    corpus: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    out: str | os.PathLike[str],
    column_map: Mapping[str, str] | None = None,
    params: Mapping[str, Any] | None = None,
    figures: bool = True,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
) -> str:
    """Run every stage on *corpus* and write ``OUT/tables/*.csv``, ``OUT/tables/run.json`` and
    (unless ``figures=False``) ``OUT/figures/*``.  Returns a short text summary."""
    from . import corpus as corpus_mod

    paths = _paths(corpus)
    p = {**DEFAULTS, **(params or {})}
    from . import engines

    out_dir = check_out(out)
    with engines.session(workers=workers, engine=engine, scheduler=scheduler, progress=progress) as s:
        try:
            articles, report, removals = prepare(paths, column_map=column_map, session=s)
        except InputError as exc:
            if not str(exc).startswith("no article could be loaded"):
                raise
            # every record was rejected: the report says why, record by record
            _, report = corpus_mod.load_corpus(paths, column_map=column_map)
            write_tables({"cleaning_report": report}, out_dir / "tables")
            reasons = report.groupby("reason").size().sort_values(ascending=False)
            raise InputError(
                f"no article could be loaded: all {len(report)} records were rejected "
                f"({', '.join(f'{r}: {n}' for r, n in reasons.head(3).items())}); "
                f"see {config.relpath(out_dir / 'tables' / 'cleaning_report.csv', os.getcwd())}") from None
        manifest = _manifest(articles, paths, p)
        # The raw fields are in the removals table's provenance (restore() gives them back) and
        # no stage reads them: the rest of the run goes without them (less memory).
        articles = articles.drop(columns=[c for c in ("raw_text", "raw_title") if c in articles.columns])
        tables = analyse(articles, params=p, session=s)
        del articles
    tables["cleaning_report"] = report
    tables["removals"] = removals
    tables["cleaning_summary"] = corpus_mod.summary(report, removals)
    tables_dir = out_dir / "tables"
    write_tables(tables, tables_dir)
    (tables_dir / "run.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    paper_tables(read_tables(tables_dir, names=PAPER_TABLES), tables_dir / "latex")
    n_fig = 0
    if figures:
        n_fig = len(render_figures(tables_dir, out_dir / "figures"))
    n_loaded = int((report["status"] == "loaded").sum())
    n_rejected = int((report["status"] == "rejected").sum())
    return (
        f"{len(report)} records: {n_loaded} loaded, {n_rejected} rejected (see tables/cleaning_report.csv); "
        f"{len(removals)} spans removed or replaced; {len(tables['sentences'])} sentences; "
        f"wrote {len(TABLES)} tables" + (f" and {n_fig} figure files" if figures else "") + f" to {config.relpath(out_dir, os.getcwd())}"
    )
