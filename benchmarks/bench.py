"""Scale test on a generated corpus: every stage, the whole run, and the naive reference.

(The headline benchmark is on real text: ``benchmarks/real.py``.  This one uses the synthetic
corpus of generate.py, which repeats sentences far more than real text; use it for scaling.)

``python benchmarks/bench.py --articles N [--workers W] [--seed S] [--naive-cap C] [--readme]``

1. Generates ``benchmarks/out/corpus_N_S.jsonl`` with generate.py (or reuses it).
2. Runs each stage of our pipeline in this process, one after the other (load, clean,
   fit Punkt, segment, protocol, entities, tone, readability, events, n-grams, bundles,
   collocations, near-duplicates), timing wall seconds; "peak RSS" of a stage is this
   process's peak resident set size *after* that stage (it can only grow).
3. Runs the whole ``python -m analysis run --no-figures`` in a fresh subprocess with 1 and
   with W workers, sampling the RSS of the process tree every 50 ms (psutil): we report
   the peak of the main process and the peak of the sum over the tree (workers included;
   this counts pages that forked workers share with the main process once per process),
   and the peak of the tree's summed proportional set size (PSS, shared pages split among
   the processes that share them; sampled every 200 ms).
4. Runs the naive reference (naive.py) per comparable stage in this process, and prints a
   table with ratios naive/ours measured in this one run.  Throughput (tokens/s) uses the
   corpus size in our tokens for every row, so it is comparable across rows.

``--readme`` writes the table into benchmarks/README.md (between the markers for N).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import naive  # noqa: E402

PACKAGES = ("pandas", "numpy", "nltk", "textstat", "vaderSentiment", "datasketch", "dask",
            "distributed", "psutil")


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (MiB; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    """CPU model, cores, Python and package versions."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vers = {}
    for p in PACKAGES:
        try:
            vers[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            vers[p] = "-"
    mem = ""
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except ImportError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "os": platform.platform(), "packages": vers}


def timed(fn, *args, **kw):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def run_subprocess(corpus: Path, workers: int, engine: str = "local") -> dict[str, float]:
    """The whole CLI run in a fresh process: wall seconds, peak RSS of the main process and of the tree (MiB)."""
    import psutil

    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "analysis", "run", "--corpus", str(corpus), "--out", out, "--no-figures",
               "--workers", str(workers), "--engine", engine, "--quiet"]
        env = dict(os.environ, PROTOCOL_NEWS_PROGRESS="0")
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
        ps = psutil.Process(proc.pid)
        main_peak = tree_peak = pss_peak = 0
        tick = 0
        while proc.poll() is None:
            try:
                procs = [ps] + ps.children(recursive=True)
                rss = []
                pss = []
                for p in procs:
                    try:
                        rss.append(p.memory_info().rss)
                        # proportional set size (pages shared by forked workers counted once in
                        # total): sampled every 4th tick, it is slower to read
                        if tick % 4 == 0:
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
        if proc.returncode != 0:
            raise SystemExit(f"run failed with status {proc.returncode}: {' '.join(cmd)}")
    return {"wall": wall, "main_rss": main_peak / 2**20, "tree_rss": tree_peak / 2**20, "tree_pss": pss_peak / 2**20}


def ours(path: Path) -> tuple[dict[str, tuple[float, float]], int, dict[str, Any]]:
    """Every stage of our pipeline in this process: {stage: (seconds, peak RSS MiB after it)}."""
    from analysis import (
        corpus,
        entities,
        events,
        phrases,
        pipeline,
        protocol,
        readability,
        reuse,
        segment,
        sentiment,
        tone_model,
    )

    p = pipeline.DEFAULTS
    res: dict[str, tuple[float, float]] = {}

    def stage(name: str, fn, *a, **kw):  # type: ignore[no-untyped-def]
        out, s = timed(fn, *a, **kw)
        res[name] = (s, peak_rss_mib())
        return out

    articles, _report = stage("load", corpus.load_corpus, [str(path)])
    articles, _removals = stage("clean", corpus.clean, articles)
    arts = pipeline.with_period(articles, freq=p["period"])
    ctx = stage("fit (Punkt, home countries)", pipeline.fit_context, arts)
    sents = stage("segment", segment.segment_articles, arts, splitter=ctx.splitter)
    n_tokens = int(sum(len(t) for t in sents["tokens"]))
    matches = stage("protocol", protocol.match, sents)
    stage("protocol measures", protocol.article_measures, sents, matches)
    mentions = stage("entities", entities.mentions, sents)
    # as pipeline.document_tables calls it: the protocol matches found above (not found again
    # per sentence), the corpus's home countries, adversaries and party outlets, the model
    model = tone_model.cached_model(ctx.tone_model) if ctx.tone_model else None
    stage("tone", sentiment.sentence_tone, arts, sents, mentions=mentions, source_countries=ctx.home_countries,
          protocol_matches=matches, model=model, adversaries=ctx.adversaries, party_outlets=ctx.party_outlets)
    stage("readability", readability.readability, arts, sents)
    stage("events", events.events, arts, sents)
    stage("ngrams 1-6", phrases.ngrams, sents, n=tuple(p["ngram_n"]), min_frequency=p["ngram_min_frequency"])
    stage("bundles", phrases.bundles, sents, n=tuple(p["bundle_n"]), min_per_million=p["bundle_min_per_million"],
          min_docs=p["bundle_min_docs"])
    stage("collocations", phrases.collocations, sents, window=p["collocation_window"],
          min_frequency=p["collocation_min_frequency"], min_docs=p["collocation_min_docs"])
    stage("templates", reuse.templates, sents, articles=arts, min_docs=p["template_min_docs"])
    stage("near-duplicates", reuse.near_duplicates, arts, k=p["near_duplicate_k"],
          threshold=p["near_duplicate_threshold"])
    return res, n_tokens, {"n_articles": len(arts), "n_sentences": len(sents)}


def reference(path: Path, cap: int) -> dict[str, float]:
    """The naive reference per comparable stage (seconds); near-duplicates extrapolated from *cap*."""
    res: dict[str, float] = {}
    t = time.perf_counter()
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    res["load"] = time.perf_counter() - t
    seg, res["segment"] = timed(naive.segment, records)
    rx = naive.protocol_regex()
    _, res["protocol"] = timed(naive.protocol, records, rx)
    _, res["tone"] = timed(naive.tone, seg)
    _, res["readability"] = timed(naive.readability, records)
    _, res["ngrams 1-6"] = timed(naive.ngrams, seg)
    m = min(cap, len(records))
    _, s = timed(naive.near_duplicates, records, cap=m)
    n = len(records)
    res["near-duplicates"] = s * (n * (n - 1)) / (m * (m - 1)) if m > 1 else s
    res["_near_duplicates_measured"] = s
    res["_near_duplicates_cap"] = m
    res["_protocol_patterns"] = len(naive.PHRASES)
    return res


def count_tokens(path: Path) -> int:
    """Tokens of a corpus file with this project's tokenizer (for --skip-stages)."""
    from analysis.segment import tokenize

    with open(path, encoding="utf-8") as fh:
        return sum(len(tokenize(json.loads(line).get("text", ""))) for line in fh if line.strip())


def table(r: dict[str, Any]) -> str:
    n_tok = r["n_tokens"]
    lines = ["| stage | ours (s) | ours (tokens/s) | peak RSS after (MiB) | naive (s) | naive/ours |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, (s, rss) in r["ours"].items():
        nv = r["naive"].get(name)
        ratio = f"{nv / s:.1f}x" if nv is not None and s > 0 else ""
        nv_s = "" if nv is None else (f"{nv:.2f}" + (" (extrapolated)" if name == "near-duplicates" else ""))
        lines.append(f"| {name} | {s:.2f} | {n_tok / s:,.0f} | {rss:,.0f} | {nv_s} | {ratio} |")
    stage_sum = sum(s for s, _ in r["ours"].values())
    naive_sum = sum(v for k, v in r["naive"].items() if not k.startswith("_"))
    comparable = sum(s for k, (s, _) in r["ours"].items() if k in r["naive"])
    if stage_sum > 0:  # not with --skip-stages
        lines.append(f"| sum of our stages (all) | {stage_sum:.2f} | {n_tok / stage_sum:,.0f} | | | |")
        lines.append(f"| sum, comparable stages only | {comparable:.2f} | | | {naive_sum:.2f} | "
                     f"{naive_sum / comparable:.1f}x |")
    nd_ours = r["ours"].get("near-duplicates", (0.0, 0.0))[0]
    nd_naive = r["naive"].get("near-duplicates", 0.0)
    if comparable - nd_ours > 0:
        lines.append(f"| sum, comparable stages without near-duplicates | {comparable - nd_ours:.2f} | | | "
                     f"{naive_sum - nd_naive:.2f} | {(naive_sum - nd_naive) / (comparable - nd_ours):.1f}x |")
    for key, w in r["whole"].items():
        pss = f" / tree PSS {w['tree_pss']:,.0f}" if w.get("tree_pss") else ""
        lines.append(f"| whole run --no-figures, {key} (subprocess) | {w['wall']:.2f} | {n_tok / w['wall']:,.0f} | "
                     f"main {w['main_rss']:,.0f} / tree {w['tree_rss']:,.0f}{pss} | {naive_sum:.2f} | "
                     f"{naive_sum / w['wall']:.1f}x |")
        if nd_naive:
            lines.append(f"| whole run, {key}, against the naive stages without near-duplicates | {w['wall']:.2f} | | | "
                         f"{naive_sum - nd_naive:.2f} | {(naive_sum - nd_naive) / w['wall']:.1f}x |")
    return "\n".join(lines)


def write_readme(r: dict[str, Any], text: str, command: str) -> None:
    readme = HERE / "README.md"
    body = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    start, end = f"<!-- bench:{r['n_articles_requested']} start -->", f"<!-- bench:{r['n_articles_requested']} end -->"
    m = r["machine"]
    block = "\n".join([
        start,
        f"Command: `{command}`",
        "",
        f"Corpus: {r['meta'].get('n_articles', r['n_articles_requested']):,} articles, {r['n_tokens']:,} tokens "
        f"(our tokenizer), {r['meta'].get('n_sentences', 'n/a (--skip-stages)')} sentences; "
        f"naive near-duplicates measured on the first "
        f"{r['naive']['_near_duplicates_cap']:,} articles ({r['naive']['_near_duplicates_measured']:.2f} s) and "
        f"scaled by pairs; naive protocol: {r['naive']['_protocol_patterns']} phrases in one alternation regex.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        "",
        text,
        end,
    ])
    if start in body and end in body:
        a, rest = body.split(start, 1)
        _, b = rest.split(end, 1)
        body = a + block + b
    else:
        body = body.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, metavar="N")
    ap.add_argument("--workers", type=int, default=2, metavar="W")
    ap.add_argument("--seed", type=int, default=20240613)
    ap.add_argument("--naive-cap", type=int, default=1000, metavar="C",
                    help="articles for the naive all-pairs near-duplicate search (default 1000)")
    ap.add_argument("--skip-stages", action="store_true", help="only the whole runs and the naive reference")
    ap.add_argument("--readme", action="store_true", help="write the table into benchmarks/README.md")
    a = ap.parse_args(argv)

    path = HERE / "out" / f"corpus_{a.articles}_{a.seed}.jsonl"
    if not path.exists():
        generate.write(a.articles, path, seed=a.seed)
    r: dict[str, Any] = {"n_articles_requested": a.articles, "machine": machine()}
    r["whole"] = {}
    for w in sorted({1, a.workers}):
        r["whole"][f"{w} worker" + ("s" if w > 1 else "")] = run_subprocess(path, w)
        print(f"whole run, {w} worker(s): {r['whole']}", file=sys.stderr)
    if a.skip_stages:
        r["ours"], r["n_tokens"], r["meta"] = {}, count_tokens(path), {}
    else:
        r["ours"], r["n_tokens"], r["meta"] = ours(path)
    r["naive"] = reference(path, a.naive_cap)
    text = table(r)
    print(text)
    out = HERE / "out" / f"results_{a.articles}.json"
    out.write_text(json.dumps(r, indent=2, default=str) + "\n", encoding="utf-8")
    if a.readme:
        cmd = "python benchmarks/bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
        write_readme(r, text, cmd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
