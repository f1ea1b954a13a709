"""Text reuse: near-duplicate articles (shingles + MinHash/LSH) and sentence templates.

Near-duplicates
---------------
A document is represented by its set of word *k*-shingles (default k = 5): consecutive
runs of k lower-cased word tokens (tokens of :func:`analysis.segment.tokenize`, punctuation
dropped with :func:`analysis.segment.is_word`, case-folded with
:func:`analysis.segment.norm_token`), taken over the whole text (shingles may span sentence
boundaries: reuse is a property of the running text).  Two documents are near-duplicates
when the Jaccard similarity of their shingle sets is >= a threshold (default 0.5;
Broder 1997).  Candidates come from MinHash signatures (``datasketch.MinHash``,
``num_perm`` = 128 permutations, ``seed`` = :data:`analysis.config.RANDOM_SEED`) banded in a
``datasketch.MinHashLSH`` index (Leskovec, Rajaraman & Ullman 2014, ch. 3); **every
candidate pair is then verified with the exact shingle Jaccard**, so the output contains
no false positives, and misses only pairs the banding did not propose.  The banding
(b bands of r rows) is chosen so that a pair at exactly the threshold is proposed with
probability >= 0.99: 1 - (1 - t^r)^b >= 0.99 with the largest such r (fewest spurious
candidates); for t = 0.5 and 128 permutations that is r = 3, b = 42 (probability 0.9963,
higher for more similar pairs).

Templates
---------
Sentences whose token sequences become identical after replacing name-like spans with
slots.  A token is *slot-like* when it contains a digit, or when it starts with an
upper-case letter and its :func:`~analysis.segment.norm_token` form is neither a stopword
(so sentence-initial "The", "On" stay) nor one of the office/title words in
:data:`TEMPLATE_KEEP_WORDS` (President, Minister, Governor, ...).  Each maximal run of
slot-like tokens (including the period after a single-letter initial, "Joseph R. Biden")
becomes one slot, written ``[1]``, ``[2]``, ... in order; the possessive "'s" after a name
stays a fixed token ("[1] 's visit").  A template must keep at least
``min_fixed_words`` fixed word tokens and occur in at least ``min_docs`` documents.

References
----------
Broder, A. Z. (1997). On the resemblance and containment of documents. *Proceedings of
Compression and Complexity of Sequences*, 21-29.

Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). *Mining of Massive Datasets*
(2nd ed.). Cambridge University Press, ch. 3.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import combinations
from typing import Literal

import pandas as pd

from analysis import config
from analysis.errors import InputError
from analysis.segment import is_word, norm_token, tokenize

__all__ = [
    "NEAR_DUPLICATE_COLUMNS",
    "TEMPLATE_KEEP_WORDS",
    "shingles",
    "lsh_params",
    "near_duplicates",
    "exact_pairs",
    "duplicate_clusters",
    "templates",
    "template_fillers",
    "template_changes",
]

#: Columns of the near_duplicates table (CONTRIBUTING.md).
NEAR_DUPLICATE_COLUMNS: tuple[str, ...] = ("doc_id_a", "doc_id_b", "jaccard")

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


# ---------------------------------------------------------------------------
# Shingles and near-duplicates
# ---------------------------------------------------------------------------


def _words(text: object) -> list[str]:
    if not isinstance(text, str) or not text:
        return []
    return [norm_token(t) for _, _, t in tokenize(text) if is_word(t)]


def shingles(text: str, *, k: int = 5) -> set[str]:
    """Word k-shingles of *text*: the set of runs of *k* consecutive word tokens.

    Parameters
    ----------
    text
        Any string (``None``/NaN count as empty).
    k
        Shingle length in word tokens (default 5).

    Returns
    -------
    set of str
        Shingles as words joined by one space.  A text with fewer than *k* (but at least
        one) words has the single shingle of all its words; an empty text has none.

    Examples
    --------
    >>> sorted(shingles("The sides met. They agreed!", k=3))
    ['met they agreed', 'sides met they', 'the sides met']
    """
    if k < 1:
        raise InputError(f"shingles: k must be >= 1, got {k}")
    w = _words(text)
    if not w:
        return set()
    if len(w) < k:
        return {" ".join(w)}
    return {" ".join(w[i : i + k]) for i in range(len(w) - k + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def lsh_params(threshold: float, num_perm: int, *, recall: float = 0.99) -> tuple[int, int]:
    """LSH banding ``(b, r)`` for MinHash signatures of *num_perm* values.

    The largest number of rows per band r (with b = num_perm // r bands) such that a pair of
    Jaccard similarity exactly *threshold* becomes a candidate with probability
    1 - (1 - threshold^r)^b >= *recall*; r = 1 if none does.

    References
    ----------
    Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). *Mining of Massive Datasets*, 3.4.
    """
    if not 0.0 < threshold <= 1.0:
        raise InputError(f"threshold must be in (0, 1], got {threshold}")
    for r in range(num_perm, 0, -1):
        b = num_perm // r
        if 1.0 - (1.0 - threshold**r) ** b >= recall:
            return b, r
    return num_perm, 1


def _check_articles(articles: pd.DataFrame, text_column: str) -> None:
    if not isinstance(articles, pd.DataFrame):
        raise InputError("articles must be a pandas DataFrame")
    missing = [c for c in ("doc_id", text_column) if c not in articles.columns]
    if missing:
        raise InputError(f"articles table lacks column(s) {', '.join(missing)}")
    if articles["doc_id"].duplicated().any():
        dup = articles.loc[articles["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise InputError(f"articles table has duplicate doc_id {dup!r}")


def _pairs_frame(rows: Iterable[tuple[str, str, float]]) -> pd.DataFrame:
    out = pd.DataFrame(list(rows), columns=list(NEAR_DUPLICATE_COLUMNS))
    out = out.astype({"doc_id_a": object, "doc_id_b": object, "jaccard": "float64"})
    return out.sort_values(["doc_id_a", "doc_id_b"], kind="mergesort", ignore_index=True)


def _ordered(a: object, b: object) -> tuple[str, str]:
    sa, sb = str(a), str(b)
    return (sa, sb) if sa < sb else (sb, sa)


def near_duplicates(
    articles: pd.DataFrame,
    *,
    k: int = 5,
    threshold: float = 0.5,
    num_perm: int = 128,
    text_column: str = "text",
) -> pd.DataFrame:
    """Measure: pairs of near-duplicate articles (MinHash/LSH candidates, exact verification).

    Parameters
    ----------
    articles
        Table with ``doc_id`` (unique) and *text_column*.
    k
        Shingle length in words (default 5).
    threshold
        Minimum Jaccard similarity of the shingle sets (default 0.5).
    num_perm
        MinHash permutations (default 128); seed :data:`analysis.config.RANDOM_SEED`.
    text_column
        Column with the text (default ``"text"``, the cleaned body).

    Returns
    -------
    pandas.DataFrame
        ``doc_id_a, doc_id_b, jaccard`` (exact shingle Jaccard, 0..1), one row per pair with
        jaccard >= *threshold*, ``doc_id_a < doc_id_b`` (as strings), sorted by both ids.
        ``attrs``: ``n_candidates`` (pairs proposed by LSH), ``bands``, ``rows``.
        Documents without words are never paired.

    References
    ----------
    Broder, A. Z. (1997). On the resemblance and containment of documents.

    Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). *Mining of Massive Datasets*, ch. 3.
    """
    from datasketch import MinHash, MinHashLSH

    _check_articles(articles, text_column)
    b, r = lsh_params(threshold, num_perm)
    ids = [str(d) for d in articles["doc_id"].tolist()]
    sets = [shingles(t, k=k) for t in articles[text_column].tolist()]
    keep = [i for i, s in enumerate(sets) if s]
    sigs = MinHash.bulk(
        [[x.encode("utf-8") for x in sorted(sets[i])] for i in keep], num_perm=num_perm, seed=config.RANDOM_SEED
    )
    lsh = MinHashLSH(num_perm=num_perm, params=(b, r))
    for i, m in zip(keep, sigs):
        lsh.insert(i, m, check_duplication=False)
    candidates: set[tuple[int, int]] = set()
    for i, m in zip(keep, sigs):
        for j in lsh.query(m):
            if j != i:
                candidates.add((min(i, j), max(i, j)))
    rows = []
    for i, j in sorted(candidates):
        jac = _jaccard(sets[i], sets[j])
        if jac >= threshold:
            a, c = _ordered(ids[i], ids[j])
            rows.append((a, c, jac))
    out = _pairs_frame(rows)
    out.attrs.update({"n_candidates": len(candidates), "bands": b, "rows": r})
    return out


def exact_pairs(
    articles: pd.DataFrame,
    *,
    k: int = 5,
    threshold: float = 0.5,
    text_column: str = "text",
) -> pd.DataFrame:
    """Reference implementation of :func:`near_duplicates`: exact Jaccard of every pair.

    Quadratic in the number of articles (for tests and small inputs).  The only shortcut
    is exact: a pair whose set sizes differ so much that min/max < *threshold* cannot
    reach it and is skipped.  Same output columns and order as :func:`near_duplicates`.
    """
    _check_articles(articles, text_column)
    ids = [str(d) for d in articles["doc_id"].tolist()]
    sets = [shingles(t, k=k) for t in articles[text_column].tolist()]
    rows = []
    for i, j in combinations(range(len(ids)), 2):
        a, b = sets[i], sets[j]
        if not a or not b:
            continue
        la, lb = len(a), len(b)
        if min(la, lb) < threshold * max(la, lb):
            continue
        jac = _jaccard(a, b)
        if jac >= threshold:
            x, y = _ordered(ids[i], ids[j])
            rows.append((x, y, jac))
    return _pairs_frame(rows)


def duplicate_clusters(pairs: pd.DataFrame) -> pd.DataFrame:
    """Measure: connected components of the near-duplicate graph.

    Parameters
    ----------
    pairs
        A near_duplicates table (``doc_id_a, doc_id_b``).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, cluster, cluster_size`` for every document in at least one pair;
        ``cluster`` is the smallest doc_id (as string) of the component, so ids are
        deterministic.  Sorted by cluster, doc_id.
    """
    missing = [c for c in ("doc_id_a", "doc_id_b") if c not in pairs.columns]
    if missing:
        raise InputError(f"pairs table lacks column(s) {', '.join(missing)}")
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in zip(pairs["doc_id_a"].map(str).tolist(), pairs["doc_id_b"].map(str).tolist()):
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            parent[hi] = lo  # the root is always the smallest id of the component
    docs = sorted(parent)
    clusters = [find(d) for d in docs]
    out = pd.DataFrame({"doc_id": pd.Series(docs, dtype=object), "cluster": pd.Series(clusters, dtype=object)})
    out["cluster_size"] = out.groupby("cluster")["doc_id"].transform("size").astype("int64")
    return out.sort_values(["cluster", "doc_id"], kind="mergesort", ignore_index=True)


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------


def _stopwords() -> frozenset[str]:
    """The bundled stopword list ``analysis/data/stopwords.txt``.

    Read here directly (``analysis.phrases.load_stopwords`` validates the same file) because
    ``phrases`` sits on the same layer and modules import only from layers below.
    """
    text = config.package_data("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(norm_token(s.strip()) for s in text.splitlines() if s.strip() and not s.lstrip().startswith("#"))


def _slot_like(token: str, keep: Collection[str]) -> bool:
    if any(ch.isdigit() for ch in token):
        return True
    return token[:1].isupper() and norm_token(token) not in keep


_NAME_ABBREVIATIONS = frozenset({"Jr", "Sr"})


def _templatize(
    tokens: tuple[str, ...],
    keep: Collection[str],
    lower_vocab: Collection[str],
    surface: list[str] | None = None,
) -> tuple[str, list[str], int]:
    """(template string, fillers, fixed word count) of one sentence's tokens.

    *surface* gives, per token, the text from the token's start to the next token's start
    (so fillers keep their original spacing); default: tokens joined by spaces.
    """
    out: list[str] = []
    fillers: list[str] = []
    cur: list[int] = []
    fixed_words = 0

    def close() -> None:
        if cur:
            if surface is not None:
                txt = "".join(surface[i] for i in cur[:-1]) + tokens[cur[-1]]
                fillers.append(" ".join(txt.split()))
            else:
                fillers.append(" ".join(tokens[i] for i in cur))
            out.append(f"[{len(fillers)}]")
            cur.clear()

    for i, t in enumerate(tokens):
        if i == 0 and t[:1].isupper() and norm_token(t) in lower_vocab:
            slot = False  # sentence-initial ordinary word ("Glory", "Thank"), seen in lower case
        else:
            slot = _slot_like(t, keep)
        if slot or (t == "." and cur and (len(tokens[cur[-1]]) == 1 or tokens[cur[-1]] in _NAME_ABBREVIATIONS)
                    and tokens[cur[-1]][:1].isupper()):
            # the period of an initial or of Jr./Sr. ("Joseph R. Biden, Jr.") stays in the slot
            cur.append(i)
            continue
        close()
        out.append(t)
        if is_word(t):
            fixed_words += 1
    close()
    return " ".join(out), fillers, fixed_words


def _occurrences(
    sentences: pd.DataFrame,
    articles: pd.DataFrame | None,
    *,
    min_docs: int,
    min_fixed_words: int,
    keep_words: Collection[str] | None,
) -> pd.DataFrame:
    """One row per sentence that instantiates a kept template, with its fillers and date."""
    for c in ("doc_id", "tokens"):
        if c not in sentences.columns:
            raise InputError(f"sentences table lacks column {c} (use analysis.segment.segment_articles)")
    keep = frozenset(norm_token(w) for w in (keep_words if keep_words is not None else TEMPLATE_KEEP_WORDS))
    keep = keep | _stopwords()
    sid = sentences["sentence_id"] if "sentence_id" in sentences.columns else pd.Series(range(len(sentences)))
    text = sentences["text"] if "text" in sentences.columns else sentences["tokens"].map(" ".join)
    has_spans = all(c in sentences.columns for c in ("spans", "start", "text"))
    spans = sentences["spans"].tolist() if has_spans else [None] * len(sentences)
    starts = sentences["start"].tolist() if has_spans else [0] * len(sentences)
    # words seen in lower case after the first token of a sentence: a capitalised
    # sentence-initial token of such a word is an ordinary word, not a name
    lower_vocab = {
        t for toks in sentences["tokens"].tolist() for t in tuple(toks)[1:] if t[:1].islower() and is_word(t)
    }
    lower_vocab = {norm_token(t) for t in lower_vocab}
    rows = []
    for doc_id, s_id, toks, txt, sp, st0 in zip(
        sentences["doc_id"].tolist(), sid.tolist(), sentences["tokens"].tolist(), text.tolist(), spans, starts
    ):
        surface = None
        if sp is not None and isinstance(txt, str) and len(sp) == len(toks) and len(sp):
            base = int(st0)
            bounds = [a - base for a, _ in sp] + [sp[-1][1] - base]
            surface = [txt[bounds[i] : bounds[i + 1]] for i in range(len(sp))]
        tpl, fillers, fixed = _templatize(tuple(toks), keep, lower_vocab, surface)
        if fillers and fixed >= min_fixed_words:
            rows.append((doc_id, int(s_id), txt, tpl, tuple(fillers)))
    occ = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "text", "template", "fillers"])
    if articles is not None and "date" in articles.columns:
        dates = pd.to_datetime(articles["date"], utc=True, errors="coerce")
        occ["date"] = occ["doc_id"].map(dict(zip(articles["doc_id"].tolist(), dates.tolist())))
        occ["date"] = pd.to_datetime(occ["date"], utc=True)
    else:
        occ["date"] = pd.Series(pd.NaT, index=occ.index, dtype="datetime64[ns, UTC]")
    ndocs = occ.groupby("template")["doc_id"].nunique()
    good = ndocs[ndocs >= min_docs]
    occ = occ[occ["template"].isin(good.index)].copy()
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


def _period(dates: pd.Series, freq: str) -> pd.Series:
    if freq == "year":
        lab = dates.dt.strftime("%Y")
    elif freq == "month":
        lab = dates.dt.strftime("%Y-%m")
    elif freq == "quarter":
        lab = dates.dt.year.astype("Int64").astype(str) + "-Q" + dates.dt.quarter.astype("Int64").astype(str)
    else:
        raise InputError(f"freq must be 'year', 'quarter' or 'month', got {freq!r}")
    return lab.astype(object).where(dates.notna(), "<NA>")


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
    cols = ["family", "template_id", "template", "period", "n_sentences", "n_docs", "share", "first_period", "last_period"]
    if occ.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    occ["family"] = occ["template"].map(lambda t: " ".join(t.split(" ")[:family_tokens]))
    n_var = occ.groupby("family")["template_id"].nunique()
    occ = occ[occ["family"].isin(n_var[n_var >= 2].index)].copy()
    if occ.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    occ["period"] = _period(occ["date"], freq)
    out = (
        occ.groupby(["family", "template_id", "template", "period"])
        .agg(n_sentences=("doc_id", "size"), n_docs=("doc_id", "nunique"))
        .reset_index()
    )
    tot = out.groupby(["family", "period"])["n_sentences"].transform("sum")
    out["share"] = out["n_sentences"] / tot
    dated = out[out["period"] != "<NA>"]
    span = dated.groupby("template_id")["period"].agg(["min", "max"])
    out["first_period"] = out["template_id"].map(span["min"])
    out["last_period"] = out["template_id"].map(span["max"])
    out = out.astype({"template_id": "int64", "n_sentences": "int64", "n_docs": "int64"})
    out = out.sort_values(
        ["family", "period", "n_sentences", "template_id"], ascending=[True, True, False, True], kind="mergesort",
        ignore_index=True,
    )
    return out[cols]
