"""Table contracts in one place (analysis.schema) and one period labeller."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import (
    corpus,
    entities,
    events,
    phrases,
    pipeline,
    protocol,
    readability,
    reuse,
    schema,
    segment,
    sentiment,
    validate,
)
from analysis.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def test_contributing_table_contracts_are_generated_from_schema() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "## Table contracts\n" in text
    section = text.split("## Table contracts\n", 1)[1].split("\n## ", 1)[0]
    assert schema.markdown_table() in section, "regenerate with analysis.schema.markdown_table()"


def test_readme_table_list_is_generated_from_schema() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert schema.markdown_table(schema.README_TABLES, header="columns (stable)") in text


def test_readme_lists_every_table_run_writes() -> None:
    assert tuple(pipeline.TABLES) == schema.README_TABLES
    assert set(schema.README_TABLES) <= set(schema.TABLES)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (corpus, "ARTICLE_COLUMNS"), (corpus, "CLEANED_COLUMNS"), (corpus, "REPORT_COLUMNS"),
        (corpus, "REMOVAL_COLUMNS"), (segment, "SENTENCE_COLUMNS"), (entities, "MENTION_COLUMNS"),
        (entities, "PROFILE_COLUMNS"), (protocol, "MATCH_COLUMNS"), (protocol, "KWIC_COLUMNS"),
        (readability, "READABILITY_COLUMNS"), (phrases, "NGRAM_COLUMNS"), (reuse, "NEAR_DUPLICATE_COLUMNS"),
        (sentiment, "SENTENCE_TONE_COLUMNS"), (sentiment, "DYAD_TONE_COLUMNS"), (events, "EVENT_COLUMNS"),
        (validate, "METRIC_COLUMNS"), (pipeline, "KEYNESS_COLUMNS"),
    ],
)
def test_module_column_lists_are_the_schema_ones(module: object, name: str) -> None:
    assert getattr(module, name) == getattr(schema, name)


def test_written_tables_have_the_schema_columns() -> None:
    tables = ROOT / "tables"
    for name in schema.README_TABLES:
        path = tables / f"{name}.csv"
        if path.exists():
            header = path.read_text(encoding="utf-8").split("\n", 1)[0]
            assert tuple(header.split(",")) == schema.TABLES[name].columns, name


def test_period_labels() -> None:
    dates = pd.Series(
        [pd.Timestamp("2021-07-14 23:30", tz="UTC"), pd.NaT, pd.Timestamp("2022-01-02", tz="UTC")], index=[5, 6, 7]
    )
    assert schema.period(dates, "year").tolist() == ["2021", "undated", "2022"]
    assert schema.period(dates, "quarter").tolist() == ["2021-Q3", "undated", "2022-Q1"]
    assert schema.period(dates, freq="month").tolist() == ["2021-07", "undated", "2022-01"]
    assert schema.period(dates, "year").index.tolist() == [5, 6, 7]
    # naive timestamps are UTC; strings are parsed; an unreadable date is undated
    assert schema.period(["2021-12-31T23:00:00-02:00", "not a date"], "year").tolist() == ["2022", "undated"]
    # labels sort chronologically, the missing label last
    labels = schema.period(pd.Series(pd.to_datetime(["2022-03-01", None, "2021-11-01"], utc=True)), "month")
    assert sorted(labels) == ["2021-11", "2022-03", schema.MISSING_PERIOD]
    with pytest.raises(InputError, match="freq"):
        schema.period(dates, "week")  # type: ignore[arg-type]


def test_every_period_labeller_is_schema_period() -> None:
    assert phrases.period is schema.period
    arts = pd.DataFrame({"doc_id": ["a", "b"], "date": pd.to_datetime(["2021-08-01", None], utc=True)})
    assert pipeline.with_period(arts, freq="quarter")["period"].tolist() == ["2021-Q3", "undated"]
    assert sentiment._period_labels(arts["date"], "quarter").tolist() == ["2021-Q3", "undated"]


def test_keyness_contrast_ignores_undated_articles() -> None:
    arts = pd.DataFrame({"source": ["s", "s", "s"], "period": ["2021", schema.MISSING_PERIOD, "2022"]})
    assert pipeline.keyness_contrast(arts) == ("period", "2022", "2021")
    assert pipeline.keyness_contrast(arts.iloc[:2]) is None  # one dated period
