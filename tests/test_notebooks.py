"""The committed notebooks: charts stored as PNG, nothing read from beside the checkout,
and a parameterised run through papermill (the tool the README names)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import papermill
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _figure_outputs(cell) -> list:  # type: ignore[no-untyped-def]
    return [o for o in cell.get("outputs", [])
            if str(o.get("data", {}).get("text/plain", "")).startswith("<Figure size")]


def test_there_are_six_notebooks() -> None:
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_output_is_stored_as_png(path: Path) -> None:
    """Every output that is a figure carries an image/png beside its text repr."""
    figures = [o for c in _code_cells(path) for o in _figure_outputs(c)]
    missing = [o["data"]["text/plain"] for o in figures if "image/png" not in o["data"]]
    assert not missing, f"{path.name}: {len(missing)} figure output(s) without a PNG"


def test_the_notebooks_show_charts() -> None:
    """Counted over all notebooks: the chart cells hold PNG images (at least one per chart
    notebook, 15 in all when this test was written)."""
    counts = {p.stem: sum(1 for c in _code_cells(p) for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
              for p in NOTEBOOKS}
    assert all(counts[s] >= 1 for s in counts), counts
    assert sum(counts.values()) >= 15, counts


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_read_nothing_beside_the_checkout(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for needle in ("../shared", "SHARED_DIR", "/shared/", "dev_gold"):
        assert needle not in text, f"{path.name} mentions {needle!r}"


def test_papermill_runs_a_notebook_with_a_parameter(tmp_path: Path) -> None:
    """papermill injects CORPUS after the parameters cell and the notebook runs on it."""
    corpus = tmp_path / "one.jsonl"
    record = json.loads((ROOT / "data" / "sample" / "sample.jsonl").read_text(encoding="utf-8").split("\n")[0])
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out.ipynb"
    env = {"IPYTHONDIR": str(ROOT / "tests" / "ipython"), "PROTOCOL_NEWS_PROGRESS": "0", "MPLBACKEND": "Agg"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / "01_corpus_overview.ipynb"), str(out),
            parameters={"CORPUS": str(corpus), "OUT": str(tmp_path)},
            cwd=str(ROOT / "notebooks"), kernel_name="python3", progress_bar=False,
        )
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and str(corpus) in injected[0].source
    printed = "".join(str(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert f"RAW TITLE:   {record['title']}" in printed  # the example shown is the parameter corpus's one record


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stored_stderr_output(path: Path) -> None:
    """A warning printed in a cell (it names a path of the machine that ran it) would make
    strict nbval fail on every other machine."""
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert not (out.get("output_type") == "stream" and out.get("name") == "stderr"), \
                f"{path.name} cell {i}: stderr output {out.get('text', '')[:200]!r}"
