"""Checks that the data card ``data/README.md`` tells the truth about ``data/sample/sample.jsonl``.

Every claim of the card that can be checked from the file is checked here, with
detectors written in this test (simple keyword and regular-expression tests) so
that the sample does not depend on the package modules it is meant to exercise:

* size, outlets, URLs, dates (ISO 8601 with offset, three years, spread over months),
  item length (80-250 whitespace-separated words);
* the item index of the card (id, date, outlet, pair, tone) against the file, with the
  pair recomputed by keyword counting;
* the tone design (cool/negative items carry coded-coolness cues; the ARM-AZE pair
  changes over time);
* the artefact table: for every artefact, the items listed in the card are exactly
  the items in which the detector below finds it;
* the two near-duplicate reposts (word 5-shingle Jaccard >= 0.5, and no other pair);
* the templated outlet;
* the two deliberately bad records at the end of the file;
* that no line or long sentence of the sample is copied from ``../shared/corpora``.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from analysis import config

SAMPLE = config.SAMPLE_CORPUS / "sample.jsonl"
CARD = config.PROJECT_ROOT / "data" / "README.md"
SEED = config.SAMPLE_CORPUS / "000_0239ef98210910e4.txt"

FIELDS = ("id", "title", "date", "source", "url", "text")
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")

# ---------------------------------------------------------------------------- detectors

#: Country keywords (case-sensitive, whole words) for the pair detector of this test.
COUNTRY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "ARM": ("Armenia", "Armenians?", "Yerevan", "Pashinyan", "Mirzoyan", "Grigoryan"),
    "AZE": ("Azerbaijan", "Azerbaijanis?", "Baku", "Aliyev", "Bayramov", "Mustafayev"),
    "CHN": ("China", "Chinese", "Beijing", "Xi Jinping", "Wang Yi", "Qin Gang", "Xie Feng"),
    "DEU": ("Germany", "German", "Berlin", "Scholz", "Merkel"),
    "FRA": ("France", "French", "Franco", "Paris", "Macron", "Elysée"),
    "GBR": ("United Kingdom", "UK", "British", "London", "Johnson", "Sunak", "Westminster"),
    "KAZ": ("Kazakhstan", "Kazakh", "Nur-Sultan", "Astana", "Almaty", "Tokayev", "Akorda",
            "Mamin", "Smailov", "Tileuberdi", "Aktau"),
    "RUS": ("Russia", "Russian", "Moscow", "Kremlin", "Putin", "Lavrov", "Overchuk",
            "Astrakhan", "Hashtrakan", "Samara"),
    "TUR": ("Turkey", "Türkiye", "Turkish", "Ankara", "Erdogan", "Erdoğan", "Kars"),
    "UKR": ("Ukraine", "Ukrainians?", "Kyiv", "Kiev", "Zelenskyy", "Zelensky", "Kuleba", "Odesa"),
    "USA": ("United States", r"U\.S\.", "US", "American", "Washington", "Biden", "Blinken",
            "White House"),
    "UZB": ("Uzbekistan", "Uzbek", "Tashkent", "Samarkand", "Mirziyoyev", "Aripov", "Norov"),
}
_COUNTRY_RES = {
    code: re.compile(r"(?<![\w.])(?:" + "|".join(words) + r")(?!\w)")
    for code, words in COUNTRY_KEYWORDS.items()
}

#: Phrases of coded coolness, condemnation and conflict (lower case).
COOL_CUES: tuple[str, ...] = (
    "frank exchange of views", "noted differences", "noted serious differences", "expressed concern",
    "stern representations", "condemn", "sanction", "war", "aggression", "invasion", "provocat",
    "far apart", "note of protest",
)
#: The strongly coded phrases that a warm item must not contain.
CODED_COOLNESS: tuple[str, ...] = ("frank exchange of views", "noted differences", "stern representations")

TONE_SCORE = {"warm": 1, "neutral": 0, "cool": -1, "negative": -2}

TEMPLATE_LEAD = re.compile(
    r"^President of the Republic of Azerbaijan Ilham Aliyev received "
    r"(?P<name>[^,\n]+), (?P<office>[^\n]+?) of (?P<country>the Republic of [A-Z][^\n.]+|the Russian Federation)\.\n"
)

_HTML_RE = re.compile(r"</?(?:sup|u)>")


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0].strip()


def _repeated_lead(rec: dict) -> bool:
    paras = [p.strip() for p in rec["text"].strip().split("\n\n")]
    return len(paras) > 1 and paras[0] in paras[1:]


def _hard_wrapped(rec: dict) -> bool:
    lines = rec["text"].strip("\n").split("\n")
    body = [ln for ln in lines if ln.strip()]
    return len(body) >= 5 and all(len(ln) <= 72 for ln in body)


#: Artefact name (as written in the card's artefact table) -> detector(record) -> bool.
DETECTORS = {
    "repeated lead paragraph": _repeated_lead,
    "Azerbaijani site boilerplate": lambda r: bool(re.search(r"[əğ].*üçün|izləyin", r["text"])),
    "Russian site boilerplate": lambda r: "Читайте также" in r["text"],
    "Ukrainian closing line": lambda r: "Слава Україні!" in r["text"],
    "recurring English footer": lambda r: "Follow Caspian State Wire on social media for the latest updates." in r["text"],
    "title marker -UPDATED": lambda r: r["title"].endswith("-UPDATED"),
    "title marker (PHOTO)": lambda r: "(PHOTO)" in r["title"],
    "title marker [VIDEO]": lambda r: "[VIDEO]" in r["title"],
    "alias Hashtrakan": lambda r: "Hashtrakan" in r["text"],
    "alias Kiev": lambda r: re.search(r"\bKiev\b", r["text"]) is not None,
    "spelling Turkey": lambda r: re.search(r"\bTurkey\b", r["title"] + "\n" + r["text"]) is not None,
    "spelling Türkiye": lambda r: "Türkiye" in r["title"] + "\n" + r["text"],
    "spelling Zelensky": lambda r: re.search(r"\bZelensky\b", r["title"] + "\n" + r["text"]) is not None,
    "spelling Zelenskyy": lambda r: "Zelenskyy" in r["title"] + "\n" + r["text"],
    "spelling Erdogan": lambda r: re.search(r"\bErdogan\b", r["title"] + "\n" + r["text"]) is not None,
    "spelling Erdoğan": lambda r: "Erdoğan" in r["title"] + "\n" + r["text"],
    "non-breaking space": lambda r: "\u00a0" in r["title"] + r["text"],
    "HTML remnants": lambda r: _HTML_RE.search(r["text"]) is not None,
    "Markdown hard wrap": _hard_wrapped,
    "escaped end marker": lambda r: r["text"].rstrip().endswith("\\###"),
    "cut marker": lambda r: "<...>" in r["text"],
    "paragraphs joined without newlines": lambda r: "\n" not in r["text"],
}


def countries(rec: dict) -> dict[str, int]:
    """Keyword hits per country code in title + text (zero counts left out)."""
    blob = rec["title"] + "\n" + rec["text"]
    counts = {code: len(rx.findall(blob)) for code, rx in _COUNTRY_RES.items()}
    return {code: n for code, n in counts.items() if n}


def detect_pair(rec: dict) -> str | None:
    """The two most mentioned countries, alphabetical and "-" joined; None when ambiguous."""
    ranked = sorted(countries(rec).items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) < 2 or (len(ranked) > 2 and ranked[1][1] == ranked[2][1]):
        return None
    return "-".join(sorted(code for code, _ in ranked[:2]))


def shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[^\W_]+", text.lower())
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


# ---------------------------------------------------------------------------- card parsing

def _section(card: str, heading: str) -> str:
    m = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", card, flags=re.M | re.S)
    assert m, f"data/README.md has no '## {heading}' section"
    return m.group(1)


def _table(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        line = line.strip()
        if not line.startswith("|") or re.fullmatch(r"\|[\s:|-]+\|", line):
            continue
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows[1:]  # drop the header row


def _ids(cell: str) -> list[str]:
    return re.findall(r"`([a-z]+-\d{8})`", cell)


# ---------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def raw_lines() -> list[str]:
    data = SAMPLE.read_bytes()
    text = data.decode("utf-8")  # strict: fails on any invalid byte
    assert not text.startswith("\ufeff"), "sample.jsonl must not start with a BOM"
    assert text.endswith("\n")
    return text.splitlines()


@pytest.fixture(scope="module")
def records(raw_lines: list[str]) -> list[dict]:
    out = []
    for n, line in enumerate(raw_lines, start=1):
        rec = json.loads(line)
        assert isinstance(rec, dict), f"line {n} is not a JSON object"
        assert tuple(rec) == FIELDS, f"line {n}: fields {tuple(rec)}"
        assert all(isinstance(v, str) for v in rec.values()), f"line {n}: non-string value"
        out.append(rec)
    return out


@pytest.fixture(scope="module")
def good(records: list[dict]) -> list[dict]:
    """The records except the two deliberately bad ones at the end."""
    return records[:-2]


@pytest.fixture(scope="module")
def card() -> str:
    return CARD.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def index(card: str) -> list[dict]:
    rows = _table(_section(card, "Item index"))
    keys = ("id", "date", "source", "pair", "kind", "tone")
    out = []
    for row in rows:
        assert len(row) == len(keys), f"item index row {row}"
        d = dict(zip(keys, row))
        d["id"] = d["id"].strip("`")
        out.append(d)
    return out


# ---------------------------------------------------------------------------- basic shape

def test_size_sources_and_urls(good: list[dict], card: str) -> None:
    assert len(good) >= 60
    sources = sorted({r["source"] for r in good})
    assert len(sources) >= 4
    slugs: dict[str, set[str]] = {}
    for r in good:
        m = re.fullmatch(r"https://example\.org/([a-z0-9-]+)/([a-z]+-\d{8})", r["url"])
        assert m, r["url"]
        assert m.group(2) == r["id"], r["url"]
        slugs.setdefault(r["source"], set()).add(m.group(1))
    assert all(len(s) == 1 for s in slugs.values()), slugs
    outlets = _section(card, "Outlets (all fictional)")
    for s in sources:
        assert s in outlets, f"outlet {s!r} is not described in the card"
    assert len({r["id"] for r in good}) == len(good)
    assert all(r["title"].strip() and r["text"].strip() for r in good)


def test_dates_are_iso_with_offset_over_three_years(good: list[dict]) -> None:
    months: dict[int, set[int]] = {}
    for r in good:
        assert ISO_WITH_OFFSET.match(r["date"]), r["date"]
        dt = datetime.fromisoformat(r["date"])
        assert dt.tzinfo is not None
        months.setdefault(dt.year, set()).add(dt.month)
    assert {2021, 2022, 2023} <= set(months)
    for year in (2021, 2022, 2023):
        assert len(months[year]) >= 6, f"{year}: months {sorted(months[year])}"


def test_items_are_short(good: list[dict]) -> None:
    lengths = {r["id"]: len(r["text"].split()) for r in good}
    bad = {k: n for k, n in lengths.items() if not 80 <= n <= 250}
    assert not bad, f"items outside 80-250 words: {bad}"


def test_item_index_matches_file(good: list[dict], index: list[dict]) -> None:
    assert [d["id"] for d in index] == [r["id"] for r in good]
    by_id = {r["id"]: r for r in good}
    for d in index:
        r = by_id[d["id"]]
        assert d["date"] == r["date"][:10], d
        assert d["source"] == r["source"], d
        assert d["tone"] in TONE_SCORE, d


# ---------------------------------------------------------------------------- pairs and tone

def test_pairs_by_keyword_detection(good: list[dict], index: list[dict]) -> None:
    by_id = {r["id"]: r for r in good}
    wrong = {d["id"]: (d["pair"], detect_pair(by_id[d["id"]]), countries(by_id[d["id"]]))
             for d in index if detect_pair(by_id[d["id"]]) != d["pair"]}
    assert not wrong, f"card pair differs from keyword detection: {wrong}"
    per_pair: dict[str, int] = {}
    for d in index:
        per_pair[d["pair"]] = per_pair.get(d["pair"], 0) + 1
    assert sum(1 for n in per_pair.values() if n >= 3) >= 6, per_pair


def test_tone_design(good: list[dict], index: list[dict]) -> None:
    by_id = {r["id"]: r for r in good}
    cool = [d for d in index if d["tone"] in ("cool", "negative")]
    assert len(cool) >= 8
    assert len({d["pair"] for d in cool}) >= 3
    for d in cool:
        text = (by_id[d["id"]]["title"] + " " + by_id[d["id"]]["text"]).lower()
        assert any(c in text for c in COOL_CUES), f"{d['id']} is labelled {d['tone']} but has no cue"
    for d in index:
        if d["tone"] == "warm":
            text = by_id[d["id"]]["text"].lower()
            assert not any(c in text for c in CODED_COOLNESS), f"{d['id']} is labelled warm"
    # the visible change over time: ARM-AZE from cool/negative (2021) to warm/neutral (2023)
    by_year: dict[str, list[int]] = {}
    for d in index:
        if d["pair"] == "ARM-AZE":
            by_year.setdefault(d["date"][:4], []).append(TONE_SCORE[d["tone"]])
    mean = {y: sum(v) / len(v) for y, v in by_year.items()}
    assert mean["2021"] < 0 <= mean["2023"], mean


def test_protocol_formulas_present(good: list[dict], card: str) -> None:
    listed = re.findall(r"^- \"([^\"]+)\"", _section(card, "Protocol formulas"), flags=re.M)
    assert len(listed) >= 8
    blob = "\n".join(r["text"].lower() for r in good)
    missing = [f for f in listed if f.lower() not in blob]
    assert not missing, missing


# ---------------------------------------------------------------------------- artefacts

def test_artefact_table_matches_file(good: list[dict], card: str) -> None:
    rows = _table(_section(card, "Artefacts"))
    names = [row[0].strip("`").replace("\\|", "|") for row in rows]
    assert sorted(names) == sorted(DETECTORS), set(names) ^ set(DETECTORS)
    for row in rows:
        name = row[0].strip("`")
        claimed = set(_ids(row[-1]))
        found = {r["id"] for r in good if DETECTORS[name](r)}
        assert found, f"artefact {name!r} not present"
        assert claimed == found, f"{name}: card lists {sorted(claimed ^ found)} wrongly"


def test_footer_recurs_in_one_outlet(good: list[dict]) -> None:
    hits = [r for r in good if DETECTORS["recurring English footer"](r)]
    assert len(hits) >= 5
    assert len({r["source"] for r in hits}) == 1
    share = len(hits) / sum(r["source"] == hits[0]["source"] for r in good)
    assert share >= 0.2  # enough for a recurring-line boilerplate detector


def test_joined_paragraphs_are_one_outlet(good: list[dict]) -> None:
    joined = {r["source"] for r in good if "\n" not in r["text"]}
    assert len(joined) == 1
    (src,) = joined
    assert all("\n" not in r["text"] for r in good if r["source"] == src)


def test_near_duplicate_reposts(good: list[dict], card: str) -> None:
    section = _section(card, "Near-duplicate reposts")
    claimed = {tuple(sorted(_ids(line))) for line in section.splitlines() if len(_ids(line)) == 2}
    assert len(claimed) == 2
    sh = {r["id"]: shingles(r["text"]) for r in good}
    found = {(a, b) for a, b in itertools.combinations(sorted(sh), 2) if jaccard(sh[a], sh[b]) >= 0.5}
    assert found == claimed
    src = {r["id"]: r["source"] for r in good}
    for a, b in found:
        assert src[a] != src[b]
        assert next(r["text"] for r in good if r["id"] == a) != next(r["text"] for r in good if r["id"] == b)


def test_template_outlet(good: list[dict], card: str) -> None:
    claimed = set(_ids(_section(card, "Templated items")))
    matches = {r["id"]: TEMPLATE_LEAD.match(r["text"]) for r in good}
    found = {k for k, m in matches.items() if m}
    assert found == claimed
    assert len(found) >= 4
    assert len({r["source"] for r in good if r["id"] in found}) == 1
    assert len({matches[k].group("name") for k in found}) == len(found)  # different fillers
    titles = {r["title"] for r in good if r["id"] in found}
    assert all(t.startswith("President Ilham Aliyev received ") for t in titles)


# ---------------------------------------------------------------------------- bad records

def test_two_bad_records_at_end(records: list[dict], good: list[dict], card: str) -> None:
    empty, dup = records[-2], records[-1]
    assert empty["text"] == ""
    assert empty["id"] not in {r["id"] for r in good}
    earlier = [r for r in good if r["id"] == dup["id"]]
    assert len(earlier) == 1
    assert dup["text"].strip() and dup["text"] != earlier[0]["text"]
    # no other bad record anywhere
    assert all(r["text"].strip() for r in good)
    assert len({r["id"] for r in good}) == len(good)
    bad = _section(card, "Deliberately bad records")
    assert f"`{empty['id']}`" in bad and f"`{dup['id']}`" in bad


def test_seed_artefacts_as_described(card: str) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith("-UPDATED")
    body = "\n".join(lines[1:])
    assert "Hashtrakan" in body and "Bütün xəbərləri reklamsız oxumaq üçün" in body
    lead = next(ln for ln in lines[1:] if ln.strip())
    assert body.count(lead) == 2
    assert SEED.name in card


# ---------------------------------------------------------------------------- originality

def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


@pytest.mark.shared
def test_no_text_copied_from_shared_corpora(shared_dir: Path, good: list[dict]) -> None:
    """No line (>= 8 words) or sentence (>= 12 words) of the sample occurs verbatim in the corpora.

    Whitespace is normalised on both sides (the shared corpora are hard-wrapped or
    paragraph-joined).  Short lines such as "Слава Україні!" and short formulas are
    genre conventions, not copied text, and are not checked.
    """
    parts = []
    for path in sorted((shared_dir / "corpora").rglob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                parts.append(_norm(str(rec.get("title", ""))))
                parts.append(_norm(str(rec.get("text", ""))))
    haystack = "\n".join(parts)
    copied = []
    for r in good:
        chunks = [ln for ln in r["text"].split("\n") if len(ln.split()) >= 8]
        chunks += [s for s in re.split(r"(?<=[.!?])\s+", _norm(r["text"])) if len(s.split()) >= 12]
        chunks += [r["title"]] if len(r["title"].split()) >= 8 else []
        copied += [(r["id"], c) for c in chunks if _norm(c) in haystack]
    assert not copied, f"verbatim overlap with ../shared/corpora: {copied[:5]}"
