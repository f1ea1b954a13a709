"""Tests for analysis.lexicon: loading and validating versioned YAML data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import DataFileError
from analysis.lexicon import PROVENANCE_KEYS, load_yaml_datafile

HEADER = 'version: "1"\nsource: here\nlicence: CC0-1.0\ncitation: me\n'


def _write(tmp_path: Path, text: str, name: str = "x.yml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_loads_mapping_with_required_keys(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "entries: [1, 2]\n")
    data = load_yaml_datafile(p, required_keys=(*PROVENANCE_KEYS, "entries"))
    assert data["entries"] == [1, 2]
    assert data["version"] == "1"


def test_missing_key_names_file_and_key(tmp_path: Path) -> None:
    p = _write(tmp_path, 'version: "1"\nsource: s\nlicence: l\n')
    with pytest.raises(DataFileError, match=r"x\.yml: missing required key 'citation'"):
        load_yaml_datafile(p)


def test_empty_key_is_an_error(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "entries: []\n")
    with pytest.raises(DataFileError, match=r"key 'entries': is empty"):
        load_yaml_datafile(p, required_keys=("entries",))


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "entries: [1, 2\nother: 3\n")
    with pytest.raises(DataFileError, match=r"x\.yml: line \d+: invalid YAML"):
        load_yaml_datafile(p)


def test_not_a_mapping(tmp_path: Path) -> None:
    p = _write(tmp_path, "- a\n- b\n")
    with pytest.raises(DataFileError, match="top level must be a mapping"):
        load_yaml_datafile(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nope\.yml: file not found"):
        load_yaml_datafile(tmp_path / "nope.yml")


def test_message_is_one_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "version: 1\n")
    with pytest.raises(DataFileError) as exc:
        load_yaml_datafile(p)
    assert "\n" not in str(exc.value)


CSV_META = "# version: 1\n# source: s\n# licence: l\n# citation: c\n"


@pytest.mark.parametrize(
    "text, kwargs, problem",
    [
        (CSV_META + "a,c\n1,2\n", {}, r"x\.csv:5: header must be a,b"),
        ("# version: 1\n# source: s\na,b\n1,2\n", {}, r"x\.csv:3: missing '# licence: \.\.\.' metadata line before the header \(also citation\)"),
        ("# version: 1\n# source:\n# licence: l\n# citation: c\na,b\n", {}, r"x\.csv:5: missing '# source: \.\.\.'"),
        (CSV_META + "a,b\n1,2,3\n", {}, r"x\.csv:6: 3 fields, expected 2 \(a, b\)"),
        (CSV_META, {}, r"x\.csv: no header line \(a,b\)"),
        (CSV_META + "b\n1\n", {"required": ("a",)}, r"x\.csv:5: header lacks column\(s\) a \(expected a, b\)"),
        (CSV_META + "a,z\n1,2\n", {"required": ("a",)}, r"x\.csv:5: unknown column\(s\) z"),
    ],
)
def test_csv_datafile_errors_name_file_line_and_problem(tmp_path: Path, text: str, kwargs: dict, problem: str) -> None:
    from analysis.lexicon import read_csv_datafile

    p = _write(tmp_path, text, "x.csv")
    with pytest.raises(DataFileError, match=problem):
        read_csv_datafile(p, ("a", "b"), **kwargs)


def test_csv_datafile_optional_columns_and_kind(tmp_path: Path) -> None:
    from analysis.lexicon import read_csv_datafile

    p = _write(tmp_path, "b,a\n1,2\n", "x.csv")
    meta, rows = read_csv_datafile(p, ("a", "b", "c"), required=("a",), require_meta=False)
    assert meta == {} and rows == [(2, {"a": "2", "b": "1", "c": ""})]
    with pytest.raises(DataFileError, match=r"nope\.csv: file not found \(gazetteer\)"):
        read_csv_datafile(tmp_path / "nope.csv", ("a",), kind="gazetteer")
    with pytest.raises(DataFileError, match=r"nope\.yml: file not found \(tone lexicon\)"):
        load_yaml_datafile(tmp_path / "nope.yml", kind="tone lexicon")


def test_blank_provenance_value_is_empty(tmp_path: Path) -> None:
    p = _write(tmp_path, 'version: "1"\nsource: "  "\nlicence: l\ncitation: c\n')
    with pytest.raises(DataFileError, match=r"x\.yml: key 'source': is empty"):
        load_yaml_datafile(p)
