"""The whole run on the bundled sample, and the command line contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import config, execute, pipeline, validate
from analysis.__main__ import main

ROOT = Path(__file__).resolve().parent.parent

REQUIRED_COLUMNS = {
    "articles": ["doc_id", "title", "date", "source", "text"],
    "cleaning_report": ["input", "record", "doc_id", "status", "reason"],
    "removals": ["doc_id", "start", "end", "text", "reason"],
    "protocol_matches": ["doc_id", "sentence_id", "start", "end", "category", "pattern", "matched"],
    "protocol_counts": ["category", "frequency", "docfreq"],
    "readability": ["doc_id", "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "dale_chall", "mtld"],
    "ngrams": ["feature", "n", "frequency", "docfreq", "rank", "per_million", "group"],
    "bundles": ["feature", "n", "frequency", "docfreq"],
    "collocations": ["feature", "pmi", "log_likelihood", "t_score", "log_dice"],
    "keyness": ["feature", "g2", "log_ratio"],
    "formulaicity": ["doc_id", "formulaicity"],
    "templates": ["template"],
    "near_duplicates": ["doc_id_a", "doc_id_b", "jaccard"],
    "sentence_tone": ["doc_id", "sentence_id", "dyad", "about_ties", "tone", "score"],
    "dyad_tone": ["dyad", "period", "n_sentences", "n_articles", "tone_mean", "ci_low", "ci_high", "baseline_delta"],
    "events": ["doc_id", "date", "type", "host", "guest", "host_rank", "guest_rank"],
}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    assert main(["run", "--corpus", str(config.SAMPLE_CORPUS), "--out", str(out), "--quiet"]) == 0
    return out


def test_run_writes_every_table_with_its_contract_columns(run_dir: Path) -> None:
    for name in pipeline.TABLES:
        assert (run_dir / "tables" / f"{name}.csv").exists(), name
    for name, cols in REQUIRED_COLUMNS.items():
        df = pd.read_csv(run_dir / "tables" / f"{name}.csv", nrows=5)
        assert [c for c in cols if c not in df.columns] == [], name


def test_every_input_record_is_accounted_for_once(run_dir: Path) -> None:
    report = pd.read_csv(run_dir / "tables" / "cleaning_report.csv", dtype=str, keep_default_na=False)
    n_jsonl = sum(1 for line in (config.SAMPLE_CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    n_txt = len(list(config.SAMPLE_CORPUS.glob("*.txt")))
    assert len(report) == n_jsonl + n_txt
    assert not report.duplicated(["input", "record"]).any()
    assert report.status.value_counts().to_dict() == {"loaded": 65, "rejected": 2}
    assert sorted(report.loc[report.status == "rejected", "reason"]) == ["duplicate id", "empty text"]
    articles = pd.read_csv(run_dir / "tables" / "articles.csv", dtype=str)
    assert sorted(articles.doc_id) == sorted(report.loc[report.status == "loaded", "doc_id"])


def test_near_duplicates_contract(run_dir: Path) -> None:
    nd = pd.read_csv(run_dir / "tables" / "near_duplicates.csv", dtype={"doc_id_a": str, "doc_id_b": str})
    assert (nd.doc_id_a < nd.doc_id_b).all() and (nd.jaccard >= 0.5).all()
    assert {tuple(x) for x in nd[["doc_id_a", "doc_id_b"]].to_numpy()} == {
        ("cd-20220309", "pps-20220308"), ("csw-20221206", "eb-20221207")}


def test_figures_have_sidecars_and_manifest_has_no_absolute_paths(run_dir: Path) -> None:
    figs = run_dir / "figures"
    stems = {p.stem for p in figs.glob("*.pdf")}
    assert len(stems) >= 10
    for stem in stems:
        for ext in ("svg", "png", "csv", "json"):
            assert (figs / f"{stem}.{ext}").exists(), (stem, ext)
        meta = json.loads((figs / f"{stem}.json").read_text(encoding="utf-8"))
        assert meta["corpus_fingerprint"] and meta["package_version"]
    manifest = (run_dir / "tables" / "run.json").read_text(encoding="utf-8")
    assert str(ROOT) not in manifest and "/tmp" not in manifest
    assert json.loads(manifest)["corpus"] == ["data/sample"]


def test_rendering_from_tables_is_byte_identical(run_dir: Path, tmp_path: Path) -> None:
    pipeline.render_figures(run_dir / "tables", tmp_path)
    for p in sorted((run_dir / "figures").iterdir()):
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name


def test_committed_tables_match_a_fresh_run(run_dir: Path) -> None:
    """The sample's committed tables are what the current code produces (make run was re-run)."""
    # tables new in this version are compared once the lead has committed them (make run)
    new = {"sentences"}
    for name in pipeline.TABLES:
        committed = ROOT / "tables" / f"{name}.csv"
        if name in new and not committed.exists():
            continue
        assert (run_dir / "tables" / committed.name).read_bytes() == committed.read_bytes(), committed.name


def test_sentences_table_has_text_and_no_token_tuples(run_dir: Path) -> None:
    sents = pd.read_csv(run_dir / "tables" / "sentences.csv", dtype={"doc_id": str}, keep_default_na=False)
    assert list(sents.columns) == ["doc_id", "sentence_id", "start", "end", "text", "n_words"]
    arts = pd.read_csv(run_dir / "tables" / "articles.csv", dtype={"doc_id": str}, keep_default_na=False)
    text = dict(zip(arts["doc_id"], arts["text"]))
    row = sents.iloc[0]
    assert text[row["doc_id"]][row["start"]:row["end"]] == row["text"]


def test_warmth_figure_is_the_mean_warmth_per_match() -> None:
    """Pooled over a group's matches (articles weighted by their matches), not a mean of article means."""
    from analysis import report

    pm = pd.DataFrame({"period": ["2021", "2021", "2021"], "source": ["A", "A", "A"], "n_matches": [1, 3, 0],
                       "warmth_index": [2.0, 0.0, float("nan")], "density_per_1000": [1.0, 2.0, 6.0]})
    assert report.warmth_by_period(pm).to_dict("records") == [{"period": "2021", "group": "A", "warmth_index": 0.5}]
    assert report.density_by_period(pm)["density_per_1000"].tolist() == [3.0]


# ------------------------------------------------------------------------------------------ CLI errors


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "--corpus", "no/such/folder", "--out", "x"], "no/such/folder"),
        (["run", "--corpus", "pyproject.toml", "--out", "x"], "pyproject.toml"),
        (["run", "--corpus", "data/sample", "--out", "x", "--workers", "0"], "--workers"),
        (["run", "--corpus", "data/sample", "--out", "x", "--column-map", "nonsense"], "--column-map"),
        (["score-sentences", "--in", "no/such.jsonl", "--out", "x.jsonl"], "no/such.jsonl"),
        (["validate", "--gold", "no/such.jsonl"], "no/such.jsonl"),
    ],
)
def test_unusable_arguments_give_one_line_and_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    res = _cli(*[a if a != "x" else str(tmp_path / "x") for a in args])
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], res.stderr


# ------------------------------------------------------------------------------------------ score-sentences


def test_score_sentences_contract(tmp_path: Path) -> None:
    items = [
        {"item": "a", "title": "President Ilham Aliyev received Governor of the Astrakhan Oblast of the Russian Federation",
         "prev": "", "sentence": "Exchange of views took place on issues related to the prospects of cooperation.",
         "tone": 1, "dyad": "XXX-YYY"},
        {"item": "b", "title": "Readout of President Biden's Call with President Zelenskyy of Ukraine",
         "prev": "", "sentence": "The President condemned Russia's brutal attacks on Ukrainian cities."},
        {"item": "c", "title": "Weather", "prev": "", "sentence": "It rained in the capital on Tuesday."},
    ]
    inp = tmp_path / "items.jsonl"
    inp.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["score-sentences", "--in", str(inp), "--out", str(out)]) == 0
    preds = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["item"] for p in preds] == ["a", "b", "c"]
    for p in preds:
        assert list(p) == ["item", "about_ties", "dyad", "tone", "protocol", "score", "home_country"]
        assert isinstance(p["about_ties"], bool) and isinstance(p["protocol"], bool)
    assert preds[0]["about_ties"] and preds[0]["dyad"] == "AZE-RUS" and preds[0]["tone"] == 0 and preds[0]["protocol"]
    assert preds[1]["dyad"] == "RUS-UKR" and preds[1]["tone"] == -1
    assert preds[2] == {"item": "c", "about_ties": False, "dyad": "", "tone": None, "protocol": False, "score": None,
                        "home_country": ""}


def test_score_sentences_never_overwrites_its_input(tmp_path: Path) -> None:
    inp = tmp_path / "items.jsonl"
    inp.write_text('{"item": "a", "title": "", "prev": "", "sentence": "Hello."}\n', encoding="utf-8")
    res = _cli("score-sentences", "--in", str(inp), "--out", str(inp))
    assert res.returncode == 2 and "--out is the input file" in res.stderr
    assert inp.read_text(encoding="utf-8").startswith('{"item": "a"')


def test_score_sentences_ignores_gold_labels(tmp_path: Path) -> None:
    base = {"item": "a", "title": "President of Ukraine met with the Prime Minister of Poland", "prev": "",
            "sentence": "The sides discussed the prospects of bilateral cooperation."}
    outs = []
    for extra in ({}, {"tone": -1, "dyad": "AAA-BBB", "about_ties": False, "protocol": False, "source": "x"}):
        inp = tmp_path / "i.jsonl"
        inp.write_text(json.dumps({**base, **extra}) + "\n", encoding="utf-8")
        main(["score-sentences", "--in", str(inp), "--out", str(tmp_path / "o.jsonl")])
        outs.append((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    assert outs[0] == outs[1]


def test_malformed_items_line_is_reported_with_its_number(tmp_path: Path) -> None:
    inp = tmp_path / "items.jsonl"
    inp.write_text('{"item": "a", "title": "", "prev": "", "sentence": "Hello."}\n{not json\n', encoding="utf-8")
    res = _cli("score-sentences", "--in", str(inp), "--out", str(tmp_path / "o.jsonl"))
    assert res.returncode == 2 and "line 2" in res.stderr and "Traceback" not in res.stderr


def test_validate_prints_the_figures(tmp_path: Path) -> None:
    """On the shipped hand-coded sentences, with nothing beside the checkout."""
    res = _cli("validate", "--out", str(tmp_path), "--bootstrap", "50")
    assert res.returncode == 0, res.stderr
    metrics = pd.read_csv(tmp_path / "tables" / "validation_metrics.csv")
    assert list(metrics.columns) == list(validate.METRIC_COLUMNS)
    assert set(metrics["outlet"]) == {"whitehouse_readouts", "statedept_releases", "whitehouse_briefings", "kremlin_news",
                                      "all"}
    for name in ("validation_confusion_tone_ours", "validation_confusion_tone_vader", "validation_tone_by_outlet"):
        assert (tmp_path / "figures" / f"{name}.pdf").exists()
    # no sentence text is written beside the figures
    assert "sentence" not in (tmp_path / "tables" / "validation_confusion.csv").read_text(encoding="utf-8")
    for metric in ("tone_accuracy", "tone_macro_f1", "tone_macro_f1_minus_vader", "about_ties_f1", "protocol_f1",
                   "dyad_accuracy"):
        assert metric in res.stdout
    assert "leave-one-outlet-out" in res.stdout and "plain VADER" in res.stdout


# ------------------------------------------------------------------------------------------ notebooks


def test_notebooks_are_numbered_thin_and_parameterised() -> None:
    paths = execute.notebook_paths()
    assert [p.name[:2] for p in paths] == ["01", "02", "03", "04", "05", "06"]
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        assert any("parameters" in t for t in tags), p.name
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(len(c.source.splitlines()) <= 12 for c in code), p.name  # logic lives in analysis/
        assert all(c.get("execution_count") is not None for c in code), f"{p.name} is not executed"
        for c in code:
            assert not any(o.get("output_type") == "error" for o in c.outputs), p.name
            assert "metadata" not in c or "execution" not in c.metadata, p.name


def test_parameters_are_injected_after_the_parameters_cell() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("x"),
                nbformat.v4.new_code_cell("CORPUS = 'a'", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(CORPUS)")]
    execute._inject(nb, {"CORPUS": "b", "OUT": "/o"})
    assert nb.cells[2].source == "# Parameters\nCORPUS = 'b'\nOUT = '/o'\n"
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"]
    execute.normalise_notebook(nb)
    assert [c["id"] for c in nb.cells] == ["cell-00", "cell-01", "cell-02", "cell-03"]


def test_single_outlet_corpus_runs_and_keyness_contrasts_periods(tmp_path: Path) -> None:
    rows = []
    for i in range(6):
        year = 2021 + i % 2
        rows.append({"id": f"a{i}", "title": f"President of Ukraine met with the President of Poland {i}",
                     "date": f"{year}-0{1 + i}-10T10:00:00+00:00", "source": "One Outlet", "url": "",
                     "text": "The sides discussed the prospects of bilateral cooperation. "
                             f"The presidents expressed satisfaction with the strategic partnership in {year}."})
    corpus = tmp_path / "one.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    keyness = pipeline.read_tables(tmp_path / "out" / "tables")["keyness"]
    # no second outlet: the latest period against the earliest, stated in target
    assert list(keyness.columns) == list(pipeline.KEYNESS_COLUMNS) and not keyness.empty
    assert set(keyness["target"]) == {"2022 vs 2021"}
    assert (tmp_path / "out" / "figures" / "keyness_2022_vs_2021.png").exists()
    side = json.loads((tmp_path / "out" / "figures" / "keyness_2022_vs_2021.json").read_text(encoding="utf-8"))
    assert side["parameters"]["period"] == "year"
    arts = pipeline.with_period(pipeline.prepare(corpus)[0])
    assert pipeline.keyness_contrast(arts) == ("period", "2022", "2021")
    two = arts.assign(source=["A", "B", "B", "A", "B", "C"])
    assert pipeline.keyness_contrast(two) == ("source", "B", "A")
    # an outlet left without text (e.g. every line of a foreign-language outlet removed) does not count
    emptied = two.assign(text=[t if s != "B" else "" for t, s in zip(two["text"], two["source"])])
    assert pipeline.keyness_contrast(emptied) == ("source", "A", "C")


def test_keyness_skips_an_outlet_without_words() -> None:
    """An outlet whose articles have no word left after cleaning makes keyness neither raise nor list it."""
    from analysis import phrases, segment

    text = "The sides discussed the prospects of bilateral cooperation and the strategic partnership. "
    arts = pd.DataFrame({"doc_id": ["a1", "a2", "a3", "f1", "f2"], "title": ["t"] * 5,
                         "text": [text * 3] * 3 + ["", "..."], "source": ["English"] * 3 + ["French"] * 2,
                         "url": [""] * 5,
                         "date": pd.to_datetime(["2021-01-01", "2022-01-01", "2022-02-01", "2022-01-01",
                                                 "2022-01-01"], utc=True)})
    arts = pipeline.with_period(arts)
    sents = segment.segment_articles(arts, splitter=pipeline.fit_context(arts).splitter)
    table = pipeline.keyness_table(phrases.word_stream(sents), arts, min_frequency=1)
    # one outlet with words: its latest period against the earliest
    assert set(table["target"]) == {"2022 vs 2021"}
    two = arts.assign(source=["English", "English", "Other", "French", "French"])
    table = pipeline.keyness_table(phrases.word_stream(sents), two, min_frequency=1)
    assert set(table["target"]) == {"English", "Other"}


def test_a_run_replaces_an_earlier_run_and_nothing_else(tmp_path: Path) -> None:
    """A smaller run into the folder of a bigger one leaves none of its files, and keeps the researcher's."""
    rows = []
    for i in range(6):
        rows.append({"id": f"a{i}", "title": f"President of Ukraine met with the President of Poland {i}",
                     "date": f"{2021 + i % 2}-0{1 + i}-10T10:00:00+00:00", "source": ["One", "Two"][i % 2],
                     "url": "", "text": "The sides discussed the prospects of bilateral cooperation. "
                                        "The presidents expressed satisfaction with the strategic partnership."})
    big, small = tmp_path / "big.jsonl", tmp_path / "small.jsonl"
    big.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    small.write_text("".join(json.dumps({**r, "source": "One"}) + "\n" for r in rows[:4]), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(big), "--out", str(out), "--quiet"]) == 0
    assert (out / "figures" / "keyness_one.png").exists()
    mine = [out / "notes.txt", out / "figures" / "my_chart.png", out / "tables" / "my_table.csv",
            out / "figures" / "validation_tone_by_outlet.png"]
    for p in mine:
        p.write_text("mine", encoding="utf-8")
    assert main(["run", "--corpus", str(small), "--out", str(out), "--quiet", "--no-figures"]) == 0
    for p in mine:
        assert p.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["my_chart.png", "validation_tone_by_outlet.png"]
    listed = json.loads((out / "tables" / "run_outputs.json").read_text(encoding="utf-8"))["outputs"]
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p not in mine)
    assert listed == on_disk
    assert not [p for p in out.iterdir() if p.name.startswith(".run-")]  # no staging folder left
    assert json.loads((out / "tables" / "run.json").read_text(encoding="utf-8"))["n_articles"] == 4


def test_read_tables_reads_only_the_named_tables(run_dir: Path) -> None:
    some = pipeline.read_tables(run_dir / "tables", names=("bundles", "dyad_tone", "no_such_table"))
    assert sorted(some) == ["bundles", "dyad_tone"]
    every = pipeline.read_tables(run_dir / "tables")
    pd.testing.assert_frame_equal(some["bundles"], every["bundles"])
    assert set(pipeline.FIGURE_TABLES) <= set(every) and set(pipeline.PAPER_TABLES) <= set(every)


def test_version_is_citable() -> None:
    """`--version`, pyproject, CITATION.cff and the changelog name the same version."""
    import tomllib

    from analysis import __version__

    root = Path(__file__).resolve().parent.parent
    assert tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"] == __version__
    assert f'version: "{__version__}"' in (root / "CITATION.cff").read_text(encoding="utf-8")
    assert f"## {__version__} " in (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (root / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    res = _cli("--version")
    assert res.returncode == 0 and res.stdout.strip() == f"protocol-news-analysis {__version__}"


def test_kwic_command_writes_a_concordance(tmp_path: Path) -> None:
    out = tmp_path / "k.csv"
    res = _cli("kwic", "strategic partnership", "--corpus", str(config.SAMPLE_CORPUS), "--window", "3",
               "--out", str(out))
    assert res.returncode == 0, res.stderr
    k = pd.read_csv(out, keep_default_na=False)
    assert list(k.columns) == ["doc_id", "sentence_id", "left", "keyword", "right", "category", "pattern", "start", "end"]
    assert len(k) >= 3 and set(k["keyword"].str.lower()) == {"strategic partnership"}
    assert all(len(x.split()) <= 3 for x in k["left"])
    stdout = _cli("kwic", "--category", "gratitude", "--corpus", str(config.SAMPLE_CORPUS))
    assert stdout.returncode == 0 and stdout.stdout.startswith("doc_id,sentence_id,left,keyword,right")
    bad = _cli("kwic", "--corpus", str(config.SAMPLE_CORPUS))
    assert bad.returncode == 2 and "needs a PATTERN or --category" in bad.stderr


def test_unusable_out_is_found_before_any_work(tmp_path: Path) -> None:
    f = tmp_path / "a-file"
    f.write_text("x", encoding="utf-8")
    res = _cli("run", "--corpus", str(config.SAMPLE_CORPUS), "--out", str(f), "--quiet")
    assert res.returncode == 2 and "is a file, not a folder" in res.stderr and "Traceback" not in res.stderr


def test_all_records_rejected_writes_the_report_it_points_to(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": ""}\n{"id": "b", "text": 5}\n', encoding="utf-8")
    res = _cli("run", "--corpus", str(bad), "--out", str(tmp_path / "o"), "--quiet")
    assert res.returncode == 2 and "all 2 records were rejected" in res.stderr
    report = pd.read_csv(tmp_path / "o" / "tables" / "cleaning_report.csv", keep_default_na=False)
    assert report["reason"].tolist() == ["empty text", "text is not a string"]


def test_parquet_format_for_the_large_tables(tmp_path: Path) -> None:
    """--format parquet: the large tables as Parquet (same bytes twice), read back like the CSV ones."""
    from analysis import tableio

    arts = pd.DataFrame({"doc_id": ["a", "b"], "title": ["t", "u"], "text": ["x", "y"], "source": ["s", "s"],
                         "url": ["", ""], "period": ["2021", ""],
                         "date": pd.to_datetime(["2021-01-01T10:00:00Z", None], utc=True)})
    tables = {"articles": arts, "events": pd.DataFrame({"doc_id": ["a"], "type": ["call"]})}
    a = tableio.write_run_tables(tables, tmp_path / "a", format="parquet")
    b = tableio.write_run_tables(tables, tmp_path / "b", format="parquet")
    assert [p.name for p in a] == ["articles.parquet", "events.csv"]
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    csv = tableio.write_run_tables(tables, tmp_path / "c")
    assert [p.name for p in csv] == ["articles.csv", "events.csv"]
    from_parquet = pipeline.read_run_tables(tmp_path / "a")
    from_csv = pipeline.read_run_tables(tmp_path / "c")
    assert sorted(from_parquet) == sorted(from_csv) == ["articles", "events"]
    pd.testing.assert_frame_equal(from_parquet["articles"], from_csv["articles"], check_dtype=False)
    with pytest.raises(Exception, match="format"):
        tableio.write_run_tables(tables, tmp_path / "d", format="xlsx")


def test_the_run_summary_says_which_time_based_outputs_undated_articles_miss() -> None:
    arts = pd.DataFrame({"doc_id": ["a", "b"], "period": ["2021", "undated"]})
    assert "1 of 2 articles have no date" in pipeline.undated_note(arts)
    assert "no article has a date" in pipeline.undated_note(arts.assign(period="undated"))
    assert pipeline.undated_note(arts.assign(period="2021")) == ""
