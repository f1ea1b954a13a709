"""Assemble the shipped hand-coded set from two independent coding passes and an adjudication.

Maintainer script (not run by the package, make or the notebooks)::

    # 1. the items that the two passes coded differently, for the adjudicator
    python data/coded/build_coded.py disagreements --items ITEMS.jsonl --pass-a A/ --pass-b B/ --out DIS.jsonl
    # 2. after adjudication: write the shipped files and the agreement table
    python data/coded/build_coded.py assemble --items ITEMS.jsonl --pass-a A/ --pass-b B/ \
        --adjudication ADJ.jsonl --out data/coded
    # or, for a later round (sample_sentences.py --round 2): add its items to the shipped files,
    # which are read back; the agreement table is recomputed over all items, per round too
    python data/coded/build_coded.py append --items ITEMS2.jsonl --pass-a A2/ --pass-b B2/ \
        --adjudication ADJ2.jsonl --out data/coded

ITEMS.jsonl is the output of ``sample_sentences.py``; A/ and B/ hold the passes' batch files
(``batch*.jsonl``: ``item, about_ties, dyad, tone, protocol``).  The adjudication file has one
line per disagreement: ``item, about_ties, dyad, tone, protocol, note``.

Written to --out: ``coded_sentences.jsonl`` (outlets whose text may ship), ``standoff.jsonl``
(the others: offsets and checksum, no text; those of the outlets in ``OWN_STANDOFF``, whose corpus
is not among the development corpora, in a file of their own), ``passes/pass_a.jsonl`` and ``pass_b.jsonl``
(labels only), ``adjudication.csv`` (every disagreement, both codes, the final label, the
adjudicator's note) and ``agreement.csv`` (Cohen's kappa per field and outlet).
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

FIELDS = ("about_ties", "dyad", "tone", "protocol")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").split("\n") if x.strip()]


def read_pass(folder: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for f in sorted(folder.glob("batch*.jsonl")):
        for r in read_jsonl(f):
            out[r["item"]] = {k: r[k] for k in FIELDS}
    return out


def cohen_kappa(a: list, b: list) -> float:
    """Cohen's (1960) kappa of two codings of the same items (nominal categories)."""
    n = len(a)
    if n == 0:
        return float("nan")
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def differing(a: dict, b: dict) -> list[str]:
    if a["about_ties"] != b["about_ties"]:
        return ["about_ties"] + [f for f in ("protocol",) if a[f] != b[f]]
    out = [f for f in ("dyad", "tone") if a["about_ties"] and a[f] != b[f]]
    return out + [f for f in ("protocol",) if a[f] != b[f]]


#: item ranges of the coding rounds (sample_sentences.py), reported separately in agreement.csv
ROUNDS = (("round 1 (pc-0000-pc-1549)", 0, 1550), ("round 2 (pc-1550-pc-1949)", 1550, 1950),
          ("round 3 (pc-1950-pc-2349)", 1950, 2350), ("round 4 (pc-2350-pc-2749)", 2350, 2750),
          ("round 5 (pc-2750-pc-3049)", 2750, 3050), ("round 6 (pc-3050-pc-3349)", 3050, 3350),
          ("round 7 (pc-3350-pc-3649)", 3350, 3650))
#: standoff outlets whose labels go to a file of their own (their corpus is not among the development
#: corpora, so the main standoff file stays rebuildable from those alone)
OWN_STANDOFF = {"china_mfa_pressconf": "standoff_mfa.jsonl"}


def _round(item: str) -> str:
    k = int(item.split("-")[1])
    return next(name for name, lo, hi in ROUNDS if lo <= k < hi)


def agreement(items: list[dict], A: dict, B: dict) -> list[dict]:
    rows = []
    groups = {"all": items}
    rounds = {_round(it["item"]) for it in items}
    if len(rounds) > 1:
        for it in items:
            groups.setdefault(_round(it["item"]), []).append(it)
    for it in items:
        groups.setdefault(it["outlet"], []).append(it)
    for g, its in groups.items():
        ids = [it["item"] for it in its]
        both = [i for i in ids if A[i]["about_ties"] and B[i]["about_ties"]]
        for fld, sel in (("about_ties", ids), ("protocol", ids), ("tone", both), ("dyad", both)):
            a = [A[i][fld] for i in sel]
            b = [B[i][fld] for i in sel]
            rows.append({"outlet": g, "field": fld, "n": len(sel),
                         "percent_agreement": round(100 * sum(x == y for x, y in zip(a, b)) / len(sel), 1) if sel else "",
                         "cohen_kappa": round(cohen_kappa(a, b), 3) if sel else "",
                         "items": "all items" if fld in ("about_ties", "protocol") else "items both passes coded about ties"})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("step", choices=("disagreements", "assemble", "append"))
    ap.add_argument("--items", type=Path, required=True)
    ap.add_argument("--pass-a", type=Path, required=True)
    ap.add_argument("--pass-b", type=Path, required=True)
    ap.add_argument("--adjudication", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    items = read_jsonl(args.items)
    A, B = read_pass(args.pass_a), read_pass(args.pass_b)
    missing = [it["item"] for it in items if it["item"] not in A or it["item"] not in B]
    if missing and args.step == "disagreements":  # passes still running: list what both have coded
        print(f"note: {len(missing)} items not yet coded by both passes are left out")
        items = [it for it in items if it["item"] in A and it["item"] in B]
    elif missing:
        raise SystemExit(f"{len(missing)} items lack a code in one pass (first: {missing[:5]})")
    dis = {it["item"]: differing(A[it["item"]], B[it["item"]]) for it in items}
    if args.step == "disagreements":
        with args.out.open("w", encoding="utf-8") as fh:
            for it in items:
                if dis[it["item"]]:
                    fh.write(json.dumps({"item": it["item"], "source": it["outlet"], "title": it["title"],
                                         "prev": it["prev"], "sentence": it["sentence"], "fields": dis[it["item"]],
                                         "coder_1": A[it["item"]], "coder_2": B[it["item"]]}, ensure_ascii=False) + "\n")
        print(f"{sum(1 for v in dis.values() if v)} of {len(items)} items differ -> {args.out}")
        return 0
    adj = {r["item"]: r for r in read_jsonl(args.adjudication)} if args.adjudication else {}
    if args.step == "assemble":  # a first round: the same as adding it to empty shipped files
        (args.out / "passes").mkdir(parents=True, exist_ok=True)
        for name in ("coded_sentences.jsonl", "standoff.jsonl", "passes/pass_a.jsonl", "passes/pass_b.jsonl"):
            (args.out / name).write_text("", encoding="utf-8")
        (args.out / "adjudication.csv").write_text("item,outlet,field,pass_a,pass_b,final,note\n", encoding="utf-8")
    return append(items, A, B, dis, adj, args.out)


def _final(it: dict, A: dict, dis: dict, adj: dict) -> dict:
    i = it["item"]
    if not dis[i]:
        return dict(A[i])
    if i not in adj:
        raise SystemExit(f"item {i} differs between the passes and has no adjudication")
    return {k: adj[i][k] for k in FIELDS}


def _shipped_row(it: dict, lab: dict, agreed: bool) -> tuple[bool, dict]:
    if not lab["about_ties"]:
        lab = {**lab, "dyad": "", "tone": None}
    common = {"item": it["item"], "article_id": it["article_id"], "source": it["outlet"], "date": it["date"]}
    if it.get("url"):
        common["url"] = it["url"]
    tail = {**lab, "agreed": agreed, "stratum": it["stratum"]}
    if it["ships_text"]:
        return True, {**common, "title": it["title"], "prev": it["prev"], "sentence": it["sentence"], **tail}
    return False, {**common, "start": int(it["start"]), "end": int(it["end"]), "prev_start": int(it["prev_start"]),
                   "prev_end": int(it["prev_end"]), "sha1": it["sha1"], **tail}


def append(items: list[dict], A: dict, B: dict, dis: dict, adj: dict, out: Path) -> int:
    """Add a later round's items to the shipped files in *out* (read back, rewritten in item order)."""
    text = read_jsonl(out / "coded_sentences.jsonl")
    off = read_jsonl(out / "standoff.jsonl")
    held = [r for f in sorted(set(OWN_STANDOFF.values())) if (out / f).exists() for r in read_jsonl(out / f)]
    old_a = {r["item"]: {k: r[k] for k in FIELDS} for r in read_jsonl(out / "passes" / "pass_a.jsonl")}
    old_b = {r["item"]: {k: r[k] for k in FIELDS} for r in read_jsonl(out / "passes" / "pass_b.jsonl")}
    known = {r["item"] for r in text + off + held}
    clash = sorted(known & {it["item"] for it in items})
    if clash:
        raise SystemExit(f"{len(clash)} items are already in {out} (first: {clash[:5]})")
    with (out / "adjudication.csv").open(encoding="utf-8", newline="") as fh:
        adj_rows = list(csv.DictReader(fh))
    for it in items:
        i = it["item"]
        lab = _final(it, A, dis, adj)
        for f in dis[i]:
            adj_rows.append({"item": i, "outlet": it["outlet"], "field": f, "pass_a": json.dumps(A[i][f]),
                             "pass_b": json.dumps(B[i][f]), "final": json.dumps(lab[f]), "note": adj[i].get("note", "")})
        ships, row = _shipped_row(it, lab, not dis[i])
        (text if ships else held if it["outlet"] in OWN_STANDOFF else off).append(row)
    A_all, B_all = {**old_a, **A}, {**old_b, **B}
    everything = [{"item": r["item"], "outlet": r["source"]} for r in text + off + held]
    everything.sort(key=lambda r: r["item"])
    for name, P in (("pass_a", A_all), ("pass_b", B_all)):
        with (out / "passes" / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for it in everything:
                fh.write(json.dumps({"item": it["item"], **P[it["item"]]}) + "\n")
    adj_rows.sort(key=lambda r: r["item"])
    with (out / "adjudication.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["item", "outlet", "field", "pass_a", "pass_b", "final", "note"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(adj_rows)
    with (out / "agreement.csv").open("w", encoding="utf-8", newline="") as fh:
        rows = agreement(everything, A_all, B_all)
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    files = [("coded_sentences.jsonl", text), ("standoff.jsonl", off)]
    files += [(f, [r for r in held if OWN_STANDOFF[r["source"]] == f]) for f in sorted(set(OWN_STANDOFF.values()))
              if any(OWN_STANDOFF[r["source"]] == f for r in held)]
    for name, rows in files:
        with (out / name).open("w", encoding="utf-8") as fh:
            for r in sorted(rows, key=lambda r: r["item"]):
                fh.write(json.dumps(r, ensure_ascii=name != "coded_sentences.jsonl") + "\n")
    print(f"appended {len(items)} items ({sum(1 for it in items if dis[it['item']])} adjudicated) -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
