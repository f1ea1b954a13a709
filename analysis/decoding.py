"""Bytes to text and field values to strings, as the loaders read them: encoding detection with
a note for every uncertain decoding (:func:`decode_bytes`), date strings to UTC timestamps
(:func:`parse_date`), and the missing-value rules of a record's fields."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import pandas as pd
from charset_normalizer import from_bytes

_CYR = re.compile(r"[\u0400-\u04FF]")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_C1 = re.compile(r"[\x80-\x9f]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_TYPOGRAPHIC = set("’‘“”„‚–—…•€£§©®°±«»·×÷¶µ¼½¾¹²³´¸¨¯ªº¿¡¦¤¥¢™†‡‰‹›")


def _script(ch: str) -> str:
    if ch < "\x80":
        return "ascii"
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    return "latin" if "\u00c0" <= ch <= "\u024f" else "other"


def _word_ok(word: str) -> bool:
    """Single script and a normal case pattern (lower, UPPER or Capitalised)."""
    scripts = {"latin" if s == "ascii" else s for s in map(_script, word)}
    if len(scripts) != 1 or "other" in scripts:
        return False
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _plausible(text: str) -> float:
    """Share of non-ASCII characters that sit in plausible words or are typographic marks."""
    non_ascii = sum(1 for ch in text if ch >= "\x80")
    if non_ascii == 0:
        return 1.0
    good = sum(1 for ch in text if ch in _TYPOGRAPHIC)
    for m in _LETTER_RUN.finditer(text):
        w = m.group()
        if _word_ok(w):
            good += sum(1 for ch in w if ch >= "\x80")
    return good / non_ascii


def _cyrillic_words_ok(text: str) -> bool:
    """cp1251 evidence: >= 90 % of the Cyrillic letters sit in Cyrillic words of >= 2 letters and
    one such word has >= 3 (a lone "а" among Latin words is a Latin-1 "à", not Russian)."""
    n_cyr = len(_CYR.findall(text))
    words = [w for w in _LETTER_RUN.findall(text) if _CYR.match(w)]
    in_words = sum(len(w) for w in words if len(w) >= 2)
    return n_cyr > 0 and in_words >= 0.9 * n_cyr and any(len(w) >= 3 for w in words)


#: UTF-8 with invalid bytes is read as UTF-8 (each invalid byte -> U+FFFD, with a note) when it
#: also holds valid multi-byte sequences, no more invalid bytes than valid non-ASCII characters,
#: and at most this share of its bytes (at least 16 bytes allowed) are invalid.
MAX_INVALID_UTF8_SHARE: float = 0.01
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)


def _utf16_without_bom(data: bytes) -> str:
    """``"utf-16-le"``/``"utf-16-be"`` when NUL bytes sit at every other position and the other
    bytes are printable ASCII (Latin text in UTF-16 without a BOM), else ``""``."""
    odd, even = data[1::2], data[0::2]
    if len(data) < 4:
        return ""
    def texty(b: bytes) -> bool:  # the other half: mostly printable ASCII
        return sum(1 for x in b if 32 <= x < 127 or x in (9, 10, 13)) >= 0.9 * len(b)

    if odd.count(0) >= 0.4 * len(odd) and even.count(0) <= 0.05 * len(even) and texty(even):
        return "utf-16-le"
    if even.count(0) >= 0.4 * len(even) and odd.count(0) <= 0.05 * len(odd) and texty(odd):
        return "utf-16-be"
    return ""


def _utf8_with_replacement(data: bytes) -> tuple[str, int] | None:
    """The text with each invalid byte replaced by U+FFFD and the number of replaced bytes, when
    *data* is mostly UTF-8 (see :data:`MAX_INVALID_UTF8_SHARE`), else None."""
    t = data.decode("utf-8", errors="surrogateescape")
    n_bad = sum(1 for ch in t if "\udc80" <= ch <= "\udcff")
    n_good = sum(1 for ch in t if ch >= "\x80" and not "\udc80" <= ch <= "\udcff")
    if n_good == 0 or n_bad > n_good or n_bad > max(16, MAX_INVALID_UTF8_SHARE * len(data)):
        return None
    return re.sub("[\udc80-\udcff]", "\ufffd", t), n_bad


def _detected(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, kept only when the decoded text passes :func:`_plausible`
    (>= 90 %), has no C0/C1 control characters and, for a Cyrillic result, :func:`_cyrillic_words_ok`."""
    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    if _C1.search(text) or any(ch < " " and ch not in "\t\n\r\f" for ch in text):
        return None
    if _CYR.search(text) and not _cyrillic_words_ok(text):
        return None
    return (text, str(best.encoding)) if _plausible(text) >= 0.9 else None


def decode_bytes(data: bytes) -> tuple[str | None, str, str]:
    """Decode *data* without ever producing mojibake silently.

    In order, the first rule that applies decides:

    1. a BOM: UTF-8 (``utf-8-sig``), UTF-32 LE/BE, UTF-16 LE/BE; bytes invalid in the BOM's
       encoding -> ``undecodable bytes``;
    2. NUL bytes at every other position -> ``UTF-16 without BOM`` (rejected: the note says to
       save with a BOM or as UTF-8); other NUL bytes, or more than 10 % control bytes ->
       ``not text (binary file)``;
    3. strict UTF-8 (pure ASCII included) -> ``utf-8``;
    4. mostly UTF-8 (valid multi-byte characters and only a few invalid bytes, see
       :data:`MAX_INVALID_UTF8_SHARE`) -> UTF-8 with every invalid byte replaced by U+FFFD;
       the encoding reads ``"utf-8 with N invalid bytes replaced by U+FFFD"`` (never cp1252
       mojibake such as "â€“");
    5. cp1251 when at least 90 % of its non-ASCII characters are Cyrillic letters, these sit in
       words with one script, a normal case pattern and >= 2 letters (so a Latin-1 "Visite à
       Paris" never becomes Cyrillic "Visite а Paris"), and one word has >= 3 letters;
    6. cp1252 (latin-1 where cp1252 leaves a byte undefined) when >= 90 % of the non-ASCII
       characters sit in plausible words (one script, normal case pattern) or are typographic
       marks, and there is no C1 control character;
    7. charset-normalizer's best guess under the same plausibility test;
    8. otherwise ``undecodable bytes``.

    Every result other than 1 (UTF-8 BOM) and 3 is uncertain to a degree; the loaders put the
    encoding in the record's note (``"encoding cp1252"``).

    Returns
    -------
    (text, encoding, reason)
        ``text`` is None when rejected; ``encoding`` is the codec used (or tried, or ``""``);
        ``reason`` is ``""`` or a rejection reason of :data:`REJECTION_REASONS`.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), enc, ""
            except UnicodeDecodeError:
                return None, enc, "undecodable bytes"
    if b"\x00" in data:
        u16 = _utf16_without_bom(data)
        if u16:
            return None, u16, "UTF-16 without BOM"
        return None, "", "not text (binary file)"
    if data:
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        if controls / len(data) > 0.1:
            return None, "", "not text (binary file)"
    try:
        return data.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError:
        pass
    mostly = _utf8_with_replacement(data)
    if mostly is not None:
        return mostly[0], f"utf-8 with {mostly[1]} invalid byte{'s' if mostly[1] != 1 else ''} replaced by U+FFFD", ""
    t1251 = data.decode("cp1251", errors="replace")
    n_cyr = len(_CYR.findall(t1251))
    non_ascii = sum(1 for ch in t1251 if ch >= "\x80")
    if ("\ufffd" not in t1251 and n_cyr >= 0.9 * non_ascii and _plausible(t1251) >= 0.9
            and _cyrillic_words_ok(t1251)):
        return t1251, "cp1251", ""
    try:
        t1252, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        t1252, enc = data.decode("latin-1"), "latin-1"
    if not _C1.search(t1252) and _plausible(t1252) >= 0.9:
        return t1252, enc, ""
    guess = _detected(data)
    if guess is not None:
        return guess[0], f"{guess[1]} (detected)", ""
    return None, "", "undecodable bytes"


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

_DATE_FORMATS: tuple[str, ...] = (
    "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
    "%d %B %Y %H:%M", "%d %B %Y, %H:%M", "%B %d, %Y %H:%M", "%B %d, %Y, %H:%M",
    "%H:%M, %d %B %Y", "%H:%M %d %B %Y",
    "%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%H:%M, %d.%m.%Y", "%H:%M %d.%m.%Y",
    "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y.%m.%d",
)
_RFC2822 = re.compile(r"^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}")


#: Zone names RFC 2822 itself defines (``email.utils`` reads them).
_RFC2822_ZONES = frozenset({"UT", "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"})
#: Other zone abbreviations of unambiguous fixed offset, common in the press of Europe and Asia.
_ZONE_OFFSETS: dict[str, str] = {
    "WET": "+0000", "WEST": "+0100", "CET": "+0100", "CEST": "+0200", "EET": "+0200", "EEST": "+0300",
    "MSK": "+0300", "TRT": "+0300", "AZT": "+0400", "GST": "+0400", "PKT": "+0500", "JST": "+0900",
    "KST": "+0900", "HKT": "+0800", "SGT": "+0800", "AEST": "+1000", "AEDT": "+1100",
}


def parse_date(value: Any) -> tuple[pd.Timestamp | Any, str]:
    """Parse one date value into a UTC timestamp, never guessing.

    Accepted: ISO 8601 (``2021-01-22``, ``2021-01-22T22:14:29-05:00``, ``...Z``),
    RFC 2822 (``Fri, 22 Jan 2021 22:14:29 +0000``), English month names
    (``22 January 2021``, ``January 22, 2021``, ``Jan 22, 2021``, with optional
    ``HH:MM``), day-first dotted dates (``22.01.2021``, the European convention)
    and year-first slashed dates (``2021/01/22``).  Numeric dates with slashes
    and the year last (``01/02/2021``) are ambiguous between day-first and
    month-first and are NOT parsed.  Naive times are taken as UTC; aware times
    are converted to UTC.  ``pandas.Timestamp``/``datetime`` values (Parquet)
    are accepted as they are.  An RFC 2822 zone abbreviation outside the standard's own
    (``EEST``, ``CET``, ``MSK`` ...) is read with its fixed offset; an unknown one is
    taken as UTC with a note, never silently.

    Returns
    -------
    (timestamp, note)
        ``NaT`` and ``""`` for an empty value; ``NaT`` and
        ``"unparseable date '<value>'"`` when nothing matches.
    """
    if value is None or (isinstance(value, float) and value != value):
        return pd.NaT, ""
    if isinstance(value, (pd.Timestamp, datetime)):
        ts = pd.Timestamp(value)
        if ts is pd.NaT:
            return pd.NaT, ""
        return (ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")), ""
    s = str(value).strip()
    if not s:
        return pd.NaT, ""
    dt: datetime | None = None
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}", s):
            dt = datetime.fromisoformat(s)
    except ValueError:
        dt = None
    zone_note = ""
    if dt is None and _RFC2822.match(s):
        zm = re.search(r"\s([A-Za-z]{2,5})$", s)
        zone = zm.group(1).upper() if zm else ""
        if zone and zone not in _RFC2822_ZONES:
            if zone in _ZONE_OFFSETS:  # "... 10:00:00 EEST": the abbreviation's fixed UTC offset
                s = s[: zm.start()] + " " + _ZONE_OFFSETS[zone]
            else:
                s = s[: zm.start()]
                zone_note = f"time zone '{zm.group(1)}' not known: time taken as UTC"
        try:
            dt = parsedate_to_datetime(s)
        except (TypeError, ValueError):
            dt = None
    if dt is None:
        for fmt in _DATE_FORMATS:
            try:
                dt = datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
    if dt is None:
        return pd.NaT, f"unparseable date '{s}'"
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        return pd.Timestamp(dt).tz_convert("UTC"), zone_note
    except (ValueError, OverflowError):
        return pd.NaT, f"unparseable date '{s}'"


# ---------------------------------------------------------------------------
# Loaders
# ---------------------------------------------------------------------------


def _absent(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    try:
        if v is pd.NaT or (not isinstance(v, (str, bytes, list, dict, tuple)) and bool(pd.isna(v))):
            return True
    except (TypeError, ValueError):
        return False
    return isinstance(v, str) and not v.strip()


def _as_str(v: Any) -> str:
    if _absent(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _field_str(v: Any) -> str:
    """A raw field as str: strings unchanged (even whitespace-only), missing values -> ""."""
    if isinstance(v, str):
        return v
    return "" if _absent(v) else _as_str(v)
