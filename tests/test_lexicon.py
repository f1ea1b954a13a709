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
