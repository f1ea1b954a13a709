"""The project's hand-coded sentences: loading, and rebuilding the standoff part.

Two files in ``data/coded/`` (see its README, the data card):

* ``coded_sentences.jsonl``: sentences of outlets whose text may be redistributed (White
  House readouts, CC0; U.S. State Department releases, U.S. federal works), with their
  text, context and labels (the fields of the gold files: ``item, article_id, source,
  date, title, prev, sentence, about_ties, dyad, tone, protocol, agreed``);
* ``standoff.jsonl``: labels on sentences of outlets whose text may not be redistributed,
  as record id and character offsets into the record's raw ``text`` (``start, end,
  prev_start, prev_end``) plus a checksum of the sentence; :func:`load_standoff` rebuilds
  the text from a folder of the corpora when a maintainer has them, and skips nothing
  silently: a record or checksum that does not match raises.

A third file, ``standoff_mfa.jsonl``, holds standoff labels on the regular press conferences
of China's Ministry of Foreign Affairs, whose corpus is not among the development corpora (it is
built from a public crawler cache by ``data/coded/sample_sentences.py --round 7``, see the data
card); :func:`load_gold` reads it, or any gold file, text or standoff.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis import config
from analysis.errors import InputError

__all__ = ["GOLD_FIELDS", "STANDOFF_MFA", "LABELS", "corpus_found", "is_standoff", "load_gold", "load_items", "load_standoff",
           "shipped_standoff", "STANDOFF_CORPORA", "sha1_12"]

#: Fields every gold item has (the gold files' contract).
GOLD_FIELDS: tuple[str, ...] = ("item", "article_id", "title", "prev", "sentence", "about_ties", "dyad", "tone", "protocol")
#: The coded fields.
LABELS: tuple[str, ...] = ("about_ties", "dyad", "tone", "protocol")
#: Corpus files of the standoff outlets, relative to a corpora folder.
STANDOFF_CORPORA: dict[str, tuple[str, ...]] = {
    "president_gov_ua_en": ("president_gov_ua_en/protocol.jsonl", "president_gov_ua_en/other.jsonl"),
    "un_general_debate": ("un_general_debate/speeches.jsonl",),
    # built from the crawler cache by data/coded/sample_sentences.py (mfa_records); not in the
    # development corpora
    "china_mfa_pressconf": ("china_mfa_pressconf/transcripts.jsonl",),
}
#: Standoff labels on the Chinese foreign ministry's press conferences (their corpus is built by
#: the round-7 sampling script, not part of the development corpora).
STANDOFF_MFA: Path = config.CODED_SENTENCES.with_name("standoff_mfa.jsonl")

Folders = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def sha1_12(text: str) -> str:
    """First 12 hex digits of the SHA-1 of *text* (UTF-8): the checksum of a standoff sentence."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _check_item(obj: Any, where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object")
    missing = [k for k in GOLD_FIELDS if k not in obj]
    if missing:
        raise InputError(f"{where}: missing field(s) {', '.join(missing)}")
    if not isinstance(obj["about_ties"], bool) or not isinstance(obj["protocol"], bool):
        raise InputError(f"{where}: about_ties and protocol must be true or false")
    if obj["tone"] not in (-1, 0, 1, None) or isinstance(obj["tone"], bool):
        raise InputError(f"{where}: tone must be -1, 0, 1 or null, got {obj['tone']!r}")
    if obj["about_ties"] and obj["tone"] is None:
        raise InputError(f"{where}: an about-ties item needs a tone")
    if not isinstance(obj["dyad"], str):
        raise InputError(f"{where}: dyad must be a string")
    return obj


def _read_jsonl(path: Path) -> Iterable[tuple[int, Any]]:
    name = config.relpath(path)
    if not path.is_file():
        raise InputError(f"{name}: file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 (byte {exc.start})") from None
    for ln, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield ln, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name} line {ln}: not valid JSON ({exc.msg})") from None


def load_items(path: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Hand-coded items of a gold-format JSONL file (default: the shipped coded sentences).

    Raises
    ------
    analysis.errors.InputError
        Missing file, a malformed line or a label outside the codebook's values, with the
        line named.
    """
    p = Path(path) if path is not None else config.CODED_SENTENCES
    items = [_check_item(obj, f"{config.relpath(p)} line {ln}") for ln, obj in _read_jsonl(p)]
    if not items:
        raise InputError(f"{config.relpath(p)}: no items")
    return items


def _folders(corpora: Folders) -> list[Path]:
    if isinstance(corpora, (str, os.PathLike)):
        return [Path(corpora)]
    return [Path(c) for c in corpora]


def _locate(roots: list[Path], f: str) -> Path | None:
    """The corpus file *f* in the first of *roots* that holds it, or None."""
    return next((r / f for r in roots if (r / f).is_file()), None)


def _records(roots: list[Path], files: Iterable[str]) -> dict[str, Mapping[str, Any]]:
    """Records of the corpus *files*, each read from the first of *roots* that holds it."""
    out: dict[str, Mapping[str, Any]] = {}
    for f in files:
        where = _locate(roots, f) or (roots[0] / f if roots else Path(f))
        for _, obj in _read_jsonl(where):
            out[str(obj["id"])] = obj
    return out


def corpus_found(source: str, corpora: Folders) -> bool:
    """Whether every corpus file of the standoff outlet *source* (:data:`STANDOFF_CORPORA`) is
    in one of the folders *corpora*."""
    roots = _folders(corpora)
    return all(_locate(roots, f) is not None for f in STANDOFF_CORPORA[source])


def shipped_standoff(corpora: Folders) -> tuple[list[dict[str, Any]], list[str]]:
    """The standoff part of the shipped set rebuilt from *corpora*: ``standoff.jsonl``, plus
    ``standoff_mfa.jsonl`` when its corpus is in one of the folders; and a note saying so when it
    is not (nothing left out silently)."""
    items = load_standoff(corpora=corpora)
    if corpus_found("china_mfa_pressconf", corpora):
        return items + load_standoff(STANDOFF_MFA, corpora=corpora), []
    return items, [f"{STANDOFF_MFA.name} not used: its corpus ({STANDOFF_CORPORA['china_mfa_pressconf'][0]}) is in "
                   "none of the corpora folders (data/coded/README.md says how to build it)"]


def is_standoff(path: str | os.PathLike[str]) -> bool:
    """Whether the JSONL file at *path* holds standoff labels (offsets and checksum, no text):
    its first record has ``start``, ``end`` and ``sha1`` and no ``sentence``."""
    for _, obj in _read_jsonl(Path(path)):
        return isinstance(obj, dict) and {"start", "end", "sha1"} <= set(obj) and "sentence" not in obj
    return False


def load_gold(path: str | os.PathLike[str], *, corpora: Folders | None = None) -> list[dict[str, Any]]:
    """Items of a gold file with text (:func:`load_items`), or of a standoff file rebuilt from
    *corpora* (:func:`load_standoff`).

    Raises
    ------
    analysis.errors.InputError
        As :func:`load_items` or :func:`load_standoff`; a standoff file without *corpora*.
    """
    if is_standoff(path):
        if corpora is None:
            raise InputError(f"{config.relpath(Path(path))}: standoff labels (offsets, no text): give the folder "
                             "of the corpora they point into (--corpora)")
        return load_standoff(path, corpora=corpora)
    return load_items(path)


def load_standoff(
    path: str | os.PathLike[str] | None = None,
    *,
    corpora: Folders,
) -> list[dict[str, Any]]:
    """Rebuild the standoff items from the corpora they point into.

    Parameters
    ----------
    path
        The standoff file (default ``data/coded/standoff.jsonl``).
    corpora
        A folder, or several, holding the corpus files of :data:`STANDOFF_CORPORA` (the
        development corpora; not shipped); each file is read from the first folder that holds
        it.

    Returns
    -------
    list of dict
        Gold-format items (sentence and previous sentence sliced from the record's raw
        ``text``; title and date from the record).

    Raises
    ------
    analysis.errors.InputError
        A corpus file is missing, a record id is not found, or a rebuilt sentence does not
        match its checksum.
    """
    p = Path(path) if path is not None else config.CODED_SENTENCES.with_name("standoff.jsonl")
    roots = _folders(corpora)
    rows = [(ln, obj) for ln, obj in _read_jsonl(p)]
    needed = sorted({str(o.get("source", "")) for _, o in rows})
    unknown = [s for s in needed if s not in STANDOFF_CORPORA]
    if unknown:
        raise InputError(f"{config.relpath(p)}: no corpus known for source(s) {', '.join(unknown)}")
    recs: dict[str, Mapping[str, Any]] = {}
    for s in needed:
        recs.update(_records(roots, STANDOFF_CORPORA[s]))
    out = []
    for ln, o in rows:
        where = f"{config.relpath(p)} line {ln}"
        rec = recs.get(str(o.get("article_id")))
        if rec is None:
            raise InputError(f"{where}: record {o.get('article_id')!r} not in the corpora")
        text = str(rec["text"])
        sent = text[int(o["start"]):int(o["end"])]
        if sha1_12(sent) != o["sha1"]:
            raise InputError(f"{where}: the rebuilt sentence does not match its checksum (corpus changed?)")
        item = {k: o[k] for k in ("item", "article_id", "source") if k in o}
        item.update(date=str(rec.get("date", "")), title=str(rec.get("title", "")),
                    prev=text[int(o["prev_start"]):int(o["prev_end"])], sentence=sent, url=str(rec.get("url", "")))
        item.update({k: o[k] for k in (*LABELS, "agreed") if k in o})
        out.append(_check_item(item, where))
    return out
