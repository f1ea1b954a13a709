"""Execute the project's notebooks reproducibly (what ``make run`` does after the pipeline).

Notebooks are executed in order, in place (default corpus) or into ``OUT/notebooks``
(a researcher's own corpus, so the committed notebooks are not overwritten), with:

* papermill-style parameters: the cell tagged ``parameters`` holds the defaults;
  given parameters are injected in a new cell tagged ``injected-parameters``
  right after it (the same convention as papermill, so ``papermill -p CORPUS ...``
  works too);
* no timing metadata, sequential execution counts and deterministic cell ids, so a
  second run changes no byte;
* ``PYTHONHASHSEED=0`` in the kernel's environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from . import config
from .errors import InputError

__all__ = ["notebook_paths", "execute_notebook", "execute_all", "normalise_notebook"]

#: Notebook metadata keys that vary between runs or machines and are dropped.
VOLATILE_CELL_METADATA: tuple[str, ...] = ("execution", "papermill", "collapsed", "scrolled")


def notebook_paths(directory: str | os.PathLike[str] | None = None) -> list[Path]:
    """The numbered notebooks (``NN_name.ipynb``) of *directory*, in order."""
    d = Path(directory) if directory is not None else config.PROJECT_ROOT / "notebooks"
    return sorted(p for p in d.glob("[0-9][0-9]_*.ipynb"))


def normalise_notebook(nb) -> None:  # type: ignore[no-untyped-def]
    """Drop volatile metadata and give every cell a deterministic id (in place)."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        for out in cell.get("outputs", []):
            if "metadata" in out:
                out["metadata"] = {k: v for k, v in out["metadata"].items() if k not in VOLATILE_CELL_METADATA}


def _inject(nb, parameters: Mapping[str, object]):  # type: ignore[no-untyped-def]
    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    idx = next((i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), None)
    if idx is None:
        raise InputError("notebook has no cell tagged 'parameters'")
    src = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(idx + 1, cell)


def _has_parameter(path: Path, name: str) -> bool:
    """Whether the ``parameters`` cell of the notebook at *path* assigns *name*."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            return any(line.split("=", 1)[0].strip() == name for line in cell.source.splitlines() if "=" in line)
    return False


def execute_notebook(
    path: str | os.PathLike[str],
    *,
    parameters: Mapping[str, object] | None = None,
    out_path: str | os.PathLike[str] | None = None,
    timeout: int = 1200,
    kernel_name: str = "python3",
) -> Path:
    """Execute one notebook and write it (in place unless *out_path* is given).

    The kernel runs in the notebook's own directory, so relative paths in the
    ``parameters`` cell are relative to ``notebooks/``.
    """
    src = Path(path)
    nb = nbformat.read(src, as_version=4)
    if parameters:
        _inject(nb, parameters)
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["PROTOCOL_NEWS_PROGRESS"] = "0"  # stored outputs never contain a progress bar
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(src.parent)}},
        record_timing=False,
    )
    client.execute()
    normalise_notebook(nb)
    dest = Path(out_path) if out_path is not None else src
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return dest


#: Run parameters (:class:`analysis.params.Params`) a notebook may take, as the variable of its
#: ``parameters`` cell; injected only when given and only into notebooks that assign the variable.
NOTEBOOK_PARAMETERS: dict[str, str] = {
    "period": "PERIOD",
    "lexicon": "LEXICON",
    "gazetteer": "GAZETTEER",
    "aliases": "ALIASES",
    "tone_model": "TONE_MODEL",
    "boilerplate": "BOILERPLATE",
    "stopwords": "STOPWORDS",
    "outlets": "OUTLETS",
    "home_country": "HOME_COUNTRY",
}

#: Those of :data:`NOTEBOOK_PARAMETERS` that name a file (injected as absolute paths).
_FILE_PARAMETERS: frozenset[str] = frozenset({"lexicon", "gazetteer", "aliases", "tone_model", "boilerplate",
                                              "stopwords", "outlets"})


def execute_all(
    *,
    corpus: Sequence[str] | str | None = None,
    out: str | os.PathLike[str] | None = None,
    gold: str | os.PathLike[str] | None = None,
    directory: str | os.PathLike[str] | None = None,
    progress: bool = True,
    parameters: Mapping[str, object] | None = None,
) -> list[Path]:
    """Execute every numbered notebook in order.

    With the default corpus, output and gold file (the bundled sample, the project root,
    the shipped hand-coded sentences) and no *parameters* the notebooks are executed in place.
    Otherwise the parameters ``CORPUS``, ``OUT`` and ``GOLD`` are injected as absolute paths
    (``GOLD`` only into notebooks that have it) and executed copies are written to
    ``OUT/notebooks/``.

    *parameters*: run parameters by their :class:`analysis.params.Params` name (``period``,
    ``lexicon``, ``gazetteer``, ``aliases``, ``tone_model``, ``boilerplate``, ``stopwords``; None
    values are ignored), injected as the notebook variables of :data:`NOTEBOOK_PARAMETERS`
    (``PERIOD``, ``LEXICON``, ...; files as absolute paths, ``stopwords="default"`` as given) into
    the notebooks whose ``parameters`` cell assigns them.  An unknown name is an
    :class:`~analysis.errors.InputError`.
    """
    given: dict[str, object] = {}
    for name, value in (parameters or {}).items():
        if name not in NOTEBOOK_PARAMETERS:
            raise InputError(f"notebooks take no parameter {name!r} (they take: {', '.join(NOTEBOOK_PARAMETERS)})")
        if value is None:
            continue
        if name in _FILE_PARAMETERS and not (name == "stopwords" and value == "default"):
            value = str(Path(os.fspath(value)).resolve())  # type: ignore[arg-type]
        given[NOTEBOOK_PARAMETERS[name]] = value
    paths = notebook_paths(directory)
    if not paths:
        raise InputError(f"no notebooks found in {directory or 'notebooks/'}")
    corpora = [corpus] if isinstance(corpus, str) else list(corpus or [])
    gold_path = Path(gold).resolve() if gold is not None else config.CODED_SENTENCES.resolve()
    default = (
        (not corpora or (len(corpora) == 1 and Path(corpora[0]).resolve() == config.SAMPLE_CORPUS.resolve()))
        and (out is None or Path(out).resolve() == config.DEFAULT_OUT.resolve())
        and gold_path == config.CODED_SENTENCES.resolve()
        and not given
    )
    if not corpora:
        corpora = [str(config.SAMPLE_CORPUS)]
    unused = sorted(k for k in given if not any(_has_parameter(p, k) for p in paths))
    if unused and progress:
        print(f"note: no notebook takes {', '.join(unused)} (not injected)", flush=True)
    written = []
    for p in paths:
        if progress:
            print(f"executing {p.name}", flush=True)
        if default:
            written.append(execute_notebook(p))
        else:
            out_dir = Path(out if out is not None else ".").resolve()
            params: dict[str, object] = {
                "CORPUS": [str(Path(c).resolve()) for c in corpora] if len(corpora) > 1 else str(Path(corpora[0]).resolve()),
                "OUT": str(out_dir),
            }
            if _has_parameter(p, "GOLD"):
                params["GOLD"] = str(gold_path)
            params.update({k: v for k, v in given.items() if _has_parameter(p, k)})
            written.append(execute_notebook(p, parameters=params, out_path=out_dir / "notebooks" / p.name))
    return written
