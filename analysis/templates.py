"""Sentence templates: sentences whose token sequences coincide once name-like spans are slots.

Sentences whose token sequences become identical after replacing name-like spans with
slots.  A token is *slot-like* when it contains a digit, or when it starts with an
upper-case letter and its :func:`~analysis.segment.norm_token` form is neither a stopword
(so sentence-initial "The", "On" stay) nor one of the office/title words in
:data:`TEMPLATE_KEEP_WORDS` (President, Minister, Governor, ...).  Each maximal run of
slot-like tokens (including the period after a single-letter initial, "Joseph R. Biden")
becomes one slot, written ``[1]``, ``[2]``, ... in order; the possessive "'s" after a name
stays a fixed token ("[1] 's visit").  A template must keep at least
``min_fixed_words`` fixed word tokens and occur in at least ``min_docs`` documents.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.lexicon import load_stopwords
from analysis.schema import MISSING_PERIOD, period
from analysis.segment import is_word, norm_token, token_strings

__all__ = [
    "TEMPLATE_KEEP_WORDS",
    "templates",
    "template_fillers",
    "template_changes",
    "template_tables",
]


#: Capitalised words that stay fixed in templates (offices, titles, institutions' generic
#: words, days and months are *not* here: dates are fillers).
TEMPLATE_KEEP_WORDS: frozenset[str] = frozenset(
    """president vice prime minister ministers deputy foreign affairs secretary general
    secretary-general state chancellor king queen emir crown prince sultan sheikh governor
    ambassador ambassadors chairman chairwoman chair speaker head office administration
    adviser advisor national security council spokesperson spokesman envoy special
    representative his her majesty highness excellency mr mrs ms dr leader leaders
    republic federation kingdom government parliament""".split()
)


def _stopwords() -> frozenset[str]:
    """The bundled stopword list ``analysis/data/stopwords.txt`` (validated by the shared loader)."""
    return load_stopwords()


def _slot_like(token: str, keep: Collection[str]) -> bool:
    if any(ch.isdigit() for ch in token):
        return True
    return token[:1].isupper() and norm_token(token) not in keep


_NAME_ABBREVIATIONS = frozenset({"Jr", "Sr"})


def _token_starts(text: str, tokens: Sequence[str]) -> list[int] | None:
    """Start offset of every token in *text*, or None when the tokens are not cut from it in order.

    The tokenizer (:func:`analysis.segment.tokenize`) leaves only whitespace between tokens and
    every token begins with a non-space character, so the next occurrence of a token at or after
    the previous token's end is where it was cut.
    """
    pos = 0
    out = []
    find = text.find
    for t in tokens:
        i = find(t, pos)
        if i < 0 or (i > pos and not text[pos:i].isspace()):
            return None
        out.append(i)
        pos = i + len(t)
    return out


def _templatize(
    tokens: tuple[str, ...],
    keep: Collection[str],
    lower_vocab: Collection[str],
    surface: list[str] | None = None,
    cache: dict[str, tuple[bool, bool]] | None = None,
    *,
    text: str | None = None,
) -> tuple[str, list[str], int]:
    """(template string, fillers, fixed word count) of one sentence's tokens.

    *surface* gives, per token, the text from the token's start to the next token's start
    (so fillers keep their original spacing); or *text*, the sentence the tokens were cut from
    (token positions are then found in it, only for sentences that have a filler); default:
    tokens joined by spaces.  *cache* maps a token to its ``(slot-like, is_word)`` flags
    (filled as tokens are met; pass one dict for a whole table, with the same *keep*).
    """
    if cache is None:
        cache = {}
    out: list[str] = []
    fillers: list[str] = []
    cur: list[int] = []
    fixed_words = 0
    starts: list[int] | None = None

    def close() -> None:
        nonlocal starts
        if cur:
            if surface is not None:
                txt = "".join(surface[i] for i in cur[:-1]) + tokens[cur[-1]]
                fillers.append(" ".join(txt.split()))
            elif text is not None and (starts is not None or (starts := _token_starts(text, tokens)) is not None):
                # slot tokens are contiguous: the filler is the text from the first one's start
                # to the last one's end, whitespace collapsed
                a, z = starts[cur[0]], starts[cur[-1]] + len(tokens[cur[-1]])
                fillers.append(" ".join(text[a:z].split()))
            else:
                fillers.append(" ".join(tokens[i] for i in cur))
            out.append(f"[{len(fillers)}]")
            cur.clear()

    for i, t in enumerate(tokens):
        flags = cache.get(t)
        if flags is None:
            flags = cache[t] = (_slot_like(t, keep), is_word(t))
        slot, word = flags
        if i == 0 and slot and t[:1].isupper() and norm_token(t) in lower_vocab:
            slot = False  # sentence-initial ordinary word ("Glory", "Thank"), seen in lower case
        if slot or (t == "." and cur and (len(tokens[cur[-1]]) == 1 or tokens[cur[-1]] in _NAME_ABBREVIATIONS)
                    and tokens[cur[-1]][:1].isupper()):
            # the period of an initial or of Jr./Sr. ("Joseph R. Biden, Jr.") stays in the slot
            cur.append(i)
            continue
        if cur:
            close()
        out.append(t)
        if word:
            fixed_words += 1
    close()
    return " ".join(out), fillers, fixed_words


def _token_lists(texts: Sequence[str]) -> Iterator[list[str]]:
    """The tokens of every text (:func:`analysis.segment.token_strings`: the values of
    :func:`analysis.segment.token_tuples` without interning them, as each list is let go once
    its sentence is templatised), one text at a time."""
    return map(token_strings, texts)


def _occurrences(
    sentences: pd.DataFrame,
    articles: pd.DataFrame | None,
    *,
    min_docs: int,
    min_fixed_words: int,
    keep_words: Collection[str] | None,
) -> pd.DataFrame:
    """One row per sentence that instantiates a kept template, with its fillers and date.

    Without a ``tokens`` column the sentences' ``text`` is tokenized here
    (:func:`analysis.segment.token_strings`), each distinct text once per pass, so that the
    tokens of the whole table are never held at once."""
    for c in ("doc_id", "tokens"):
        if c not in sentences.columns and not (c == "tokens" and "text" in sentences.columns):
            raise InputError(f"sentences table lacks column {c} (use analysis.segment.segment_articles)")
    keep = frozenset(norm_token(w) for w in (keep_words if keep_words is not None else TEMPLATE_KEEP_WORDS))
    keep = keep | _stopwords()
    sid = sentences["sentence_id"] if "sentence_id" in sentences.columns else pd.Series(range(len(sentences)))
    has_text = "text" in sentences.columns
    text = sentences["text"] if has_text else sentences["tokens"].map(" ".join)
    texts = text.tolist()
    token_lists = sentences["tokens"].tolist() if "tokens" in sentences.columns else None
    # words seen in lower case after the first token of a sentence: a capitalised
    # sentence-initial token of such a word is an ordinary word, not a name
    seen: set[str] = set()
    # (a repeated sentence adds no word: each distinct text is tokenized once here)
    for toks in (token_lists if token_lists is not None else _token_lists(list(dict.fromkeys(texts)))):
        seen.update(tuple(toks)[1:])
    lower_vocab = {norm_token(t) for t in seen if t[:1].islower() and is_word(t)}
    # Pass over all sentences keeping only compact codes (template number, document number);
    # fillers and text are materialised for the sentences of kept templates only.
    cache: dict[str, tuple[bool, bool]] = {}
    tpl_id: dict[str, int] = {}
    doc_ids = sentences["doc_id"].tolist()
    doc_code = pd.factorize(pd.Series(doc_ids, dtype=object), use_na_sentinel=False)[0]
    cand_row: list[int] = []
    cand_tpl: list[int] = []
    cand_fillers: list[tuple[str, ...]] = []
    # Without a tokens column a sentence's template, fillers and fixed-word count depend on its
    # text only: a repeated text (boilerplate, a formula every readout repeats) is tokenized and
    # templatised once.  Memory: one entry per distinct sentence text.
    memo: dict[str, tuple[int, tuple[str, ...]] | None] | None = {} if token_lists is None else None
    for i, txt in enumerate(texts):
        got = memo.get(txt, False) if memo is not None else False
        if got is False:
            toks = token_strings(txt) if token_lists is None else token_lists[i]
            tpl, fillers, fixed = _templatize(tuple(toks), keep, lower_vocab, cache=cache,
                                              text=txt if has_text and isinstance(txt, str) else None)
            got = ((tpl_id.setdefault(tpl, len(tpl_id)), tuple(fillers))
                   if fillers and fixed >= min_fixed_words else None)
            if memo is not None:
                memo[txt] = got
        if got is not None:
            cand_row.append(i)
            cand_tpl.append(got[0])
            cand_fillers.append(got[1])
    rows_a = np.asarray(cand_row, dtype=np.int64)
    tpl_a = np.asarray(cand_tpl, dtype=np.int64)
    # documents per template (distinct document numbers)
    if len(tpl_a):
        pairs = np.unique(tpl_a * (int(doc_code.max()) + 1) + doc_code[rows_a])
        ndocs = np.bincount(pairs // (int(doc_code.max()) + 1), minlength=len(tpl_id))
    else:
        ndocs = np.zeros(len(tpl_id), dtype=np.int64)
    kept = np.flatnonzero(ndocs[tpl_a] >= min_docs) if len(tpl_a) else np.zeros(0, dtype=np.int64)
    tpl_str = list(tpl_id)
    sids = sid.tolist()
    occ = pd.DataFrame({
        "doc_id": [doc_ids[cand_row[k]] for k in kept.tolist()],
        "sentence_id": np.asarray([int(sids[cand_row[k]]) for k in kept.tolist()], dtype=np.int64),
        "text": [texts[cand_row[k]] for k in kept.tolist()],
        "template": [tpl_str[cand_tpl[k]] for k in kept.tolist()],
        "fillers": [cand_fillers[k] for k in kept.tolist()],
    }, columns=["doc_id", "sentence_id", "text", "template", "fillers"])
    del cand_row, cand_tpl, cand_fillers, tpl_id
    if articles is not None and "date" in articles.columns:
        dates = pd.to_datetime(articles["date"], utc=True, errors="coerce")
        occ["date"] = occ["doc_id"].map(dict(zip(articles["doc_id"].tolist(), dates.tolist())))
        occ["date"] = pd.to_datetime(occ["date"], utc=True)
    else:
        occ["date"] = pd.Series(pd.NaT, index=occ.index, dtype="datetime64[ns, UTC]")
    # template ids: by n_docs desc, n_sentences desc, template
    stats = occ.groupby("template").agg(n_docs=("doc_id", "nunique"), n_sentences=("doc_id", "size")).reset_index()
    stats = stats.sort_values(["n_docs", "n_sentences", "template"], ascending=[False, False, True], kind="mergesort")
    tid = {t: i for i, t in enumerate(stats["template"].tolist())}
    occ["template_id"] = occ["template"].map(tid).astype("int64")
    occ["doc_key"] = occ["doc_id"].map(str)
    occ = occ.sort_values(["template_id", "date", "doc_key", "sentence_id"], kind="mergesort", na_position="last")
    return occ.reset_index(drop=True)


def templates(
    sentences: pd.DataFrame,
    *,
    articles: pd.DataFrame | None = None,
    min_docs: int = 3,
    min_fixed_words: int = 3,
    keep_words: Collection[str] | None = None,
) -> pd.DataFrame:
    """Measure: recurring sentence templates with slots for names, numbers and dates.

    See the module docstring for the slot rule.  Deterministic: no clustering beyond
    exact identity of the slotted token sequences.

    Parameters
    ----------
    sentences
        The sentences table (``doc_id, sentence_id, text, tokens``).
    articles
        Optional articles table with ``doc_id`` and ``date`` (for first/last dates).
    min_docs
        Minimum number of documents a template occurs in (default 3).
    min_fixed_words
        Minimum fixed (non-slot) word tokens in a template (default 3), so that
        "[1] ." or "[1] said ." are not templates.
    keep_words
        Capitalised words that stay fixed (default :data:`TEMPLATE_KEEP_WORDS`);
        the bundled stopwords are always kept fixed.

    Returns
    -------
    pandas.DataFrame
        ``template_id`` (0 = most widespread), ``template`` (tokens joined by spaces, slots
        ``[1]``, ``[2]``, ...), ``n_slots``, ``n_docs``, ``n_sentences``, ``first_date``,
        ``last_date`` (UTC, NaT without dates), ``example`` (text of the earliest sentence:
        by date, then doc_id, then sentence_id).  Sorted by template_id.
    """
    occ = _occurrences(sentences, articles, min_docs=min_docs, min_fixed_words=min_fixed_words, keep_words=keep_words)
    return _templates_table(occ)


def _templates_table(occ: pd.DataFrame) -> pd.DataFrame:
    cols = ["template_id", "template", "n_slots", "n_docs", "n_sentences", "first_date", "last_date", "example"]
    if occ.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    g = occ.groupby("template_id", sort=True)
    out = pd.DataFrame(
        {
            "template": g["template"].first(),
            "n_slots": g["fillers"].first().map(len).astype("int64"),
            "n_docs": g["doc_id"].nunique().astype("int64"),
            "n_sentences": g.size().astype("int64"),
            "first_date": g["date"].min(),
            "last_date": g["date"].max(),
            "example": g["text"].first(),
        }
    ).reset_index()
    return out[cols]


def template_fillers(
    sentences: pd.DataFrame,
    *,
    articles: pd.DataFrame | None = None,
    min_docs: int = 3,
    min_fixed_words: int = 3,
    keep_words: Collection[str] | None = None,
) -> pd.DataFrame:
    """Measure: what fills each slot of each template (same options as :func:`templates`).

    Returns
    -------
    pandas.DataFrame
        ``template_id, slot`` (1-based), ``filler`` (the slot's tokens joined by spaces, as
        written), ``frequency`` (sentences), ``docfreq`` (documents).  Sorted by
        template_id, slot, frequency descending, filler.
    """
    occ = _occurrences(sentences, articles, min_docs=min_docs, min_fixed_words=min_fixed_words, keep_words=keep_words)
    return _fillers_table(occ)


def _fillers_table(occ: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for tid, doc, fillers in zip(occ["template_id"].tolist(), occ["doc_id"].tolist(), occ["fillers"].tolist()):
        for slot, f in enumerate(fillers, start=1):
            rows.append((tid, slot, f, doc))
    df = pd.DataFrame(rows, columns=["template_id", "slot", "filler", "doc_id"])
    out = (
        df.groupby(["template_id", "slot", "filler"])
        .agg(frequency=("doc_id", "size"), docfreq=("doc_id", "nunique"))
        .reset_index()
    )
    out = out.astype({"template_id": "int64", "slot": "int64", "frequency": "int64", "docfreq": "int64"})
    return out.sort_values(
        ["template_id", "slot", "frequency", "filler"], ascending=[True, True, False, True], kind="mergesort",
        ignore_index=True,
    )


def template_changes(
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    freq: Literal["year", "quarter", "month"] = "year",
    family_tokens: int = 3,
    min_docs: int = 3,
    min_fixed_words: int = 3,
    keep_words: Collection[str] | None = None,
) -> pd.DataFrame:
    """Measure: how the wording of template families changes over time.

    A **family** is the set of templates (from :func:`templates`, same options) that share
    their first *family_tokens* tokens (slots count as tokens), e.g. all templates starting
    "President [1] received"; families with a single variant are dropped.  For each
    family, variant and period the table gives how many sentences and documents use the
    variant and its share of the family's sentences in that period, so a change of
    wording shows as one variant's share giving way to another's.

    Parameters
    ----------
    sentences, articles
        Sentences table and articles table with ``doc_id, date``.
    freq
        Period: ``"year"`` (default), ``"quarter"`` or ``"month"`` of the UTC date.
    family_tokens
        Length of the shared template prefix defining a family (default 3).

    Returns
    -------
    pandas.DataFrame
        ``family, template_id, template, period, n_sentences, n_docs, share, first_period,
        last_period`` (the last two per variant over all periods).  Sorted by family,
        period, n_sentences descending, template_id.
    """
    if articles is None or "date" not in articles.columns:
        raise InputError("template_changes needs the articles table with a date column")
    occ = _occurrences(sentences, articles, min_docs=min_docs, min_fixed_words=min_fixed_words, keep_words=keep_words)
    return _changes_table(occ, freq=freq, family_tokens=family_tokens)


def _changes_table(occ: pd.DataFrame, *, freq: str, family_tokens: int) -> pd.DataFrame:
    cols = ["family", "template_id", "template", "period", "n_sentences", "n_docs", "share", "first_period", "last_period"]
    if occ.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    occ = occ.copy()  # the occurrences may be shared with the other template tables
    occ["family"] = occ["template"].map(lambda t: " ".join(t.split(" ")[:family_tokens]))
    n_var = occ.groupby("family")["template_id"].nunique()
    occ = occ[occ["family"].isin(n_var[n_var >= 2].index)].copy()
    if occ.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    occ["period"] = period(occ["date"], freq)
    out = (
        occ.groupby(["family", "template_id", "template", "period"])
        .agg(n_sentences=("doc_id", "size"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )
    tot = out.groupby(["family", "period"])["n_sentences"].transform("sum")
    out["share"] = out["n_sentences"] / tot
    dated = out[out["period"] != MISSING_PERIOD]
    span = dated.groupby("template_id")["period"].agg(["min", "max"])
    out["first_period"] = out["template_id"].map(span["min"])
    out["last_period"] = out["template_id"].map(span["max"])
    out = out.astype({"template_id": "int64", "n_sentences": "int64", "n_docs": "int64"})
    out = out.sort_values(
        ["family", "period", "n_sentences", "template_id"], ascending=[True, True, False, True], kind="mergesort",
        ignore_index=True,
    )
    return out[cols]


def template_tables(
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    freq: Literal["year", "quarter", "month"] = "year",
    family_tokens: int = 3,
    min_docs: int = 3,
    min_fixed_words: int = 3,
    keep_words: Collection[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Measure: :func:`templates`, :func:`template_fillers` and :func:`template_changes` at once.

    The three tables rest on the same templatised sentences; this computes them once
    (the separate functions each templatise the whole sentences table).  Options as in
    those functions.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"templates"``, ``"template_fillers"``, ``"template_changes"``: each identical to
        the table of the function of that name called with the same arguments.
    """
    if articles is None or "date" not in articles.columns:
        raise InputError("template_tables needs the articles table with a date column")
    occ = _occurrences(sentences, articles, min_docs=min_docs, min_fixed_words=min_fixed_words, keep_words=keep_words)
    return {
        "templates": _templates_table(occ),
        "template_fillers": _fillers_table(occ),
        "template_changes": _changes_table(occ, freq=freq, family_tokens=family_tokens),
    }
