"""Engines: partitions, and identical tables from 1 worker, 2 local workers and dask (2-worker LocalCluster)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import config, engines, pipeline, workprogress
from analysis.errors import InputError


# ----------------------------------------------------------------------------- partitions
def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "x": range(n)})


def test_partitions_sizes_and_order() -> None:
    parts = engines.partitions(_frame(10), n_parts=3)
    assert [len(p) for p in parts] == [4, 4, 2]
    assert [p["doc_id"].tolist() for p in parts][2] == ["d8", "d9"]
    assert pd.concat(parts)["x"].tolist() == list(range(10))


def test_partitions_clipped() -> None:
    assert [len(p) for p in engines.partitions(_frame(3), n_parts=10)] == [1, 1, 1]
    assert [len(p) for p in engines.partitions(_frame(5), n_parts=0)] == [5]
    empty = engines.partitions(_frame(0), n_parts=4)
    assert len(empty) == 1 and empty[0].empty


def test_partitions_do_not_copy_or_mutate() -> None:
    df = _frame(6)
    before = df.copy()
    parts = engines.partitions(df, n_parts=2)
    assert parts[1].index.tolist() == [3, 4, 5]
    pd.testing.assert_frame_equal(df, before)


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="workers"):
        with engines.session(workers=0):
            pass
    with pytest.raises(InputError, match="unknown engine"):
        with engines.session(workers=1, engine="spark"):
            pass


def test_auto_workers_capped_by_corpus_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "available_cores", lambda: 8)
    assert engines.auto_workers() == 8
    assert engines.auto_workers(65) == 1  # the sample: one process
    assert engines.auto_workers(3 * engines.MIN_PER_WORKER) == 3
    assert engines.auto_workers(10**6) == 8
    assert 1 <= engines.available_cores()


def test_no_import_cycle_between_engines_and_dask_engine() -> None:
    import ast

    from analysis import dask_engine

    tree = ast.parse(Path(dask_engine.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert "engines" not in imported and not hasattr(engines, "map_documents")


def test_progress_counts_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    assert workprogress.n_articles(_frame(7)) == 7
    assert workprogress.n_articles([1, 2, 3]) == 3
    assert workprogress.n_articles((["a", "b"], 0, 1)) == 2
    updates: list[int] = []

    class Bar:
        def __init__(self, total: int, **kw: object) -> None:
            updates.append(total)

        def __enter__(self) -> "Bar":
            return self

        def __exit__(self, *a: object) -> None:
            pass

        def update(self, n: int) -> None:
            updates.append(n)

    monkeypatch.setattr(workprogress, "tqdm", Bar)
    assert list(workprogress.progress_articles(iter("xy"), [3, 4], desc="d", enabled=True)) == ["x", "y"]
    assert updates == [7, 3, 4]
    monkeypatch.setenv("PROTOCOL_NEWS_PROGRESS", "0")
    updates.clear()
    assert list(workprogress.progress_articles(iter("xy"), [3, 4], desc="d")) == ["x", "y"]
    assert updates == []


def _double(part: pd.DataFrame, context: int) -> dict[str, pd.DataFrame]:
    return {"t": part.assign(y=part["x"] * context)}


def test_local_pool_results_in_partition_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workprogress, "PARTITION_SIZE", 3)
    with engines.session(workers=2, progress=False) as s:
        res = s.map(_double, s.partitions(_frame(10)), 2)
    assert [len(r["t"]) for r in res] == [3, 3, 3, 1]
    assert pd.concat([r["t"] for r in res])["y"].tolist() == [2 * i for i in range(10)]


def _pid(_item: object, _context: object) -> int:
    return os.getpid()


def test_release_stops_the_workers_and_the_next_map_starts_fresh_ones() -> None:
    with engines.session(workers=2, progress=False) as s:
        first = set(s.map(_pid, list(range(6)), None))
        s.release()
        assert s._pool is None  # no idle worker left holding memory
        again = s.imap(_pid, list(range(6)), None)
        assert not isinstance(again, list)  # results one by one
        second = set(again)
        assert s._pool is not None and first.isdisjoint(second)
        assert s.submit(sum, [1, 2]).result() == 3
    single = engines.Session(workers=1)
    single.release()  # in-process: nothing to stop, still in-process
    assert single.submit(sum, [1, 2]).result() == 3 and single._pool is None


# ----------------------------------------------------------------------------- merge
@pytest.fixture(scope="module")
def sample_articles() -> pd.DataFrame:
    articles, _report, _removals = pipeline.prepare(config.SAMPLE_CORPUS)
    return pipeline.with_period(articles)


def test_merge_of_any_partitioning_equals_one_partition(sample_articles: pd.DataFrame) -> None:
    """In-process: document_tables on 7 partitions, merged, equals one call on all articles."""
    ctx = pipeline.fit_context(sample_articles)
    whole = pipeline.document_tables(sample_articles, ctx)
    merged = pipeline._concat([pipeline.document_tables(p, ctx)
                               for p in engines.partitions(sample_articles, n_parts=7)])
    assert set(merged) == set(whole)
    assert len(whole["protocol_matches"]) > 0 and len(whole["mentions"]) > 0
    for name in whole:
        if name != pipeline.STREAM_PIECE:
            pd.testing.assert_frame_equal(merged[name], whole[name], obj=name)
    # the word stream merged from 7 pieces is the stream of the whole tokenized sentences table
    from analysis import phrases, segment

    ref = phrases.word_stream(segment.segment_articles(sample_articles, splitter=ctx.splitter))
    got = phrases.merge_streams(merged["sentences"], merged[pipeline.STREAM_PIECE])
    one = phrases.merge_streams(whole["sentences"], [whole[pipeline.STREAM_PIECE]])
    for st in (got, one):
        assert st.vocab.tolist() == ref.vocab.tolist() and st.doc_ids == ref.doc_ids
        assert st.n_sentences == ref.n_sentences
        for f in ("ids", "room", "doc"):
            np.testing.assert_array_equal(getattr(st, f), getattr(ref, f))
            assert getattr(st, f).dtype == getattr(ref, f).dtype


def _tiny_corpus() -> pd.DataFrame:
    """Outlet "Caspian Wire": two titles with Azerbaijan as subject, then one title without a country."""
    rows = [
        ("a1", "Ilham Aliyev received the Ambassador of Italy",
         "Ilham Aliyev received the Ambassador of Italy. The sides praised the friendly relations between "
         "Azerbaijan and Italy."),
        ("a2", "Ilham Aliyev held a phone call with Recep Tayyip Erdogan",
         "Ilham Aliyev spoke with Recep Tayyip Erdogan. They welcomed the strategic partnership between "
         "Azerbaijan and Turkey."),
        ("a3", "Phone conversation held",
         "The President had a phone conversation with Vladimir Putin. He expressed deep concern over the "
         "hostile statements of Russia."),
    ]
    arts = pd.DataFrame(rows, columns=["doc_id", "title", "text"])
    arts["source"] = "Caspian Wire"
    arts["date"] = pd.Timestamp("2022-01-01", tz="UTC")
    arts["url"] = ""
    return pipeline.with_period(arts)


def test_tiny_corpus_home_country_is_corpus_wide() -> None:
    ctx = pipeline.fit_context(_tiny_corpus())
    assert ctx.home_countries == {"Caspian Wire": "AZE"}


def test_tone_does_not_depend_on_partitioning() -> None:
    """Article a3 alone in its partition: its outlet's home country must still be AZE (from the
    corpus-wide Context.home_countries, not from the partition's own titles)."""
    arts = _tiny_corpus()
    ctx = pipeline.fit_context(arts)
    whole = pipeline.document_tables(arts, ctx)["sentence_tone"]
    merged = pipeline._concat([pipeline.document_tables(p, ctx)
                               for p in engines.partitions(arts, n_parts=3)])["sentence_tone"]
    pd.testing.assert_frame_equal(merged, whole)


# ----------------------------------------------------------------------------- whole runs
def _tables(articles_dir: Path, out: Path, **kw: object) -> dict[str, bytes]:
    """Cleaning and analysis in one session of the given engine (as `run` does)."""
    with engines.session(progress=False, **kw) as s:  # type: ignore[arg-type]
        articles, report, removals = pipeline.prepare(articles_dir, session=s)
        tables = pipeline.analyse(articles, session=s)
    tables["cleaning_report"] = report
    tables["removals"] = removals
    paths = pipeline.write_tables(tables, out)
    return {p.stem: p.read_bytes() for p in paths}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    mp = pytest.MonkeyPatch()
    mp.setattr(workprogress, "PARTITION_SIZE", 10)  # 65 articles -> 7 partitions with 2 workers
    try:
        out = {}
        for name, kw in (("one", {"workers": 1}), ("local2", {"workers": 2}),
                         ("dask2", {"workers": 2, "engine": "dask"})):
            out[name] = _tables(config.SAMPLE_CORPUS, tmp_path_factory.mktemp(name), **kw)
    finally:
        mp.undo()
    return out


@pytest.mark.parametrize("other", ["local2", "dask2"])
def test_tables_identical_across_engines(runs: dict[str, dict[str, bytes]], other: str) -> None:
    """Every table written by write_tables, byte for byte (65 sample articles, 7 partitions)."""
    one, two = runs["one"], runs[other]
    assert sorted(one) == sorted(two)
    assert len(one) == len(pipeline.TABLES) - 1  # all but cleaning_summary (a summary of the two above)
    assert sorted(k for k in one if one[k] != two[k]) == []


def test_corpus_stages_one_after_another_with_two_workers(runs: dict[str, dict[str, bytes]], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Above pipeline.OVERLAP_MAX_CHARS the templates and the tone aggregation run in the main
    process after the phrase measures (local2 above runs them on the workers beside them): same tables."""
    monkeypatch.setattr(pipeline, "OVERLAP_MAX_CHARS", 0)
    monkeypatch.setattr(workprogress, "PARTITION_SIZE", 10)
    serial = _tables(config.SAMPLE_CORPUS, tmp_path, workers=2)
    assert sorted(k for k in runs["one"] if runs["one"][k] != serial.get(k)) == []
