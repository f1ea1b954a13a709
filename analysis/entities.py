"""Country mentions: a gazetteer of names, demonyms, capitals, regions, offices and leaders.

A *mention* is a token sequence that names a country or one of the parties EUU (European
Union), NATO or UN, directly ("Azerbaijan", "Russian Federation"), by adjective or demonym
("Azerbaijani"), by capital or seat of government used as a metonym ("Moscow", "the Kremlin"),
by a sub-national region ("Astrakhan Oblast", "Crimea"), or by an office holder ("Aliyev").

The gazetteer (``analysis/data/gazetteer.csv``) and the alias / transliteration table
(``analysis/data/aliases.csv``) ship with the package; both carry ``version``, ``source``,
``licence`` and ``citation`` in ``# key: value`` lines before the CSV header, are validated on
load (:class:`analysis.errors.DataFileError` names file, line and problem) and can be extended or
overridden by the user's own CSV files (:func:`load_gazetteer`).

Matching works on the project's tokens (:func:`analysis.segment.tokenize`), longest match first,
in one left-to-right pass.  Surfaces are compared case-insensitively (:func:`analysis.segment.norm_token`)
and diacritic-insensitively (``Erdogan`` = ``Erdoğan``), except *case-sensitive* entries (short
acronyms such as ``US``, ``UK``, ``EU``, ``UN``, personal names, and surfaces that are also common
lower-case words: ``China``, ``Turkey``, ``Polish``), which match only as written or in ALL CAPS.
A possessive ``'s`` is a token of its own, so "Azerbaijan's" matches "Azerbaijan".  A hyphenated
token that is not itself an entry ("U.S.-Azerbaijani", "Russian-Ukrainian", "pro-Russian") is
split on its hyphens and yields one mention per part when every part is an entry or one of
:data:`COMPOUND_AFFIXES`.  Rows of kind ``block`` ("Latin America", "Korean Peninsula") are
matched like any entry but produce no mention, so that their parts are not reported.

Matching is a dictionary lookup from the first token to candidate token sequences (sorted
longest first); its throughput on pre-tokenized text is of the order of 10^6 tokens per second.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import DataFileError, InputError
from analysis.lexicon import display_name, read_csv_datafile
from analysis.schema import MENTION_COLUMNS, PROFILE_COLUMNS
from analysis.segment import norm_token, tokenize

__all__ = [
    "KINDS",
    "PARTY_CODES",
    "COMPOUND_AFFIXES",
    "MENTION_COLUMNS",
    "PROFILE_COLUMNS",
    "Entry",
    "Mention",
    "Gazetteer",
    "fold",
    "load_gazetteer",
    "default_gazetteer",
    "mentions",
    "country_profile",
]

#: Kinds of gazetteer entry that produce mentions.
KINDS: tuple[str, ...] = (
    "country",
    "official_name",
    "demonym",
    "capital",
    "region",
    "office",
    "leader",
    "organisation",
)
#: Kind of a non-emitting stop phrase.
BLOCK_KIND = "block"
#: Party codes that are not ISO 3166-1 countries but are valid ``country`` values.
PARTY_CODES: frozenset[str] = frozenset({"EUU", "NATO", "UN"})
#: Parts of a hyphenated compound that are allowed next to a gazetteer entry
#: ("pro-Russian", "Kremlin-backed", "Russian-occupied"); compared case-insensitively.
COMPOUND_AFFIXES: frozenset[str] = frozenset(
    """pro anti non post pre ex neo backed led controlled occupied based born made held
    speaking owned funded sponsored bound brokered allied aligned friendly hosted flagged""".split()
)
_GAZ_COLUMNS = ("surface", "entity", "country", "kind", "case", "note")
_GAZ_REQUIRED = ("surface", "country", "kind")
_ALIAS_COLUMNS = ("variant", "canonical", "case", "note")
_ALIAS_REQUIRED = ("variant", "canonical")
_CODE_RE = re.compile(r"^[A-Z]{3}$")
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"
_HYPHEN_RE = re.compile(f"[{_HYPHENS}]")

_FOLD_TABLE = str.maketrans(
    {
        "ə": "e", "Ə": "E", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
        "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th",
        "Þ": "Th", "ð": "d", "Ð": "D", "’": "'", "‘": "'", "ʼ": "'",
    }
)


@functools.lru_cache(maxsize=1 << 17)
def fold(token: str) -> str:
    """*token* without diacritics, case kept (``"Erdoğan"`` -> ``"Erdogan"``, ``"Bakı"`` -> ``"Baki"``).

    Letters without a Unicode decomposition that are common in transliterated names
    (ə, ı, ł, ø, đ, ß, æ, œ, þ, ð) are mapped to their usual Latin stand-ins; typographic
    apostrophes become ``'``.
    """
    t = token.translate(_FOLD_TABLE)
    if t.isascii():
        return t
    t = unicodedata.normalize("NFKD", t)
    return unicodedata.normalize("NFC", "".join(c for c in t if not unicodedata.combining(c)))


@functools.lru_cache(maxsize=1 << 17)
def _ci_key(token: str) -> str:
    return norm_token(fold(token))


#: Entries of a per-token memo before it stops growing (per process; bounds a long run's memory).
_MEMO_LIMIT = 1 << 16
_KEY_CACHE: dict[str, tuple[str, str]] = {}


def _keys(token: str) -> tuple[str, str]:
    """``(fold(token), case-folded fold(token))``, memoised (bounded) for the matching loop."""
    f = fold(token)
    k = (f, norm_token(f))
    if len(_KEY_CACHE) < _MEMO_LIMIT:
        _KEY_CACHE[token] = k
    return k


@dataclass(frozen=True)
class Entry:
    """One gazetteer surface after loading.

    Attributes
    ----------
    surface
        The surface as written in the data file.
    entity
        Canonical name of what the surface names ("Ilham Aliyev" for "Aliyev").
    country
        ISO 3166-1 alpha-3 code, or EUU / NATO / UN; ``""`` for ``block`` rows.
    kind
        One of :data:`KINDS`, or ``"block"``.
    case_sensitive
        Whether the surface matches only as written (or in ALL CAPS).
    origin
        ``file:line`` the entry comes from (file shown relative to the project root).
    """

    surface: str
    entity: str
    country: str
    kind: str
    case_sensitive: bool
    origin: str


@dataclass(frozen=True, order=True)
class Mention:
    """A matched surface: character offsets ``[start, end)`` and what it names."""

    start: int
    end: int
    surface: str
    entity: str
    country: str
    kind: str


def _tokens_of(surface: str) -> tuple[str, ...]:
    return tuple(t for _, _, t in tokenize(surface))


def _key(surface: str, case_sensitive: bool) -> tuple[str, tuple[str, ...]]:
    toks = _tokens_of(surface)
    if case_sensitive:
        return ("cs", tuple(fold(t) for t in toks))
    return ("ci", tuple(_ci_key(t) for t in toks))


def _auto_case(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


@dataclass(frozen=True)
class _Longer:
    """At a token that starts entries longer than one token: the second tokens (keys) of those
    entries, per index, the match of the token alone (None when there is none) and whether the
    token is a hyphenated compound."""

    cs_next: frozenset[str]
    ci_next: frozenset[str]
    one: Entry | None
    compound: bool


class Gazetteer:
    """A validated, indexed set of gazetteer entries; build one with :func:`load_gazetteer`.

    Attributes
    ----------
    entries
        All entries (aliases included), in load order.
    meta
        Metadata (``version``, ``source``, ``licence``, ``citation``) per loaded file, keyed by
        the file as shown in error messages.
    codes
        Valid ``country`` codes: every code of a ``country`` row plus :data:`PARTY_CODES`.
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        *,
        meta: dict[str, dict[str, str]] | None = None,
        codes: Iterable[str] = (),
    ) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.meta: dict[str, dict[str, str]] = dict(meta or {})
        self.codes: frozenset[str] = frozenset(codes) | PARTY_CODES
        ci: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        cs: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        for e in self.entries:
            mode, key = _key(e.surface, e.case_sensitive)
            if not key:
                continue
            if mode == "ci":
                ci.setdefault(key[0], []).append((key, e))
            else:
                cs.setdefault(key[0], []).append((key, e))
                upper = tuple(t.upper() for t in key)
                if upper != key:
                    cs.setdefault(upper[0], []).append((upper, e))
        # Longest candidate first; ties by surface for determinism; duplicates of one key keep
        # the last-loaded entry (overrides come later).
        self._ci = {k: _dedupe_sorted(v) for k, v in ci.items()}
        self._cs = {k: _dedupe_sorted(v) for k, v in cs.items()}
        self._ci1 = {key[0]: e for v in self._ci.values() for key, e in v if len(key) == 1}
        self._cs1 = {key[0]: e for v in self._cs.values() for key, e in v if len(key) == 1}
        #: token -> what the matching loop does at it (memoised, bounded; see :meth:`_action`)
        self._actions: dict[str, object] = {}

    def __getstate__(self) -> dict[str, object]:
        return {k: (v if k != "_actions" else {}) for k, v in self.__dict__.items()}

    def _action(self, token: str) -> object:
        """What :meth:`find_tokens` does at *token*: ``False`` when no entry starts with it and it
        is no hyphenated compound (nothing); ``True`` when no entry starts with it and it is one
        (the compound rule); the :class:`Entry` of the match when every entry starting with it is
        one token long (the longest match is that entry, whatever follows); a :class:`_Longer`
        when some entries are longer."""
        cs_key, ci_key = _KEY_CACHE.get(token) or _keys(token)
        cs = self._cs.get(cs_key, [])
        ci = self._ci.get(ci_key, [])
        # the match of the token alone: _match_at skips every key longer than what is left
        one = self._match_at([ci_key], [cs_key], 0)[1] if cs or ci else None
        compound = bool(len(token) > 2 and _HYPHEN_RE.search(token))
        act: object
        if any(len(key) > 1 for key, _ in cs) or any(len(key) > 1 for key, _ in ci):
            act = _Longer(frozenset(key[1] for key, _ in cs if len(key) > 1),
                          frozenset(key[1] for key, _ in ci if len(key) > 1), one, compound)
        else:
            act = one if one is not None else compound
        if len(self._actions) < _MEMO_LIMIT:
            self._actions[token] = act
        return act

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"Gazetteer({len(self.entries)} entries, {len(self.codes)} codes)"

    def lookup(self, surface: str) -> Entry | None:
        """The entry whose surface equals *surface* (case-sensitive entries first), or ``None``."""
        for cs in (True, False):
            mode, key = _key(surface, cs)
            index = self._cs if mode == "cs" else self._ci
            for k, e in index.get(key[0], ()) if key else ():
                if k == key:
                    return e
        return None

    # ------------------------------------------------------------------ matching
    def _match_at(self, ci_keys: list[str], cs_keys: list[str], i: int) -> tuple[int, Entry | None]:
        n = len(ci_keys)
        best_len, best = 0, None
        for index, keys in ((self._cs, cs_keys), (self._ci, ci_keys)):
            cands = index.get(keys[i])
            if not cands:
                continue
            for key, entry in cands:
                L = len(key)
                if L <= best_len:
                    break
                if i + L > n:
                    continue
                ok = True
                for j in range(1, L):
                    if keys[i + j] != key[j]:
                        ok = False
                        break
                if ok:
                    best_len, best = L, entry
                    break
        return best_len, best

    def _split_compound(self, token: str, start: int) -> list[tuple[int, int, str, Entry]]:
        parts: list[tuple[int, int, str]] = []
        pos = 0
        for m in _HYPHEN_RE.finditer(token):
            parts.append((pos, m.start(), token[pos : m.start()]))
            pos = m.end()
        parts.append((pos, len(token), token[pos:]))
        found: list[tuple[int, int, str, Entry]] = []
        for s, e, part in parts:
            if not part:
                return []
            entry = self._cs1.get(fold(part))
            if entry is None:
                entry = self._ci1.get(_ci_key(part))
            if entry is None:
                if _ci_key(part) in COMPOUND_AFFIXES:
                    continue
                return []
            if entry.kind == BLOCK_KIND:
                return []
            found.append((start + s, start + e, part, entry))
        return found

    def find_tokens(
        self,
        tokens: Sequence[str],
        spans: Sequence[tuple[int, int]],
        *,
        text: str | None = None,
        text_offset: int = 0,
    ) -> list[Mention]:
        """Mentions in an already tokenized text.

        Parameters
        ----------
        tokens, spans
            Tokens and their ``(start, end)`` character offsets, as produced by
            :func:`analysis.segment.tokenize` (or the ``tokens``/``spans`` columns of the
            sentences table).
        text
            The text the offsets point into, minus *text_offset*; used for the ``surface`` of
            multi-token mentions.  Without it, the surface is rebuilt from the tokens (one space
            where the spans have a gap).
        text_offset
            Offset of ``text[0]`` in the offsets of *spans*.

        Returns
        -------
        list of Mention
            In text order, non-overlapping (longest match first, left to right).
        """
        n = len(tokens)
        if len(spans) != n:
            raise InputError(f"tokens and spans differ in length ({n} vs {len(spans)})")
        # one look-up per token (in C) for what happens at it, most often nothing
        acts = list(map(self._actions.get, tokens))
        if None in acts:
            acts = [a if a is not None else self._action(t) for a, t in zip(acts, tokens)]
        out: list[Mention] = []
        cs_keys: list[str] | None = None
        ci_keys: list[str] = []
        get = _KEY_CACHE.get
        i = 0
        # the positions where something happens, in order: at the others i only moves on by one
        for at in compress(range(n), acts):
            if at < i:
                continue  # inside the previous match
            i = at
            act = acts[i]
            if act is True:
                entry, compound = None, True  # no entry starts here
            elif not isinstance(act, _Longer):
                L, entry = 1, act  # the one-token match
            else:
                compound = act.compound
                # a longer key can match only if the next token is the second token of one
                nxt = get(tokens[i + 1]) or _keys(tokens[i + 1]) if i + 1 < n else None
                if nxt is not None and (nxt[0] in act.cs_next or nxt[1] in act.ci_next):
                    if cs_keys is None:
                        pairs = [get(t) or _keys(t) for t in tokens]
                        cs_keys = [p[0] for p in pairs]
                        ci_keys = [p[1] for p in pairs]
                    L, entry = self._match_at(ci_keys, cs_keys, i)
                else:
                    L, entry = 1, act.one
            if entry is not None:
                if entry.kind != BLOCK_KIND:
                    s, e = spans[i][0], spans[i + L - 1][1]
                    if text is not None:
                        surface = text[s - text_offset : e - text_offset]
                    else:
                        surface = tokens[i]
                        for j in range(i + 1, i + L):
                            surface += (" " if spans[j][0] > spans[j - 1][1] else "") + tokens[j]
                    out.append(Mention(s, e, surface, entry.entity, entry.country, entry.kind))
                i += L
                continue
            if compound:
                for s, e, part, pe in self._split_compound(tokens[i], spans[i][0]):
                    out.append(Mention(s, e, part, pe.entity, pe.country, pe.kind))
            i += 1
        return out

    def find(self, text: str, *, offset: int = 0) -> list[Mention]:
        """Mentions in *text*.

        Parameters
        ----------
        text
            Any string (a sentence, a title, a whole article).
        offset
            Added to every character offset (pass a sentence's start to get document offsets).

        Returns
        -------
        list of Mention
            In text order; ``start``/``end`` are character offsets (plus *offset*).

        Examples
        --------
        >>> g = default_gazetteer()
        >>> [(m.surface, m.country) for m in g.find("The U.S.-Azerbaijani talks in Baku.")]
        [('U.S.', 'USA'), ('Azerbaijani', 'AZE'), ('Baku', 'AZE')]
        """
        toks = tokenize(text, offset)
        return self.find_tokens(
            [t for _, _, t in toks], [(s, e) for s, e, _ in toks], text=text, text_offset=offset
        )

    def countries(self, text: str) -> list[str]:
        """Sorted distinct country codes mentioned in *text*."""
        return sorted({m.country for m in self.find(text)})

    def to_frame(self) -> pd.DataFrame:
        """The entries as a table: ``surface, entity, country, kind, case_sensitive, origin``."""
        return pd.DataFrame(
            [
                (e.surface, e.entity, e.country, e.kind, e.case_sensitive, e.origin)
                for e in self.entries
            ],
            columns=["surface", "entity", "country", "kind", "case_sensitive", "origin"],
        )


def _dedupe_sorted(
    cands: list[tuple[tuple[str, ...], Entry]],
) -> list[tuple[tuple[str, ...], Entry]]:
    last: dict[tuple[str, ...], Entry] = {}
    for key, e in cands:
        last[key] = e
    return sorted(last.items(), key=lambda ke: (-len(ke[0]), ke[0]))


# ---------------------------------------------------------------------- loading
def _read_csv(
    path: Path, columns: Sequence[str], required: Sequence[str], *, require_meta: bool, kind: str
) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    """Metadata and ``(line number, row)`` pairs of a gazetteer-format or alias file
    (:func:`analysis.lexicon.read_csv_datafile`), every *required* field filled (a block row's
    country excepted)."""
    meta, rows = read_csv_datafile(path, columns, required=required, require_meta=require_meta, kind=kind)
    name = display_name(path)
    for lineno, row in rows:
        for c in required:
            if not row[c] and not (c == "country" and row.get("kind") == BLOCK_KIND):
                raise DataFileError(f"{name}:{lineno}: missing field '{c}'")
    return meta, rows


def _as_paths(value: str | Path | Sequence[str | Path] | None) -> list[Path]:
    if value is None or value is False:
        return []
    if isinstance(value, (str, Path)):
        return [Path(value)]
    return [Path(v) for v in value]


def _gazetteer_entries(
    path: Path, *, require_meta: bool
) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    meta, rows = _read_csv(path, _GAZ_COLUMNS, _GAZ_REQUIRED, require_meta=require_meta, kind="gazetteer")
    name = config.relpath(path)
    for lineno, row in rows:
        kind = row["kind"].lower()
        row["kind"] = kind
        if kind not in KINDS and kind != BLOCK_KIND:
            raise DataFileError(
                f"{name}:{lineno}: unknown kind '{row['kind']}' (expected one of "
                f"{', '.join(KINDS)}, {BLOCK_KIND})"
            )
        if kind == BLOCK_KIND and row["country"]:
            raise DataFileError(f"{name}:{lineno}: a block row must have an empty country")
        if kind == "country" and not _CODE_RE.match(row["country"]):
            raise DataFileError(
                f"{name}:{lineno}: country code '{row['country']}' is not three capital letters"
            )
        if row["case"].lower() not in ("", "cs", "ci"):
            raise DataFileError(f"{name}:{lineno}: case must be cs, ci or empty, not '{row['case']}'")
        if not _tokens_of(row["surface"]):
            raise DataFileError(f"{name}:{lineno}: surface has no tokens")
    return meta, rows


def _make_entry(row: dict[str, str], origin: str) -> Entry:
    case = row["case"].lower()
    cs = _auto_case(row["surface"]) if case == "" else case == "cs"
    return Entry(
        surface=row["surface"],
        entity=row["entity"] or row["surface"],
        country=row["country"],
        kind=row["kind"],
        case_sensitive=cs,
        origin=origin,
    )


def load_gazetteer(
    path: str | Path | None = None,
    *,
    aliases: str | Path | Sequence[str | Path] | None = None,
    extra: str | Path | Sequence[str | Path] | None = None,
) -> Gazetteer:
    """Load and validate a gazetteer, its aliases and the user's additions.

    Parameters
    ----------
    path
        Gazetteer CSV (columns ``surface, entity, country, kind, case, note`` after ``# version``,
        ``# source``, ``# licence``, ``# citation`` lines).  Default: the shipped
        ``analysis/data/gazetteer.csv``.
    aliases
        Alias CSV file(s) (columns ``variant, canonical, case, note``, same metadata lines); each
        variant gets the entity, country and kind of its canonical surface.  Default: the
        shipped ``analysis/data/aliases.csv`` when *path* is the shipped gazetteer, none
        otherwise; pass ``()`` for none.
    extra
        The user's own gazetteer-format CSV file(s) (metadata lines optional).  Their rows are
        added, and a row whose surface is already present replaces it (later files win).

    Returns
    -------
    Gazetteer

    Raises
    ------
    DataFileError
        Naming file and line: unreadable file, missing header column or field, unknown kind,
        malformed or unknown country code (valid codes are those of the ``country`` rows of
        *path* and *extra*, plus EUU, NATO, UN), the same surface twice in one file with
        conflicting countries, an alias whose canonical is not a gazetteer surface, or an
        alias that contradicts a gazetteer surface's country.
    """
    shipped = path is None
    main = Path(path) if path is not None else config.package_data("gazetteer.csv")
    if aliases is None:
        alias_paths = [config.package_data("aliases.csv")] if shipped else []
    else:
        alias_paths = _as_paths(aliases)
    extra_paths = _as_paths(extra)

    loaded: list[tuple[Path, dict[str, str], list[tuple[int, dict[str, str]]]]] = []
    meta_all: dict[str, dict[str, str]] = {}
    for p, req in [(main, True)] + [(p, False) for p in extra_paths]:
        meta, rows = _gazetteer_entries(p, require_meta=req)
        loaded.append((p, meta, rows))
        meta_all[config.relpath(p)] = meta
    codes = set(PARTY_CODES)
    for _, _, rows in loaded:
        codes.update(r["country"] for _, r in rows if r["kind"] == "country")

    # Precedence: the gazetteer, then aliases, then the user's extra files (later files win).
    per_file: list[dict[tuple[str, tuple[str, ...]], Entry]] = []
    for p, _, rows in loaded:
        name = config.relpath(p)
        this_file: dict[tuple[str, tuple[str, ...]], tuple[int, Entry]] = {}
        for lineno, row in rows:
            if row["kind"] != BLOCK_KIND and row["country"] not in codes:
                raise DataFileError(
                    f"{name}:{lineno}: unknown country code '{row['country']}' (not a country row "
                    f"of the gazetteer, nor one of {', '.join(sorted(PARTY_CODES))})"
                )
            entry = _make_entry(row, f"{name}:{lineno}")
            key = _key(entry.surface, entry.case_sensitive)
            if key in this_file:
                first_line, first = this_file[key]
                if first.country != entry.country:
                    raise DataFileError(
                        f"{name}:{lineno}: duplicate surface '{entry.surface}' with conflicting "
                        f"country ({entry.country} here, {first.country} at line {first_line})"
                    )
                continue
            this_file[key] = (lineno, entry)
        per_file.append({k: e for k, (_, e) in this_file.items()})
    main_records = per_file[0]
    user_records: dict[tuple[str, tuple[str, ...]], Entry] = {}
    for recs in per_file[1:]:
        user_records.update(recs)
    known = {**main_records, **user_records}

    alias_records: dict[tuple[str, tuple[str, ...]], Entry] = {}
    for ap in alias_paths:
        meta, rows = _read_csv(ap, _ALIAS_COLUMNS, _ALIAS_REQUIRED, require_meta=True, kind="alias table")
        name = config.relpath(ap)
        meta_all[name] = meta
        for lineno, row in rows:
            canon = None
            for cs in (True, False):
                canon = known.get(_key(row["canonical"], cs))
                if canon is not None:
                    break
            if canon is None or canon.kind == BLOCK_KIND:
                raise DataFileError(
                    f"{name}:{lineno}: alias '{row['variant']}' points to unknown canonical "
                    f"surface '{row['canonical']}' (not in the gazetteer)"
                )
            case = row["case"].lower()
            if case not in ("", "cs", "ci"):
                raise DataFileError(f"{name}:{lineno}: case must be cs, ci or empty, not '{row['case']}'")
            if not _tokens_of(row["variant"]):
                raise DataFileError(f"{name}:{lineno}: variant has no tokens")
            cs_flag = canon.case_sensitive if case == "" else case == "cs"
            entry = Entry(
                row["variant"], canon.entity, canon.country, canon.kind, cs_flag, f"{name}:{lineno}"
            )
            key = _key(entry.surface, cs_flag)
            old = main_records.get(key) or alias_records.get(key)
            if old is not None and old.country != entry.country:
                raise DataFileError(
                    f"{name}:{lineno}: alias '{entry.surface}' -> {entry.country} conflicts with "
                    f"'{old.surface}' -> {old.country} ({old.origin})"
                )
            alias_records[key] = entry
    # A user row replaces every shipped entry with the same surface, whatever its case mode.
    overridden = {_key(e.surface, False) for e in user_records.values()}
    records = {
        k: e
        for k, e in {**main_records, **alias_records}.items()
        if _key(e.surface, False) not in overridden
    }
    records.update(user_records)
    return Gazetteer(records.values(), meta=meta_all, codes=codes)


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer with the shipped aliases, loaded once per process (cached)."""
    return load_gazetteer()


# ---------------------------------------------------------------------- measures
def _empty_mentions() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="object") for c in MENTION_COLUMNS})
    return out.astype({"sentence_id": "int64", "start": "int64", "end": "int64"})


def mentions(sentences: pd.DataFrame, *, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """Measure: every gazetteer mention in a sentences table.

    Parameters
    ----------
    sentences
        The sentences table (CONTRIBUTING.md): ``doc_id``, ``sentence_id`` and either ``tokens``
        plus ``spans`` (document offsets, as made by :func:`analysis.segment.add_tokens`), or
        ``text`` (tokenized here, offsets shifted by ``start`` when present).  ``text`` and
        ``start``, when present, give each mention's exact surface.
    gazetteer
        Default: :func:`default_gazetteer`.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, sentence_id, start, end, surface, entity, country, kind``; ``start`` and
        ``end`` are character offsets in the document's cleaned text; sorted by ``doc_id,
        sentence_id, start``.  The caller's frame is not modified.
    """
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    cols = set(sentences.columns)
    missing = [c for c in ("doc_id", "sentence_id") if c not in cols]
    has_tokens = "tokens" in cols and "spans" in cols
    if not has_tokens and "text" not in cols:
        missing.append("text (or tokens and spans)")
    if missing:
        raise InputError(f"sentences table lacks column(s): {', '.join(missing)}")
    n = len(sentences)
    doc_ids = sentences["doc_id"].tolist()
    sent_ids = sentences["sentence_id"].tolist()
    texts = sentences["text"].tolist() if "text" in cols else [None] * n
    starts = sentences["start"].tolist() if "start" in cols else [0] * n
    toks = sentences["tokens"].tolist() if has_tokens else [None] * n
    spans = sentences["spans"].tolist() if has_tokens else [None] * n
    rows: list[tuple[object, int, int, int, str, str, str, str]] = []
    for doc_id, sid, text, start, tk, sp in zip(doc_ids, sent_ids, texts, starts, toks, spans):
        text = text if isinstance(text, str) else None
        off = start if type(start) is int else int(start) if start is not None and not pd.isna(start) else 0
        if tk is not None:
            found = gaz.find_tokens(tk if isinstance(tk, (tuple, list)) else list(tk),
                                    sp if isinstance(sp, (tuple, list)) else list(sp), text=text, text_offset=off)
        elif text is not None:
            found = gaz.find(text, offset=off)
        else:
            continue
        for m in found:
            rows.append((doc_id, int(sid), m.start, m.end, m.surface, m.entity, m.country, m.kind))
    if not rows:
        return _empty_mentions()
    out = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    out = out.astype({"sentence_id": "int64", "start": "int64", "end": "int64"})
    out = out.sort_values(["doc_id", "sentence_id", "start", "end"], kind="mergesort")
    return out.reset_index(drop=True)


def country_profile(mentions: pd.DataFrame) -> pd.DataFrame:
    """Measure: which countries each document talks about.

    Parameters
    ----------
    mentions
        A mentions table (:func:`mentions`).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id, country, n_mentions`` (count of mentions), ``n_sentences`` (distinct
        sentences with a mention), ``first_sentence_id`` (earliest sentence mentioning it).
        Sorted by ``doc_id``, then ``n_mentions`` descending, ``first_sentence_id``, ``country``.
    """
    missing = [c for c in ("doc_id", "sentence_id", "country") if c not in mentions.columns]
    if missing:
        raise InputError(f"mentions table lacks column(s): {', '.join(missing)}")
    if mentions.empty:
        out = pd.DataFrame({c: pd.Series(dtype="object") for c in PROFILE_COLUMNS})
        return out.astype({"n_mentions": "int64", "n_sentences": "int64", "first_sentence_id": "int64"})
    g = mentions.groupby(["doc_id", "country"], sort=True)["sentence_id"]
    out = pd.DataFrame(
        {
            "n_mentions": g.size(),
            "n_sentences": g.nunique(),
            "first_sentence_id": g.min(),
        }
    ).reset_index()
    out = out.astype({"n_mentions": "int64", "n_sentences": "int64", "first_sentence_id": "int64"})
    out = out.sort_values(
        ["doc_id", "n_mentions", "first_sentence_id", "country"],
        ascending=[True, False, True, True],
        kind="mergesort",
    )
    return out[list(PROFILE_COLUMNS)].reset_index(drop=True)
