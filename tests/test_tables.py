"""Tests of analysis.tables: exact LaTeX and CSV text on tiny hand-written tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import tables
from analysis.errors import InputError


@pytest.fixture()
def tiny() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "feature": ["a_b & c", "50% {x}", "#1 ~ ^ \\ $"],
            "frequency": [12, 3, 1000],
            "g2": [10.456, -0.004, -2.5],
            "log_ratio": [1.0, math.nan, -0.25],
        }
    )


def test_latex_escape_all_specials() -> None:
    assert tables.latex_escape("& % $ # _ { } ~ ^ \\") == (
        r"\& \% \$ \# \_ \{ \} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )
    # one pass: the braces produced by an escape are not escaped again
    assert tables.latex_escape("\\{") == r"\textbackslash{}\{"


def test_to_latex_exact_tabular(tiny: pd.DataFrame) -> None:
    out = tables.to_latex(tiny)
    assert out == (
        "\\begin{tabular}{lrrr}\n"
        "\\toprule\n"
        "feature & frequency & g2 & log\\_ratio \\\\\n"
        "\\midrule\n"
        "a\\_b \\& c & 12 & 10.46 & 1.00 \\\\\n"
        "50\\% \\{x\\} & 3 & 0.00 &  \\\\\n"
        "\\#1 \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\$ & 1000 & $-$2.50 & $-$0.25 \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}\n"
    )


def test_to_latex_columns_digits_caption_label(tiny: pd.DataFrame, tmp_path) -> None:
    path = tmp_path / "sub" / "t.tex"
    out = tables.to_latex(
        tiny,
        path,
        columns={"g2": "G² (signed)", "feature": "Feature_name"},
        digits={"g2": 1},
        caption="Keyness: 100% of features",
        label="tab:keyness",
    )
    assert out == (
        "\\begin{table}[htbp]\n"
        "\\centering\n"
        "\\caption{Keyness: 100\\% of features}\n"
        "\\label{tab:keyness}\n"
        "\\begin{tabular}{rl}\n"
        "\\toprule\n"
        "G² (signed) & Feature\\_name \\\\\n"
        "\\midrule\n"
        "10.5 & a\\_b \\& c \\\\\n"
        "0.0 & 50\\% \\{x\\} \\\\\n"
        "$-$2.5 & \\#1 \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\$ \\\\\n"
        "\\bottomrule\n"
        "\\end{tabular}\n"
        "\\end{table}\n"
    )
    assert path.read_text(encoding="utf-8") == out


def test_to_latex_does_not_mutate_and_is_deterministic(tiny: pd.DataFrame) -> None:
    before = tiny.copy()
    assert tables.to_latex(tiny, digits=3) == tables.to_latex(tiny.copy(), digits=3)
    pd.testing.assert_frame_equal(tiny, before)


def test_to_csv_exact(tiny: pd.DataFrame, tmp_path) -> None:
    path = tables.to_csv(tiny, tmp_path / "t.csv", columns={"feature": "Feature", "g2": "G2"}, digits=1)
    assert path == tmp_path / "t.csv"
    assert path.read_bytes().decode("utf-8") == (
        "Feature,G2\n"
        "a_b & c,10.5\n"
        "50% {x},0.0\n"
        "#1 ~ ^ \\ $,-2.5\n"
    )


def test_format_table_values() -> None:
    df = pd.DataFrame(
        {
            "when": [pd.Timestamp("2022-03-01"), pd.Timestamp("2022-03-01 12:30")],
            "flag": [True, False],
            "n": pd.array([1, None], dtype="Int64"),
            "x": [1.005, 2.0],
        }
    )
    out = tables.format_table(df, digits={"x": 0})
    assert out.to_dict("list") == {
        "when": ["2022-03-01", "2022-03-01T12:30:00"],
        "flag": ["True", "False"],
        "n": ["1", ""],
        "x": ["1", "2"],
    }


def test_export_table_writes_both(tiny: pd.DataFrame, tmp_path) -> None:
    paths = tables.export_table(tiny, "keyness", out_dir=tmp_path / "tables", columns={"feature": "Feature"})
    assert [p.name for p in paths] == ["keyness.csv", "keyness.tex"]
    assert paths[0].read_text(encoding="utf-8") == 'Feature\na_b & c\n50% {x}\n#1 ~ ^ \\ $\n'
    assert "\\toprule" in paths[1].read_text(encoding="utf-8")


def test_errors(tiny: pd.DataFrame, tmp_path) -> None:
    with pytest.raises(InputError, match="not in the table"):
        tables.to_latex(tiny, columns={"nope": "X"})
    with pytest.raises(InputError, match="digits"):
        tables.to_latex(tiny, digits=-1)
    with pytest.raises(InputError, match="label"):
        tables.to_latex(tiny, label="tab 1")
    with pytest.raises(InputError, match="bad table name"):
        tables.export_table(tiny, "../x", out_dir=tmp_path)
    with pytest.raises(InputError, match="DataFrame"):
        tables.to_latex([1, 2])  # type: ignore[arg-type]
