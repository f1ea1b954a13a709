"""Peak memory of a whole run on a real-text corpus of about N MiB, per stage.

``python benchmarks/memory.py --mb N [N ...] [--workers W] [--shared PATH] [--corpora readouts|all]
[--interval S] [--out PATH]``

1. Builds (or reuses) a real-text JSONL corpus of about N MiB with ``realcorpus.py --mb N``
   (the shared corpora's original articles, then copies with resampled sentences; written to
   ``benchmarks/.cache/``, never committed).  Exits 0 with "skipped: ../shared not found" when
   the shared folder is absent.
2. Runs ``python -m analysis run --corpus X --out TMP --no-figures --quiet`` with the default
   settings (``--workers`` only when given) in a fresh subprocess, and samples its process tree
   (the run and all its children: pool workers, dask processes) every *interval* seconds
   (default 0.1): the sum of the proportional set sizes (PSS, from ``/proc/PID/smaps_rollup``:
   pages shared by forked workers are split between them, so the sum is what the run occupies),
   the sum of resident set sizes (RSS; shared pages counted once per process) and the RSS of
   the main process.  The run appends a line per stage it starts to a file named by
   ``PROTOCOL_NEWS_STAGE_LOG`` (:data:`analysis.resources.STAGE_LOG_ENV`); every sample is
   assigned to the stage running when it was taken, which gives the peak per stage.
3. Prints one line per size and writes ``benchmarks/results/memory.json`` (numbers and machine
   facts only: no text, no paths): per size the corpus (MiB, articles, tokens), wall and CPU
   seconds (``getrusage`` of the run and its reaped children), peak PSS of all processes, peak
   RSS sum, peak main RSS, the peaks per stage, the load average before and after, and the
   slope of the peak PSS against corpus size (MiB per MiB of corpus) when two or more sizes ran.

Without smaps_rollup (not Linux) PSS is left out and only RSS is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import real  # noqa: E402
import realcorpus  # noqa: E402

STAGE_LOG_ENV = "PROTOCOL_NEWS_STAGE_LOG"
MIB = 2**20


def _pss(pid: int) -> int | None:
    """Proportional set size of *pid* in bytes (None where smaps_rollup cannot be read)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def sample_run(cmd: list[str], *, interval: float = 0.1, env: dict[str, str] | None = None
               ) -> tuple[list[tuple[float, int, int, int, int]], subprocess.CompletedProcess[str], float]:
    """Run *cmd* and sample its process tree every *interval* s.

    Returns the samples ``(unix time, PSS sum, RSS sum, main RSS, processes)`` (bytes; PSS sum
    is -1 where PSS is not available), the completed process and its CPU seconds (user + system
    of it and its reaped descendants)."""
    import psutil

    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    samples: list[tuple[float, int, int, int, int]] = []
    have_pss = _pss(os.getpid()) is not None
    while proc.poll() is None:
        t = time.time()
        try:
            procs = [root] + root.children(recursive=True)
        except psutil.Error:
            break
        rss = pss = 0
        main = 0
        for p in procs:
            try:
                r = p.memory_info().rss
            except psutil.Error:
                continue
            rss += r
            if p.pid == proc.pid:
                main = r
            if have_pss:
                pss += _pss(p.pid) or 0  # None: the process ended between the two reads
        samples.append((t, pss if have_pss else -1, rss, main, len(procs)))
        time.sleep(interval)
    out, err = proc.communicate()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    return samples, subprocess.CompletedProcess(cmd, proc.returncode, out, err), cpu


def _stages(log: Path) -> list[tuple[float, str]]:
    if not log.exists():
        return []
    out = []
    for line in log.read_text(encoding="utf-8").splitlines():
        t, _, name = line.partition(" ")
        out.append((float(t), name))
    return out


def per_stage(samples: list[tuple[float, int, int, int, int]], stages: list[tuple[float, str]]) -> dict[str, Any]:
    """Peak PSS sum, RSS sum and main RSS (MiB) of the samples taken while each stage ran
    (before the first stage: ``start``); stages in the order they started."""
    out: dict[str, dict[str, float]] = {}
    names = ["start"] + [n for _, n in stages]
    for name in names:
        out.setdefault(name, {"pss_mib": 0, "rss_sum_mib": 0, "rss_main_mib": 0, "seconds": 0.0})
    k = 0
    prev_t = samples[0][0] if samples else 0.0
    for t, pss, rss, main, _ in samples:
        while k < len(stages) and stages[k][0] <= t:
            k += 1
        d = out[names[k]]
        d["pss_mib"] = max(d["pss_mib"], round(pss / MIB))
        d["rss_sum_mib"] = max(d["rss_sum_mib"], round(rss / MIB))
        d["rss_main_mib"] = max(d["rss_main_mib"], round(main / MIB))
        d["seconds"] = round(d["seconds"] + (t - prev_t), 1)
        prev_t = t
    return out


def measure(corpus: Path, *, workers: int | None, interval: float) -> dict[str, Any]:
    """One run of the pipeline on *corpus* (default settings, ``--no-figures``), sampled."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "stages.log"
        env = dict(os.environ, PROTOCOL_NEWS_PROGRESS="0", PYTHONPATH=str(ROOT), **{STAGE_LOG_ENV: str(log)})
        cmd = [sys.executable, "-m", "analysis", "run", "--corpus", str(corpus), "--out", str(Path(tmp) / "out"),
               "--no-figures", "--quiet"]
        if workers is not None:
            cmd += ["--workers", str(workers)]
        load0 = [round(x, 2) for x in os.getloadavg()]
        t0 = time.perf_counter()
        samples, done, cpu = sample_run(cmd, interval=interval, env=env)
        wall = time.perf_counter() - t0
        if done.returncode != 0:
            raise SystemExit(f"failed with status {done.returncode}: {' '.join(cmd[1:])}\n{done.stderr[-3000:]}")
        stages = _stages(log)
    pss = [s[1] for s in samples]
    return {
        "workers": "default" if workers is None else workers,
        "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
        "peak_pss_all_mib": round(max(pss) / MIB) if pss and min(pss) >= 0 else None,
        "peak_rss_sum_mib": round(max(s[2] for s in samples) / MIB) if samples else 0,
        "peak_rss_main_mib": round(max(s[3] for s in samples) / MIB) if samples else 0,
        "max_processes": max((s[4] for s in samples), default=1),
        "samples": len(samples),
        "load_average_before": load0, "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "stages": per_stage(samples, stages),
    }


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of y against x (None with fewer than two distinct x)."""
    if len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[20.0], metavar="N", help="corpus sizes in MiB of JSONL")
    ap.add_argument("--workers", type=int, default=None, help="default: the run's default (the machine's cores)")
    ap.add_argument("--shared", type=Path, default=None, metavar="PATH")
    ap.add_argument("--corpora", choices=sorted(realcorpus.CORPORA), default="readouts")
    ap.add_argument("--interval", type=float, default=0.1, metavar="S")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "memory.json")
    a = ap.parse_args(argv)
    shared = a.shared or realcorpus.default_shared()
    if not (shared / "corpora").is_dir():
        print(f"skipped: {'../shared' if a.shared is None else shared} not found")
        return 0
    results = []
    for mb in a.mb:
        path, meta = realcorpus.build(shared, 0, corpora=a.corpora, mb=mb)
        r = {"corpus": {k: meta[k] for k in ("corpora", "mib", "articles", "original_articles", "tokens",
                                             "repeated_sentence_share")}}
        r.update(measure(path, workers=a.workers, interval=a.interval))
        results.append(r)
        print(f"{meta['mib']:.1f} MiB, {meta['articles']:,} articles, {meta['tokens']:,} tokens: "
              f"peak PSS all {r['peak_pss_all_mib']} MiB, RSS sum {r['peak_rss_sum_mib']} MiB, "
              f"main {r['peak_rss_main_mib']} MiB; {r['wall_s']} s wall, {r['cpu_s']} CPU-s; "
              f"load {r['load_average_before']} -> {r['load_average_after']}", flush=True)
        for name, d in r["stages"].items():
            print(f"    {name:18s} {d['seconds']:8.1f} s  PSS {d['pss_mib']:6d}  RSS sum {d['rss_sum_mib']:6d}  "
                  f"main {d['rss_main_mib']:6d} MiB")
    doc: dict[str, Any] = {"machine": real.machine(), "settings": "python -m analysis run --no-figures "
                           + ("" if a.workers is None else f"--workers {a.workers} ") + "(defaults otherwise)",
                           "sampling_interval_s": a.interval, "runs": results}
    pts = [(r["corpus"]["mib"], r["peak_pss_all_mib"]) for r in results if r["peak_pss_all_mib"] is not None]
    s = slope(pts)
    if s is not None:
        doc["peak_pss_slope_mib_per_corpus_mib"] = round(s, 2)
        print(f"slope of peak PSS against corpus size: {s:.2f} MiB per MiB")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
