"""The command line: run parameters (--param, named flags), help texts, notebooks parameters."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis import config, entities, execute, validate
from analysis.__main__ import build_parser, main
from analysis.errors import AnalysisError

ROOT = Path(__file__).resolve().parent.parent


def test_unknown_param_is_one_line_and_exit_2(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "analysis", "run", "--corpus", "data/sample", "--out",
                          str(tmp_path / "o"), "--param", "no_such_key=1"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "no_such_key" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "o").exists()  # checked before any work


@pytest.mark.parametrize("args, message", [
    (["--param", "bundel_n=3"], "did you mean bundle_n"),
    (["--param", "bootstrap_n=lots"], "bootstrap_n"),
    (["--param", "period"], "KEY=VALUE"),
    (["--param", "bundle_n=5-3"], "bundle_n"),
])
def test_bad_params_fail_before_any_work(args: list[str], message: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--corpus", "no/such/corpus", "--out", str(tmp_path / "o"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_named_flags_and_params_reach_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis import pipeline

    seen = {}

    def fake_run(corpus, **kw):  # type: ignore[no-untyped-def]
        seen.update(kw)
        return "ok"

    monkeypatch.setattr(pipeline, "run", fake_run)
    assert main(["run", "--corpus", "c", "--out", "o", "--quiet", "--period", "month", "--lexicon", "lex.yml",
                 "--gazetteer", "g.csv", "--aliases", "a.csv", "--tone-model", "m.json", "--boilerplate", "b.yml",
                 "--stopwords", "default", "--param", "bundle_n=3,5", "--param", "period=quarter"]) == 0
    p = seen["params"]
    assert (p.period, p.lexicon, p.gazetteer, p.aliases, p.tone_model, p.boilerplate, p.stopwords, p.bundle_n) == (
        "month", "lex.yml", "g.csv", "a.csv", "m.json", "b.yml", "default", (3, 5))
    assert seen["workers"] is None  # default: decided by the run from the cores and corpus size


def test_period_choices() -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["run", "--corpus", "c", "--out", "o", "--period", "week"])
    assert exc.value.code == 2


def _help(*args: str) -> str:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sub.choices[args[0]].format_help() if args else parser.format_help()  # type: ignore[union-attr]


@pytest.mark.parametrize("command", ["", "run", "score-sentences", "validate", "train-tone", "kwic", "figures",
                                     "notebooks"])
def test_help_has_no_markup(command: str) -> None:
    text = _help(*([command] if command else []))
    assert "`" not in text and ":func:" not in text and ":class:" not in text


def test_score_sentences_help_lists_its_input_fields() -> None:
    text = " ".join(_help("score-sentences").split())
    for field in ("item", "title", "prev", "sentence", "source", "url", "home_country"):
        assert field in text


def test_notebook_parameters_are_injected_only_when_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat

    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    for name, src in (("01_a.ipynb", 'CORPUS = "x"\nOUT = "."\nPERIOD = "year"\nLEXICON = None\n'),
                      ("02_b.ipynb", 'CORPUS = "x"\nOUT = "."\n')):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(src, metadata={"tags": ["parameters"]})]
        nbformat.write(nb, nbdir / name)
    calls = []
    monkeypatch.setattr(execute, "execute_notebook",
                        lambda p, parameters=None, out_path=None: calls.append((Path(p).name, parameters)) or p)
    execute.execute_all(directory=nbdir, out=tmp_path / "o", parameters={"period": "month", "lexicon": "l.yml",
                                                                          "gazetteer": None}, progress=False)
    first, second = dict(calls[0][1]), dict(calls[1][1])
    assert first["PERIOD"] == "month" and Path(first["LEXICON"]).is_absolute() and "GAZETTEER" not in first
    assert "PERIOD" not in second and "LEXICON" not in second
    calls.clear()
    execute.execute_all(directory=nbdir, corpus=str(config.SAMPLE_CORPUS), progress=False)
    assert all(params is None for _, params in calls)  # defaults: in place, nothing injected
    with pytest.raises(Exception, match="notebooks take no parameter"):
        execute.execute_all(directory=nbdir, parameters={"bundle_n": "3"}, progress=False)


def _tiny_corpus(tmp_path: Path) -> Path:
    lines = (config.SAMPLE_CORPUS / "sample.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_run_progress_on_stderr_unless_quiet_or_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _tiny_corpus(tmp_path)
    monkeypatch.delenv("PROTOCOL_NEWS_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    args = ["run", "--corpus", str(corpus), "--no-figures", "--workers", "1"]
    # default: the loading bar (records) and one bar over the corpus stages (articles) on stderr
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    cap = capsys.readouterr()
    assert "loading" in cap.err and "records" in cap.err
    assert "corpus stages" in cap.err and "paired readouts" in cap.err and "/22" in cap.err  # 11 stages x 2 articles
    assert "records:" in cap.out  # the summary
    # --quiet: nothing on stderr (nor the summary on stdout)
    assert main([*args, "--out", str(tmp_path / "b"), "--quiet"]) == 0
    cap = capsys.readouterr()
    assert cap.err == "" and cap.out == ""
    # PROTOCOL_NEWS_PROGRESS=0 (what make run, make test and the notebooks set): no bar either
    monkeypatch.setenv("PROTOCOL_NEWS_PROGRESS", "0")
    assert main([*args, "--out", str(tmp_path / "c")]) == 0
    cap = capsys.readouterr()
    assert cap.err == "" and "records:" in cap.out
    for sub in ("b", "c"):
        assert (tmp_path / sub / "tables" / "ngrams.csv").read_bytes() == (tmp_path / "a" / "tables" / "ngrams.csv").read_bytes()


def test_validate_takes_the_gazetteer_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr(entities, "load_gazetteer", lambda path=None, *, aliases=None, extra=None:
                        seen.update(path=path, aliases=aliases) or "GAZ")

    def fake_validate(gold, *, train=None, corpora=None, n_boot=1000, gazetteer=None, n_refit=0, blind_outlets=False):
        seen["gazetteer"] = gazetteer
        if n_refit:
            seen["n_refit"] = n_refit
        if blind_outlets:
            seen["blind_outlets"] = True
        raise AnalysisError("stop here")

    monkeypatch.setattr(validate, "validate", fake_validate)
    assert main(["validate", "--gazetteer", "g.csv", "--aliases", "a.csv"]) == 2
    assert seen == {"path": "g.csv", "aliases": "a.csv", "gazetteer": "GAZ"}
    seen.clear()
    assert main(["validate"]) == 2
    assert seen == {"gazetteer": None}  # the bundled gazetteer, loaded by validate itself
    seen.clear()
    assert main(["validate", "--refit", "3"]) == 2
    assert seen == {"gazetteer": None, "n_refit": 3}
    seen.clear()
    assert main(["validate", "--blind-outlets"]) == 2
    assert seen == {"gazetteer": None, "blind_outlets": True}
    text = " ".join(_help("validate").split())
    assert "--gazetteer" in text and "--aliases" in text and "--refit" in text and "--blind-outlets" in text


def _notebook(name: str):  # type: ignore[no-untyped-def]
    return nbformat.read(ROOT / "notebooks" / name, as_version=4)


def _calls(nb, dotted: str) -> list[ast.Call]:  # type: ignore[no-untyped-def]
    """The calls of ``module.function`` *dotted* in the code cells of *nb*."""
    mod, fn = dotted.split(".")
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == fn
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == mod):
                out.append(node)
    return out


def _keyword(call: ast.Call, name: str) -> str | None:
    return next((ast.unparse(k.value) for k in call.keywords if k.arg == name), None)


@pytest.mark.parametrize("name", ["02_protocol_language.ipynb", "04_bilateral_ties.ipynb", "05_validation.ipynb"])
def test_notebooks_that_find_countries_take_the_gazetteer_parameters(name: str) -> None:
    """make run passes --gazetteer/--aliases to the notebooks: those that find country mentions
    (tone, events, validation) take them in their parameters cell and use them."""
    nb = _notebook(name)
    params = next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert "GAZETTEER = None" in params and "ALIASES = None" in params
    loads = _calls(nb, "entities.load_gazetteer")
    assert [(ast.unparse(c.args[0]), _keyword(c, "aliases")) for c in loads] == [("GAZETTEER", "ALIASES")]
    uses = [c for f in ("sentiment.sentence_tone", "sentiment.explain", "events.events", "validate.validate")
            for c in _calls(nb, f)]
    assert uses and all(_keyword(c, "gazetteer") == "gazetteer" for c in uses), name


def test_notebook_02_tone_uses_the_lexicon_in_use() -> None:
    """The protocol flag of notebook 02's tone table comes from the matches of LEXICON."""
    nb = _notebook("02_protocol_language.ipynb")
    assert [_keyword(c, "lexicon") for c in _calls(nb, "protocol.match")] == ["lexicon"]
    assert [_keyword(c, "protocol_matches") for c in _calls(nb, "sentiment.sentence_tone")] == ["matches"]


def test_command_line_start_does_not_import_the_notebook_machinery() -> None:
    """nbformat/nbclient (about a CPU-second of imports) are loaded by the notebooks command only."""
    code = ("import sys, analysis.__main__; "
            "print(sorted(m for m in ('nbformat', 'nbclient', 'analysis.execute') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "[]", res.stdout + res.stderr[-2000:]


def test_notebooks_command_reaches_execute(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(execute, "execute_all", lambda **kw: calls.append(kw))
    assert main(["notebooks", "--period", "month"]) == 0
    assert calls and calls[0]["parameters"] == {"period": "month"}


def test_kwic_into_a_closed_pipe_stops_quietly() -> None:
    """``kwic ... | head -1``: the reader goes away while the table is written; no traceback,
    the shell's status for SIGPIPE, and the first line already written arrives."""
    env = {**os.environ, "PROTOCOL_NEWS_PROGRESS": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "kwic", "the", "--corpus", str(config.SAMPLE_CORPUS),
                             "--window", "20"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does after its line
    err = proc.stderr.read().decode()
    rc = proc.wait(timeout=300)
    assert first.startswith(b"doc_id,sentence_id,left,")
    assert "Traceback" not in err and "Broken pipe" not in err, err
    assert rc == 141
