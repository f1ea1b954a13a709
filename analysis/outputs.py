"""The output folder of a run: checked before any work, and the files of an earlier run replaced.

A run writes into a staging folder and then moves its files into ``OUT``, removing exactly the
files the earlier run in ``OUT`` wrote (those listed in its ``tables/run_outputs.json``, or for
an output folder of an older version the names it writes) and nothing else.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import config
from .errors import InputError
from .tableio import LARGE_TABLES, TABLES

__all__ = ["OUTPUTS_FILE", "check_out", "replace_outputs", "owned_outputs", "write_manifest"]

#: The file (in ``OUT/tables``) listing the files a run wrote (relative to OUT, itself included);
#: the next run into the same folder removes exactly those before moving its own into place.
OUTPUTS_FILE = "run_outputs.json"


def check_out(out: str | os.PathLike[str]) -> Path:
    """The output folder, checked before any work: created if missing; an existing file, or a
    folder that cannot be written to, is an :class:`~analysis.errors.InputError` naming it."""
    d = Path(out)
    if d.exists() and not d.is_dir():
        raise InputError(f"--out {config.relpath(d, os.getcwd())} is a file, not a folder")
    try:
        d.mkdir(parents=True, exist_ok=True)
        probe = d / ".write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(f"--out {config.relpath(d, os.getcwd())} cannot be written to ({exc.strerror or exc})") from None
    return d


#: Figure names a run wrote before run.json listed its outputs (for an output folder of an older
#: version: these, and ``keyness_*`` figures with a sidecar of this package, are replaced).
_LEGACY_FIGURES: tuple[str, ...] = (
    "articles_per_month", "removals_by_reason", "protocol_profile", "protocol_density_over_time",
    "protocol_warmth_over_time", "readability_vs_density", "top_bundles", "formulaicity_over_time",
    "tone_heatmap", "tone_trends", "event_counts",
)
_FIGURE_EXTENSIONS: tuple[str, ...] = (".pdf", ".svg", ".png", ".csv", ".json")


def owned_outputs(out_dir: Path) -> list[Path]:
    """The files an earlier run wrote into *out_dir*: those listed in its ``tables/run_outputs.json``;
    for a run of an older version (a ``tables/run.json`` without that list), the files of the
    names it writes."""
    tables_dir, figures_dir = out_dir / "tables", out_dir / "figures"
    try:
        listed = json.loads((tables_dir / OUTPUTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        listed = None
    if isinstance(listed, dict) and isinstance(listed.get("outputs"), list):
        found = []
        for rel in map(str, listed["outputs"]):
            parts = Path(rel).parts
            # only files inside tables/ or figures/ of this folder
            if len(parts) > 1 and parts[0] in ("tables", "figures") and ".." not in parts and not Path(rel).is_absolute():
                found.append(out_dir / rel)
        return found
    if not (tables_dir / "run.json").is_file():
        return []
    legacy = [tables_dir / f"{n}.csv" for n in TABLES] + [tables_dir / "run.json"]
    legacy += [tables_dir / f"{n}.parquet" for n in LARGE_TABLES]
    if (tables_dir / "latex").is_dir():
        legacy += [tables_dir / "latex" / f"{n}.{e}" for n in ("protocol_categories", "top_bundles", "dyad_tone")
                   for e in ("tex", "csv")]
    stems = set(_LEGACY_FIGURES)
    if figures_dir.is_dir():
        for side in figures_dir.glob("keyness_*.json"):
            try:
                if "corpus_fingerprint" in json.loads(side.read_text(encoding="utf-8")):
                    stems.add(side.stem)
            except (OSError, ValueError):
                continue
    legacy += [figures_dir / f"{s}{e}" for s in sorted(stems) for e in _FIGURE_EXTENSIONS]
    return legacy


def replace_outputs(staging: Path, out_dir: Path) -> list[str]:
    """Remove the files of the earlier run in *out_dir* (and only those), then move every file of
    *staging* to the same place in *out_dir*, with ``tables/run_outputs.json`` listing them (so
    that the next run replaces exactly these).  Returns the moved files, relative to *out_dir*."""
    files = sorted({f"tables/{OUTPUTS_FILE}"} | {q.relative_to(staging).as_posix()
                                                 for q in staging.rglob("*") if q.is_file()})
    (staging / "tables").mkdir(parents=True, exist_ok=True)
    write_manifest(staging / "tables" / OUTPUTS_FILE, {"outputs": files})
    for p in owned_outputs(out_dir):
        if p.is_file() or p.is_symlink():
            p.unlink()
    for sub in ("tables/latex", "figures", "tables"):
        d = out_dir / sub
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    moved = []
    for p in sorted(staging.rglob("*")):
        if p.is_dir():
            continue
        rel = p.relative_to(staging)
        dest = out_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(p, dest)
        moved.append(rel.as_posix())
    return moved


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
