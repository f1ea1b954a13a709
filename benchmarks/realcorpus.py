"""Real-text benchmark corpora: the shared corpora, replicated with resampled sentences.

``python benchmarks/realcorpus.py --tokens N | --mb M [--shared PATH] [--corpora readouts|all] [--cache DIR]``

A corpus of about *N* tokens (or, with ``--mb``, of about *M* MiB of JSONL) is built from the shared development corpora (JSONL with ``id,
title, date, source, url, text``; never committed) and written to the cache folder
(``benchmarks/.cache/``, ignored by git), with a small ``.meta.json`` beside it:

1. The original articles of the chosen corpora, in a seeded random order, are taken whole
   until *N* tokens are reached (at 1 M tokens this is most of the three readout corpora).
2. If the originals are not enough, copies are added: a copy takes a seeded random original
   article's title, date, source and paragraph layout (paragraphs split at blank lines, or at
   line breaks when there are none), and fills every sentence slot with a sentence drawn at
   random from the same source's sentences (sentences split with a plain
   ``(?<=[.!?])\\s+`` rule).  Copies get ids ``<id>~r<k>`` and a ``#r<k>`` URL suffix.

Tokens are counted with the project's tokenizer (``analysis.segment.tokenize``) on the text with
markup tags removed, so HTML does not inflate them.  The share of sentences whose exact text
occurred earlier in the corpus is written to the meta file: it is about 12 % in the originals (with this split rule) and
rises with the number of copies (per-string caches help more on the copies than on new text).

Corpora: ``readouts`` (default) = White House readouts, President of Ukraine (readouts and
addresses) and State Department releases; ``all`` adds the UN General Debate speeches.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: Fixed seed of the resampling (a constant, like ``analysis.config.RANDOM_SEED``).
SEED = 20240613

CORPORA = {
    "readouts": ("whitehouse_readouts", "president_gov_ua_en", "statedept_releases"),
    "all": ("whitehouse_readouts", "president_gov_ua_en", "statedept_releases", "un_general_debate"),
}

_TAG = re.compile(r"<[^>]+>")
_SENT = re.compile(r"(?<=[.!?])\s+")
_PARA = re.compile(r"\n\s*\n")
FIELDS = ("id", "title", "date", "source", "url", "text")


def default_shared() -> Path:
    return ROOT.parent / "shared"


def n_tokens(text: str) -> int:
    """Tokens of *text* with the project's tokenizer, markup tags removed."""
    sys.path.insert(0, str(ROOT))
    from analysis.segment import tokenize

    return len(tokenize(_TAG.sub(" ", text)))


def load(shared: Path, corpora: str) -> list[dict[str, str]]:
    """The original records of the chosen corpora (the six fields, as text)."""
    out = []
    for name in CORPORA[corpora]:
        for f in sorted((shared / "corpora" / name).glob("*.jsonl")):
            with f.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        r = json.loads(line)
                        out.append({k: "" if r.get(k) is None else str(r.get(k)) for k in FIELDS})
    return out


def _layout(text: str) -> list[list[str]]:
    """Paragraphs of *text* as lists of sentences."""
    paras = _PARA.split(text) if _PARA.search(text) else text.split("\n")
    return [[s for s in _SENT.split(p.strip()) if s] for p in paras if p.strip()]


def _line(r: dict[str, str]) -> str:
    return json.dumps(r, ensure_ascii=False) + "\n"


def build(shared: Path, tokens: int, *, corpora: str = "readouts", cache: Path | None = None,
          seed: int = SEED, mb: float | None = None) -> tuple[Path, dict[str, Any]]:
    """Write (or reuse) the corpus of about *tokens* tokens (with *mb*: of about *mb* MiB of
    JSONL instead, whatever the tokens); returns its path and meta data."""
    cache = cache or HERE / ".cache"
    path = cache / (f"real_{corpora}_{tokens}_{seed}.jsonl" if mb is None else f"real_{corpora}_{mb:g}MiB_{seed}.jsonl")
    limit = None if mb is None else int(mb * 2**20)

    def short(total: int, size: int) -> bool:
        return total < tokens if limit is None else size < limit

    meta_path = path.with_suffix(".meta.json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text(encoding="utf-8"))
    recs = load(shared, corpora)
    if not recs:
        raise SystemExit(f"no records under {shared / 'corpora'} for {corpora}")
    rng = random.Random(seed)
    order = list(range(len(recs)))
    rng.shuffle(order)
    counts = [n_tokens(r["text"]) for r in recs]
    out: list[dict[str, str]] = []
    total = size = 0
    for i in order:
        if not short(total, size):
            break
        out.append(recs[i])
        total += counts[i]
        size += len(_line(recs[i]).encode("utf-8"))
    n_orig = len(out)
    pools: dict[str, list[str]] = {}
    layouts = [_layout(r["text"]) for r in recs]
    for r, lay in zip(recs, layouts):
        pools.setdefault(r["source"], []).extend(s for p in lay for s in p)
    k = 0
    while short(total, size):
        i = rng.randrange(len(recs))
        r, pool = recs[i], pools[recs[i]["source"]]
        if not pool:
            continue
        paras = [" ".join(rng.choice(pool) for _ in p) for p in layouts[i]]
        text = "\n\n".join(paras)
        k += 1
        out.append(dict(r, id=f"{r['id']}~r{k}", url=f"{r['url']}#r{k}", text=text))
        total += n_tokens(text)
        size += len(_line(out[-1]).encode("utf-8"))
    seen: set[str] = set()
    n_sent = n_rep = 0
    for r in out:
        for p in _layout(r["text"]):
            for s in p:
                n_sent += 1
                if s in seen:
                    n_rep += 1
                else:
                    seen.add(s)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for r in out:
            fh.write(_line(r))
    meta = {"corpora": list(CORPORA[corpora]), "seed": seed, "tokens_requested": tokens if mb is None else None,
            "mib_requested": mb, "mib": round(size / 2**20, 2), "tokens": total,
            "articles": len(out), "original_articles": n_orig, "resampled_articles": len(out) - n_orig,
            "sentences_split_rule": n_sent, "repeated_sentence_share": round(n_rep / max(n_sent, 1), 4)}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path, meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tokens", type=int, default=1_000_000, metavar="N")
    ap.add_argument("--mb", type=float, default=None, metavar="M",
                    help="about M MiB of JSONL instead of N tokens")
    ap.add_argument("--shared", type=Path, default=None, metavar="PATH")
    ap.add_argument("--corpora", choices=sorted(CORPORA), default="readouts")
    ap.add_argument("--cache", type=Path, default=None, metavar="DIR")
    a = ap.parse_args(argv)
    shared = a.shared or default_shared()
    if not (shared / "corpora").is_dir():
        print(f"skipped: {'../shared' if a.shared is None else shared} not found")
        return 0
    path, meta = build(shared, a.tokens, corpora=a.corpora, cache=a.cache, mb=a.mb)
    print(path)
    print(json.dumps(meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
