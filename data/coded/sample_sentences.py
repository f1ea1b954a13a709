"""Draw the sentences of the project's hand-coded set from the development corpora.

Maintainer script, run once to build the coding batches; nothing in the package, the
notebooks or ``make`` runs it.  It needs the development corpora, passed explicitly::

    python data/coded/sample_sentences.py --shared PATH/TO/shared --out data/coded/batches

Design (also in data/coded/README.md):

* Outlets: White House readouts (CC0) and State Department releases (U.S. federal works),
  whose sentences ship as text; President of Ukraine (protocol items and addresses) and UN
  General Debate speeches, whose labels ship as standoff (record id + character offsets into
  the record's raw ``text``), rebuilt by :mod:`analysis.coded` when the corpora are present.
* Articles that contribute to the external gold files (``gold/*.jsonl``) are excluded, so the
  external check stays external.
* Sentences are the package's own units (cleaned text, Punkt trained on the outlet).  For the
  standoff outlets only sentences that occur verbatim in the raw text are eligible.
* Per outlet a fixed number of articles is drawn at random (seeded) and at most ``per_article``
  sentences from each; a quarter of each outlet's quota is drawn from sentences with a
  conflict or criticism cue (``CUE``), so the negative class is not left to chance.  The
  stratum of every item is recorded.
* Round 2 (``--round 2``, items ``pc-1550`` on) adds 400 items weighted toward the registers
  the first round had least of (speeches and addresses: President of Ukraine 150, UN General
  Debate 150; White House 50, State Department 50), from articles that contributed no item to
  round 1 or to the gold files.  Per outlet a quarter comes from the cue stratum, half from
  sentences naming at least one country of the package's gazetteer (``country``: speeches name
  the other side less often, and round 1's UN items were only 17% about ties), the rest at
  random.
* Round 3 (``--round 3``, items ``pc-1950`` on) adds 400 items weighted toward the spoken and
  first-person register (remarks, press availabilities, statements, addresses), where warm
  statements carry no protocol formula and criticism is argued rather than named: State
  Department 160, President of Ukraine 160, White House 80 (no UN General Debate, which round 2
  weighted), from articles that contributed no item to rounds 1-2 or to the gold files.  Per
  outlet a quarter comes from the cue stratum, half from sentences in the first person plural
  or singular (``we``, ``our``, ``us``, ``I``) that name a country of the gazetteer
  (``first_person``), the rest at random.
* Round 4 (``--round 4``, items ``pc-2350`` on) adds 400 items weighted toward sentences that
  name two or more countries, where the pair a sentence is mainly about is hardest to find (a
  third country discussed in a readout, criticism of one state in talks with another; exact
  pair was the weakest leave-one-outlet-out figure of sentence model 1.15.0): State Department
  120, President of Ukraine 100, UN General Debate 100, White House 80, from articles that
  contributed no item to rounds 1-3 or to the gold files.  Per outlet a quarter comes from the
  cue stratum, half from sentences naming at least two distinct countries of the gazetteer
  (``multi_country``), the rest at random.
* Round 5 (``--round 5 --briefings DIR``, items ``pc-2750`` on) adds a fifth outlet in the
  register the four lack: spokesperson press-conference transcripts.  White House press
  briefings and background press calls 2021-2024 (``whitehouse_briefings``: the Briefing Room's
  ``press-briefings`` category as Markdown files with a front matter, e.g. a checkout of the
  CC0 scrape github.com/brian14708/wh-briefings; U.S. federal works), converted to plain text by
  :func:`briefing_records`.  300 items: a quarter from the cue stratum, half from sentences
  naming a country of the gazetteer (``country``; most of a briefing is domestic), the rest at
  random; at most 3 per briefing.
* Round 6 (``--round 6 --kremlin FILE``, items ``pc-3050`` on) adds a sixth outlet of a register
  none of the five has: a head of state's own site whose items are readouts, greetings and long
  transcripts of talks and remarks, in a non-Western voice.  The English news of the President of
  Russia's site (``kremlin_news``; en.kremlin.ru, 24 October 2021 - 24 June 2022, 816 items as
  scraped with their lead and body in the CSV ``press_release_data/putin.csv`` of
  github.com/PeiYiZhuo/zelenskyy-putin; the site's content is licensed CC BY 4.0), converted by
  :func:`kremlin_records`.  300 items: a quarter from the cue stratum, half from sentences naming
  a country of the gazetteer, the rest at random; at most 3 per item.
* Round 7 (``--round 7 --mfa DIR``, items ``pc-3350`` on) adds a seventh outlet: the regular
  press conferences of the spokesperson of China's Ministry of Foreign Affairs (``china_mfa_pressconf``;
  fmprc.gov.cn, May 2018 - July 2020, 472 English transcripts as cached by the Scrapy crawler of
  github.com/cwang23/china_fm, commit 2ac2f2a81de945419fc0b45bedc18556d7d95951, folder
  ``chinafm_scraper/.scrapy/httpcache/chinafm``), converted by :func:`mfa_records`: a foreign
  ministry's spokesperson answering journalists, the register of one of the issue's unseen
  outlets.  No licence is stated, so the labels ship as standoff.  300 items drawn as in round 6.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import html
import json
import random
import re
from pathlib import Path

import pandas as pd
import yaml

from analysis import corpus as corpus_mod
from analysis import entities, segment

SEED = 20261202
SEED_ROUND2 = 20261203
FIRST_ITEM_ROUND2 = 1550
SEED_ROUND3 = 20261204
FIRST_ITEM_ROUND3 = 1950
SEED_ROUND4 = 20261205
FIRST_ITEM_ROUND4 = 2350
SEED_ROUND5 = 20261206
FIRST_ITEM_ROUND5 = 2750
BRIEFINGS = "whitehouse_briefings"
SEED_ROUND6 = 20261207
FIRST_ITEM_ROUND6 = 3050
SEED_ROUND7 = 20261208
FIRST_ITEM_ROUND7 = 3350
KREMLIN = "kremlin_news"
MFA = "china_mfa_pressconf"
FIRST_PERSON = re.compile(r"\b(we|our|ours|us|I)\b")
CUE = re.compile(
    r"\b(condemn\w*|aggression|concern\w*|sanction\w*|war|invasion|attack\w*|threat\w*|"
    r"violat\w*|criticis\w*|oppos\w*|reject\w*|urg\w+|sabotag\w*|tension\w*|dispute\w*|"
    r"provocat\w*|protest\w*|accus\w*|destabili\w*|unacceptable|deplor\w*|hostil\w*|"
    r"coerc\w*|occup\w*|brutal\w*|atrocit\w*|disagree\w*|differences)\b",
    re.I,
)

#: outlet key -> (corpus files under shared/corpora, quota, ships_text)
OUTLETS: dict[str, tuple[list[str], int, bool]] = {
    "whitehouse_readouts": (["whitehouse_readouts/readouts.jsonl"], 450, True),
    "statedept_releases": (["statedept_releases/articles.jsonl"], 450, True),
    "president_gov_ua_en": (["president_gov_ua_en/protocol.jsonl", "president_gov_ua_en/other.jsonl"], 400, False),
    "un_general_debate": (["un_general_debate/speeches.jsonl"], 250, False),
}
#: round 2 quotas per outlet
QUOTA_ROUND2: dict[str, int] = {
    "whitehouse_readouts": 50, "statedept_releases": 50, "president_gov_ua_en": 150, "un_general_debate": 150,
}
#: round 3 quotas per outlet
QUOTA_ROUND3: dict[str, int] = {
    "whitehouse_readouts": 80, "statedept_releases": 160, "president_gov_ua_en": 160, "un_general_debate": 0,
}
#: round 4 quotas per outlet
QUOTA_ROUND4: dict[str, int] = {
    "whitehouse_readouts": 80, "statedept_releases": 120, "president_gov_ua_en": 100, "un_general_debate": 100,
}
#: round 5 quotas per outlet (the briefings only)
QUOTA_ROUND5: dict[str, int] = {BRIEFINGS: 300}
#: round 6 quotas per outlet (the Kremlin's English news only)
QUOTA_ROUND6: dict[str, int] = {KREMLIN: 300}
#: round 7 quotas per outlet (the Chinese foreign ministry's press conferences only)
QUOTA_ROUND7: dict[str, int] = {MFA: 300}

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+.!<>|-])")
_MD_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,2}([^*_\n]+?)[*_]{1,2}(?!\w)")


def briefing_records(folder: Path) -> list[dict]:
    """Press briefings as corpus records (``id, title, date, source, url, text``).

    *folder* holds ``press-briefings/YYYY-MM/*.md``: a YAML front matter (``title``, ``date``,
    ``source_url``) and the transcript in Markdown, hard-wrapped.  The text is rebuilt as
    published: a line ending in two spaces or followed by a blank line ends a paragraph
    (paragraphs are joined by a blank line), other line breaks are spaces; Markdown escapes
    (``\\[``) and emphasis markers are removed.  Records sorted by file name; ``id`` is
    ``wh-briefing-`` and the file's stem.
    """
    out = []
    for f in sorted((folder / "press-briefings").glob("*/*.md")):
        raw = f.read_text(encoding="utf-8")
        _, front, body = raw.split("---\n", 2)
        meta = yaml.safe_load(front)
        paras: list[str] = []
        cur: list[str] = []
        for line in body.split("\n"):
            text = line.strip()
            if text:
                cur.append(text)
            if (not text or line.endswith("  ")) and cur:
                paras.append(" ".join(cur))
                cur = []
        if cur:
            paras.append(" ".join(cur))
        text = "\n\n".join(_MD_EMPHASIS.sub(r"\1", _MD_ESCAPE.sub(r"\1", p)) for p in paras)
        out.append({"id": "wh-briefing-" + f.stem, "title": " ".join(str(meta["title"]).split()),
                    "date": str(meta["date"]), "source": BRIEFINGS, "url": str(meta.get("source_url", "")),
                    "text": text})
    return out


def kremlin_records(csv_path: Path) -> list[dict]:
    """The Kremlin's English news as corpus records (``id, title, date, source, url, text``).

    *csv_path* has the columns ``link, headline, date, location, summary, body`` (one row per
    item; the scrape joined each item's paragraphs with spaces).  The text is the lead
    (``summary``) and the body, separated by a blank line; ``id`` is ``kremlin-`` and the item's
    number in its address.  Records in file order.
    """
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    out = []
    for r in frame.itertuples(index=False):
        lead, body = str(r.summary).strip(), str(r.body).strip()
        out.append({"id": "kremlin-" + str(r.link).rstrip("/").rsplit("/", 1)[-1], "title": str(r.headline).strip(),
                    "date": str(r.date), "source": KREMLIN, "url": str(r.link),
                    "text": "\n\n".join(t for t in (lead, body) if t)})
    return out


_MFA_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_MFA_CONTENT = re.compile(r'<div class="content">(.*?)</div>', re.S | re.I)
_MFA_PARA = re.compile(r"</p\s*>", re.I)
_MFA_TAG = re.compile(r"<[^>]+>")
_MFA_DATE = re.compile(r"\bon ([A-Z][a-z]+) (\d{1,2})(?:st|nd|rd|th)?,?(?: (\d{4}))?")
_MFA_TNUM = re.compile(r"/t(\d+)\.shtml$")
_MONTHS = {m: i for i, m in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"), 1)}


def mfa_records(folder: Path) -> list[dict]:
    """The Chinese foreign ministry's English press-conference transcripts as corpus records.

    *folder* is a Scrapy HTTP cache (``<fingerprint>/meta`` and ``response_body`` per page,
    at any depth).  Kept: pages of the English regular press conferences (title "... Regular
    Press Conference ..."), one record per address.  The text is the page's ``<div
    class="content">``, one paragraph per ``<P>`` (tags removed, entities unescaped, white space
    collapsed), paragraphs joined by a blank line.  The date comes from the title ("on September
    26, 2018"); a title without the year takes it from the nearest page (by the number in its
    address, which the site assigns in order of publication) whose title has one; a title with
    no date leaves it empty.  ``id`` is ``mfa-`` and that number; records in its order.
    """
    pages: dict[str, dict] = {}
    for meta_path in sorted(folder.glob("**/meta")):
        meta = ast.literal_eval(meta_path.read_text(encoding="utf-8"))
        url = str(meta.get("url", ""))
        body_path = meta_path.with_name("response_body")
        tnum = _MFA_TNUM.search(url)
        if "/mfa_eng/" not in url or tnum is None or not body_path.exists():
            continue
        page = body_path.read_bytes().decode("utf-8")
        t = _MFA_TITLE.search(page)
        c = _MFA_CONTENT.search(page)
        title = " ".join(html.unescape(t.group(1)).split()) if t else ""
        if c is None or "Regular Press Conference" not in title:
            continue
        paras = [" ".join(html.unescape(_MFA_TAG.sub(" ", p)).split()) for p in _MFA_PARA.split(c.group(1))]
        text = "\n\n".join(p for p in paras if p)
        if text:
            pages[url] = {"id": "mfa-" + tnum.group(1), "title": title, "url": url, "text": text,
                          "_n": int(tnum.group(1))}
    recs = sorted(pages.values(), key=lambda r: r["_n"])
    parsed = [_MFA_DATE.search(r["title"]) for r in recs]
    dated = [(r["_n"], int(m.group(3))) for r, m in zip(recs, parsed) if m and m.group(3)]
    out = []
    for r, m in zip(recs, parsed):
        date = ""
        if m and m.group(1) in _MONTHS:
            year = int(m.group(3)) if m.group(3) else min(dated, key=lambda d: abs(d[0] - r["_n"]))[1]
            date = f"{year:04d}-{_MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}"
        out.append({"id": r["id"], "title": r["title"], "date": date, "source": MFA, "url": r["url"],
                    "text": r["text"]})
    return out


def _raw_records(paths: list[Path]) -> dict[str, dict]:
    out = {}
    for p in paths:
        for line in p.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                r = json.loads(line)
                out[str(r["id"])] = r
    return out


def _eligible(outlet: str, paths: list[Path], exclude: set[str], ships_text: bool) -> pd.DataFrame:
    raw = _raw_records(paths)
    articles, _ = corpus_mod.load_corpus([str(p) for p in paths])
    articles = articles[~articles["doc_id"].isin(exclude)]
    articles, _ = corpus_mod.clean(articles)
    sents = segment.sentences(articles)
    titles = dict(zip(articles["doc_id"], articles["title"]))
    dates = dict(zip(articles["doc_id"], articles["date"].astype(str)))
    rows = []
    for doc_id, g in sents.groupby("doc_id", sort=True):
        texts = g["text"].tolist()
        rawtext = str(raw[doc_id]["text"])
        cursor = 0
        for i, t in enumerate(texts):
            t = t.strip()
            words = len(t.split())
            if words < 5 or words > 80:
                continue
            rec = {
                "outlet": outlet, "article_id": doc_id, "title": titles[doc_id], "date": dates[doc_id],
                "sentence": t, "prev": texts[i - 1].strip() if i else "", "sentence_index": i,
            }
            if not ships_text:
                s = rawtext.find(t, cursor)
                if s < 0:
                    continue
                cursor = s + len(t)
                rec.update(start=s, end=s + len(t))
                if i:
                    ps = rawtext.rfind(rec["prev"], 0, s)
                    if ps < 0:
                        continue
                    rec.update(prev_start=ps, prev_end=ps + len(rec["prev"]))
                else:
                    rec.update(prev_start=0, prev_end=0)
            rec["cue"] = bool(CUE.search(t))
            rec["first_person"] = bool(FIRST_PERSON.search(t))
            found = _gazetteer().find(t)
            rec["country"] = any(m.kind == "country" or m.country for m in found)
            rec["n_countries"] = len({m.country for m in found if m.country})
            rows.append(rec)
    return pd.DataFrame(rows)


def _gazetteer() -> entities.Gazetteer:
    return entities.default_gazetteer()


def _draw(frame: pd.DataFrame, plan: list[tuple[str, int, pd.DataFrame]], rng: random.Random,
          per_article: int) -> pd.DataFrame:
    """Fill each stratum of *plan* (name, total wanted so far, pool) in turn, at most *per_article* per article."""
    taken: list[int] = []
    strata: list[str] = []
    per: dict[str, int] = {}
    for name, want, pool in plan:
        idx = pool.index.tolist()
        rng.shuffle(idx)
        for i in idx:
            if len(taken) >= want:
                break
            a = frame.at[i, "article_id"]
            if i in taken or per.get(a, 0) >= per_article:
                continue
            taken.append(i)
            strata.append(name)
            per[a] = per.get(a, 0) + 1
    out = frame.loc[taken].copy()
    out["stratum"] = strata
    return out


def draw_round2(frame: pd.DataFrame, quota: int, rng: random.Random, per_article: int = 3) -> pd.DataFrame:
    """Round 2: a quarter cue, half naming a country, the rest random; at most *per_article* per article."""
    return _draw(frame, [("cue", quota // 4, frame[frame["cue"]]),
                         ("country", quota // 4 + quota // 2, frame[frame["country"]]),
                         ("random", quota, frame)], rng, per_article)


def draw_round3(frame: pd.DataFrame, quota: int, rng: random.Random, per_article: int = 3) -> pd.DataFrame:
    """Round 3: a quarter cue, half first person naming a country, the rest random."""
    fp = frame[frame["first_person"] & frame["country"]]
    return _draw(frame, [("cue", quota // 4, frame[frame["cue"]]),
                         ("first_person", quota // 4 + quota // 2, fp),
                         ("random", quota, frame)], rng, per_article)


def draw_round4(frame: pd.DataFrame, quota: int, rng: random.Random, per_article: int = 3) -> pd.DataFrame:
    """Round 4: a quarter cue, half naming two or more distinct countries, the rest random."""
    return _draw(frame, [("cue", quota // 4, frame[frame["cue"]]),
                         ("multi_country", quota // 4 + quota // 2, frame[frame["n_countries"] >= 2]),
                         ("random", quota, frame)], rng, per_article)


def draw(frame: pd.DataFrame, quota: int, rng: random.Random, per_article: int = 3) -> pd.DataFrame:
    """Draw *quota* sentences: a quarter with a conflict cue, at most *per_article* per article."""
    return _draw(frame, [("cue", quota // 4, frame[frame["cue"]]), ("random", quota, frame)], rng, per_article)


#: round -> (seed, first item number, number of the first batch file, per-outlet quotas (None: the
#: quotas of OUTLETS), draw function); an outlet with quota 0 is left out of the round
ROUND_PLANS = {
    1: (SEED, 0, 1, None, draw),
    2: (SEED_ROUND2, FIRST_ITEM_ROUND2, 4, QUOTA_ROUND2, draw_round2),
    3: (SEED_ROUND3, FIRST_ITEM_ROUND3, 6, QUOTA_ROUND3, draw_round3),
    4: (SEED_ROUND4, FIRST_ITEM_ROUND4, 8, QUOTA_ROUND4, draw_round4),
    5: (SEED_ROUND5, FIRST_ITEM_ROUND5, 10, QUOTA_ROUND5, draw_round2),
    6: (SEED_ROUND6, FIRST_ITEM_ROUND6, 14, QUOTA_ROUND6, draw_round2),
    7: (SEED_ROUND7, FIRST_ITEM_ROUND7, 18, QUOTA_ROUND7, draw_round2),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--round", type=int, choices=sorted(ROUND_PLANS), default=1)
    ap.add_argument("--briefings", type=Path, help="round 5: folder with press-briefings/YYYY-MM/*.md")
    ap.add_argument("--kremlin", type=Path, help="round 6: the scrape's putin.csv")
    ap.add_argument("--mfa", type=Path, help="round 7: the crawler's HTTP cache folder")
    args = ap.parse_args()
    if args.round == 5 and args.briefings is None:
        ap.error("--round 5 needs --briefings")
    if args.round == 6 and args.kremlin is None:
        ap.error("--round 6 needs --kremlin")
    if args.round == 7 and args.mfa is None:
        ap.error("--round 7 needs --mfa")
    exclude: set[str] = set()
    if args.round >= 2:
        here = Path(__file__).resolve().parent
        for f in ("coded_sentences.jsonl", "standoff.jsonl"):
            for line in (here / f).read_text(encoding="utf-8").split("\n"):
                if line.strip():
                    exclude.add(str(json.loads(line)["article_id"]))
    for g in sorted((args.shared / "gold").glob("*.jsonl")):
        for line in g.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                exclude.add(str(json.loads(line)["article_id"]))
    seed, first, first_batch, quotas, draw_round = ROUND_PLANS[args.round]
    rng = random.Random(seed)
    drawn = []
    outlets = OUTLETS
    urls: dict[str, str] = {}
    if args.round in (5, 6, 7):
        args.out.mkdir(parents=True, exist_ok=True)
        key = {5: BRIEFINGS, 6: KREMLIN, 7: MFA}[args.round]
        # never shipped; round 7's is the corpus file its standoff labels point into
        # (analysis.coded.STANDOFF_CORPORA: pass args.out as --corpora)
        corpus_file = args.out / MFA / "transcripts.jsonl" if args.round == 7 else args.out / f"{key}_corpus.jsonl"
        corpus_file.parent.mkdir(parents=True, exist_ok=True)
        records = {5: lambda: briefing_records(args.briefings), 6: lambda: kremlin_records(args.kremlin),
                   7: lambda: mfa_records(args.mfa)}[args.round]()
        with open(corpus_file, "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        urls = {r["id"]: r["url"] for r in records}
        outlets = {key: ([str(corpus_file.resolve())], 0, args.round != 7)}
    for outlet, (files, quota, ships) in outlets.items():
        if quotas is not None:
            quota = quotas.get(outlet, 0)
        if not quota:
            continue
        frame = _eligible(outlet, [args.shared / "corpora" / f for f in files], exclude, ships)
        d = draw_round(frame.reset_index(drop=True), quota, rng)
        d["ships_text"] = ships
        drawn.append(d)
        print(f"{outlet}: {len(frame)} eligible sentences, {len(d)} drawn ({(d['stratum'] == 'cue').sum()} cue)")
    items = pd.concat(drawn, ignore_index=True)
    if urls:  # the item's web address, as a researcher's items carry it (outlet -> home country)
        items["url"] = [urls[a] for a in items["article_id"]]
    order = list(range(len(items)))
    rng.shuffle(order)
    items = items.iloc[order].reset_index(drop=True)
    items["item"] = [f"pc-{first + i:04d}" for i in range(len(items))]
    items["sha1"] = [hashlib.sha1(s.encode("utf-8")).hexdigest()[:12] for s in items["sentence"]]
    args.out.mkdir(parents=True, exist_ok=True)
    items.to_json(args.out / "items.jsonl", orient="records", lines=True, force_ascii=False)
    n = len(items)
    for b in range(args.batches):
        part = items.iloc[b * n // args.batches:(b + 1) * n // args.batches]
        with open(args.out / f"batch{first_batch + b}.jsonl", "w", encoding="utf-8") as fh:
            for r in part.itertuples():
                fh.write(json.dumps({"item": r.item, "source": r.outlet, "date": r.date, "title": r.title,
                                     "prev": r.prev, "sentence": r.sentence}, ensure_ascii=False) + "\n")
    print(f"{n} items in {args.batches} batches -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
