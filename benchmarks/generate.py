"""Generate a synthetic protocol-news corpus for benchmarks (JSONL: id, title, date, source, url, text).

``python benchmarks/generate.py --articles N --out PATH.jsonl --seed S``

The articles are built from original templates (written for this benchmark, not copied from
any corpus) filled with varied vocabulary: leaders, countries, cities, ministries, numbers
and dates over 2019-2024, from six fictional outlets.  About 500 tokens per article; some
sentences are cool or negative ("frank exchange of views", "expressed concern"), and about
3% of the articles are near-duplicates of an earlier one (a reworded title and one changed
sentence), as wire copy re-published by another outlet.  Output is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

#: (country, adjective, capital, leader title, leader, foreign minister, other city)
COUNTRIES: list[tuple[str, str, str, str, str, str, str]] = [
    ("Azerbaijan", "Azerbaijani", "Baku", "President", "Ilham Aliyev", "Jeyhun Bayramov", "Ganja"),
    ("Russia", "Russian", "Moscow", "President", "Vladimir Putin", "Sergey Lavrov", "Sochi"),
    ("Turkey", "Turkish", "Ankara", "President", "Recep Tayyip Erdogan", "Mevlut Cavusoglu", "Istanbul"),
    ("Germany", "German", "Berlin", "Chancellor", "Olaf Scholz", "Annalena Baerbock", "Munich"),
    ("France", "French", "Paris", "President", "Emmanuel Macron", "Catherine Colonna", "Marseille"),
    ("Ukraine", "Ukrainian", "Kyiv", "President", "Volodymyr Zelenskyy", "Dmytro Kuleba", "Lviv"),
    ("Kazakhstan", "Kazakh", "Astana", "President", "Kassym-Jomart Tokayev", "Mukhtar Tileuberdi", "Almaty"),
    ("Uzbekistan", "Uzbek", "Tashkent", "President", "Shavkat Mirziyoyev", "Bakhtiyor Saidov", "Samarkand"),
    ("Georgia", "Georgian", "Tbilisi", "Prime Minister", "Irakli Garibashvili", "Ilia Darchiashvili", "Batumi"),
    ("Armenia", "Armenian", "Yerevan", "Prime Minister", "Nikol Pashinyan", "Ararat Mirzoyan", "Gyumri"),
    ("Italy", "Italian", "Rome", "Prime Minister", "Giorgia Meloni", "Antonio Tajani", "Milan"),
    ("Poland", "Polish", "Warsaw", "President", "Andrzej Duda", "Zbigniew Rau", "Krakow"),
    ("China", "Chinese", "Beijing", "President", "Xi Jinping", "Wang Yi", "Shanghai"),
    ("Iran", "Iranian", "Tehran", "President", "Ebrahim Raisi", "Hossein Amir-Abdollahian", "Tabriz"),
    ("Hungary", "Hungarian", "Budapest", "Prime Minister", "Viktor Orban", "Peter Szijjarto", "Debrecen"),
    ("Pakistan", "Pakistani", "Islamabad", "Prime Minister", "Shehbaz Sharif", "Bilawal Bhutto Zardari", "Lahore"),
    ("Japan", "Japanese", "Tokyo", "Prime Minister", "Fumio Kishida", "Yoshimasa Hayashi", "Osaka"),
    ("Egypt", "Egyptian", "Cairo", "President", "Abdel Fattah el-Sisi", "Sameh Shoukry", "Alexandria"),
]

#: (outlet name, index of its home country in COUNTRIES, url slug)
OUTLETS: list[tuple[str, int, str]] = [
    ("Caspian Press Service", 0, "caspian-press"),
    ("Northern State Agency", 1, "northern-state"),
    ("Anatolian Desk", 2, "anatolian-desk"),
    ("Dnipro Presidential Office", 5, "dnipro-office"),
    ("Steppe Telegraph", 6, "steppe-telegraph"),
    ("Silk Road Bulletin", 7, "silk-road"),
]

AREAS = ["energy", "trade", "transport", "logistics", "agriculture", "education", "culture", "tourism",
         "healthcare", "digital technologies", "security", "defence industry", "humanitarian affairs",
         "water management", "green energy", "investment", "finance", "science", "aviation", "customs"]
ADJ_WARM = ["friendly", "fraternal", "strategic", "cordial", "warm", "constructive", "productive", "mutually beneficial"]
ADJ_ALL = ADJ_WARM + ["business-like", "substantive", "detailed", "comprehensive"]
EVENTS = ["the intergovernmental commission", "the business forum", "the joint working group",
          "the expert consultations", "the investment roundtable", "the cultural days",
          "the parliamentary friendship group", "the energy dialogue"]
DOCS = ["memorandum of understanding", "agreement on mutual protection of investments", "joint declaration",
        "roadmap", "protocol on consultations", "programme of cultural cooperation",
        "agreement on air services", "plan of action"]
ISSUES = ["regional security", "the situation in the Middle East", "energy prices", "migration",
          "the transit of goods", "food security", "climate change", "the settlement of the conflict",
          "sanctions", "arms control"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

OPENINGS = {
    "phone_call": [
        "{lt} of {c1} {l1} has had a phone conversation with {lt2} of {c2} {l2}, {outlet} reports.",
        "On {day}, {lt} {l1} held a telephone conversation with {lt2} of {c2} {l2}.",
        "{l1} and {l2} spoke by phone on {day}, the press service said.",
    ],
    "meeting": [
        "{lt} of {c1} {l1} met with {lt2} of {c2} {l2} in {city} on {day}.",
        "A meeting between {lt} {l1} and {lt2} {l2} took place in {city}, {outlet} reports.",
        "{l1} received {lt2} of {c2} {l2}, who is in {c1} on an official visit.",
    ],
    "reception": [
        "{lt} {l1} received a delegation led by the {a2} Minister of Foreign Affairs {m2} in {city}.",
        "On {day}, {l1} received the credentials of the newly appointed Ambassador of {c2}.",
    ],
    "congratulation": [
        "{lt} of {c1} {l1} sent a letter of congratulations to {lt2} of {c2} {l2} on the national holiday.",
        "{l1} congratulated {l2} on the occasion of the Independence Day of {c2}.",
    ],
    "talks": [
        "Talks between the delegations of {c1} and {c2} were held in {city} on {day}.",
        "{c1} and {c2} held a round of political consultations at the level of deputy ministers in {city}.",
    ],
}

BODY = [
    "The sides discussed the current state and prospects of {adj} relations between {c1} and {c2}.",
    "The heads of state noted with satisfaction the {adj} character of cooperation in {area} and {area2}.",
    "{l1} emphasized that trade turnover between the two countries grew by {pct} percent in {year}.",
    "The parties stressed the importance of implementing the agreements reached during the previous visit to {city2}.",
    "It was noted that the volume of bilateral trade reached {num} million US dollars over {period}.",
    "The interlocutors exchanged views on {issue} and on the agenda of {event}.",
    "{l2} thanked his counterpart for the warm hospitality and invited him to visit {c2} at a convenient time.",
    "The invitation was accepted with gratitude, and the dates of the visit will be agreed through diplomatic channels.",
    "The sides agreed to hold the next meeting of {event} in {city2} in {month} {year2}.",
    "Special attention was paid to cooperation in {area}, including joint projects worth {num} million euros.",
    "The leaders welcomed the signing of the {doc} between the ministries of {area} of the two countries.",
    "{m1} and {m2} also held a separate meeting to discuss the preparation of {event}.",
    "The two countries have signed {small} documents since the establishment of diplomatic relations in {estab}.",
    "{l1} expressed confidence that the {adj} ties between the peoples of {c1} and {c2} would continue to strengthen.",
    "According to the press service, the conversation lasted about {small} minutes.",
    "The parties noted the growing number of {a2} companies operating in {c1}, which now exceeds {num}.",
    "The {a1} side informed its partners about the reforms carried out in the field of {area}.",
    "Direct flights between {city} and {city2} will increase to {small} per week from {month}.",
    "The ministers reviewed the implementation of the {doc} signed in {estab2}.",
    "The leaders wished each other good health and success and agreed to stay in contact.",
    "Cooperation within international organizations, including the United Nations, was also discussed.",
    "The {a2} delegation included the ministers of {area} and {area2} and heads of several state companies.",
    "The meeting was also attended by the ambassadors of the two countries, {outlet} said.",
    "The sides expressed readiness to expand cultural and humanitarian exchanges, including student mobility.",
    "In {year}, more than {num} tourists from {c2} visited {c1}, an increase of {pct} percent.",
    "The leaders instructed their governments to prepare a new programme of cooperation in {area} by {month}.",
    "{l2} noted that {c2} attaches great importance to the development of {adj} relations with {c1}.",
    "The sides also touched upon the construction of the new logistics centre near {city2}.",
    "A joint venture for the production of equipment for {area} is expected to open in {year2}.",
    "The heads of delegations underlined the role of {event} in deepening economic ties.",
    "According to official statistics, {a2} investments in the economy of {c1} amounted to {num} million dollars.",
    "The {a1} leader briefed his guest on the outcomes of the recent regional summit held in {city}.",
    "The parties agreed to simplify visa procedures for business people and students.",
    "{m1} said after the talks that the two countries share common approaches to {issue}.",
]

COOL = [
    "The sides held a frank exchange of views on issues where their positions differ.",
    "{l1} expressed concern over the recent statements of {a2} officials regarding {issue}.",
    "The {a1} side voiced its disagreement with the decision on {issue} and called for restraint.",
    "{l2} regretted that the agreed timetable for {event} had not been observed.",
    "Differences remain on {issue}, the press service acknowledged.",
    "The talks were described as difficult, and no joint statement was adopted.",
    "{l1} condemned the provocation and warned that such actions undermine trust between {c1} and {c2}.",
]

CLOSINGS = [
    "Follow {outlet} on social media for the latest news.",
    "Earlier, {l1} and {l2} met on the sidelines of the summit in {city2}.",
    "{outlet} will provide further details on the outcomes of the visit.",
]


def _day(rng: random.Random, date: datetime) -> str:
    return f"{date.day} {MONTHS[date.month - 1]}"


def _fill(tpl: str, v: dict[str, str], rng: random.Random) -> str:
    vals = dict(v)
    vals.update(
        adj=rng.choice(ADJ_ALL), area=rng.choice(AREAS), area2=rng.choice(AREAS), issue=rng.choice(ISSUES),
        event=rng.choice(EVENTS), doc=rng.choice(DOCS), pct=f"{rng.randint(3, 60)}.{rng.randint(0, 9)}",
        num=f"{rng.randint(1, 999):,}" if rng.random() < 0.5 else f"{rng.randint(1, 9)},{rng.randint(100, 999)}",
        small=str(rng.randint(2, 90)), month=rng.choice(MONTHS), period=rng.choice(
            ["the first half of the year", "the past year", "nine months", "the first quarter"]),
        estab=str(rng.randint(1991, 1996)), estab2=str(rng.randint(2005, 2020)),
    )
    return tpl.format(**vals)


def article(i: int, rng: random.Random) -> dict[str, str]:
    """One synthetic article (fields ``id, title, date, source, url, text``)."""
    outlet, home, slug = rng.choice(OUTLETS)
    c1 = COUNTRIES[home]
    c2 = rng.choice([c for k, c in enumerate(COUNTRIES) if k != home])
    start = datetime(2019, 1, 1, tzinfo=timezone.utc)
    date = start + timedelta(minutes=rng.randint(0, 6 * 365 * 24 * 60))
    v = {
        "c1": c1[0], "a1": c1[1], "city": c1[2], "lt": c1[3], "l1": c1[4], "m1": c1[5], "city2": c2[6],
        "c2": c2[0], "a2": c2[1], "lt2": c2[3], "l2": c2[4], "m2": c2[5], "outlet": outlet,
        "day": _day(rng, date), "year": str(date.year - 1), "year2": str(date.year + 1),
    }
    kind = rng.choice(list(OPENINGS))
    title_tpl = {
        "phone_call": "{l1} and {l2} held a phone conversation",
        "meeting": "{lt} {l1} met with {lt2} of {c2}",
        "reception": "{l1} received {a2} delegation",
        "congratulation": "{l1} congratulated {l2}",
        "talks": "{c1} and {c2} held talks in {city}",
    }[kind]
    paras = [_fill(rng.choice(OPENINGS[kind]), v, rng)]
    body = rng.sample(BODY, k=min(len(BODY), rng.randint(25, 31)))
    if rng.random() < 0.25:
        for _ in range(rng.randint(1, 2)):
            body.insert(rng.randrange(len(body) + 1), rng.choice(COOL))
    sents = [_fill(t, v, rng) for t in body]
    k = 0
    while k < len(sents):
        step = rng.randint(2, 4)
        paras.append(" ".join(sents[k : k + step]))
        k += step
    paras.append(_fill(rng.choice(CLOSINGS), v, rng))
    doc_id = f"{slug}-{i:06d}"
    return {
        "id": doc_id,
        "title": _fill(title_tpl, v, rng),
        "date": date.isoformat(),
        "source": outlet,
        "url": f"https://example.org/{slug}/{doc_id}",
        "text": "\n\n".join(paras),
    }


def near_duplicate(orig: dict[str, str], i: int, rng: random.Random) -> dict[str, str]:
    """A re-published copy of *orig* by another outlet: new id/source/date, one sentence changed."""
    outlet, _home, slug = rng.choice(OUTLETS)
    paras = orig["text"].split("\n\n")
    j = rng.randrange(len(paras))
    paras[j] = paras[j] + " The report was published by " + outlet + "."
    doc_id = f"{slug}-{i:06d}"
    date = datetime.fromisoformat(orig["date"]) + timedelta(hours=rng.randint(1, 30))
    return {"id": doc_id, "title": orig["title"] + " - UPDATED", "date": date.isoformat(), "source": outlet,
            "url": f"https://example.org/{slug}/{doc_id}", "text": "\n\n".join(paras)}


def generate(n: int, *, seed: int) -> list[dict[str, str]]:
    """*n* synthetic articles, deterministic for *seed*."""
    rng = random.Random(seed)
    out: list[dict[str, str]] = []
    for i in range(n):
        if out and rng.random() < 0.03:
            out.append(near_duplicate(rng.choice(out), i, rng))
        else:
            out.append(article(i, rng))
    return out


def write(n: int, out: str | Path, *, seed: int) -> Path:
    """Write *n* articles as JSONL to *out* (parent folders created)."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in generate(n, seed=seed):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, metavar="N")
    ap.add_argument("--out", required=True, metavar="PATH.jsonl")
    ap.add_argument("--seed", type=int, default=20240613)
    a = ap.parse_args(argv)
    write(a.articles, a.out, seed=a.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
