"""Edit-tracked text: a string under successive edits that remembers where every character came from.

:class:`EditText` is what cleaning works on, and :func:`restore` rebuilds a raw field from its
cleaned version and its removal rows (the ``removals`` table), character for character.  Both
are re-exported by :mod:`analysis.cleaning` and :mod:`analysis.corpus`.  :class:`PlainText`
gives the same text under the same calls without the provenance (the cleaning pass that only
counts paragraphs).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

__all__ = ["EditText", "PlainText", "restore"]




class EditText:
    """A string under successive edits that remembers where every character came from.

    The current text is a sequence of segments, each either an unchanged slice
    ``raw[s:e]`` or a *replacement* standing for ``raw[s:e]``.  :meth:`apply`
    takes edits in CURRENT offsets; an edit that touches an earlier replacement
    absorbs it, so recorded edits never overlap and their offsets always refer
    to the raw string.

    Examples
    --------
    >>> t = EditText("a\\xa0 b")
    >>> t.sub(re.compile("\\xa0"), " ", "unicode normalisation")
    >>> t.sub(re.compile(" {2,}"), " ", "whitespace")
    >>> t.text, t.edits()
    ('a b', [(1, 2, '\\xa0', ' ', 'unicode normalisation'), (2, 3, ' ', '', 'whitespace')])
    """

    __slots__ = ("raw", "text", "_segs")

    def __init__(self, raw: str) -> None:
        self.raw: str = raw
        self._segs: list[tuple[int, int, str | None, str | None]] = [(0, len(raw), None, None)] if raw else []
        self.text: str = raw

    @staticmethod
    def _len(seg: tuple[int, int, str | None, str | None]) -> int:
        return (seg[1] - seg[0]) if seg[2] is None else len(seg[2])

    def _shared_replacement(self, todo: Sequence[tuple[int, int, str, str]]) -> bool:
        """Whether two of the sorted edits *todo* touch the same replacement segment."""
        ends: list[int] = []
        pos = 0
        for s, e, t, _ in self._segs:
            pos += (e - s) if t is None else len(t)
            ends.append(pos)
        last_seg = -1
        for cs, ce, _, _ in todo:
            first = bisect_right(ends, cs)
            if first == last_seg and self._segs[first][2] is not None:
                return True
            last_seg = bisect_right(ends, ce - 1)
        return False

    def apply(self, edits: Iterable[tuple[int, int, str, str]]) -> None:
        """Apply ``(start, end, replacement, reason)`` edits given in current offsets.

        Edits must satisfy ``start < end``, lie inside the current text and not
        overlap; they are applied simultaneously (all offsets refer to the text
        before this call).
        """
        todo = sorted(edits, key=lambda x: (x[0], x[1]))
        if not todo:
            return
        n_cur = len(self.text)
        last = 0
        for cs, ce, _, _ in todo:
            if not (0 <= cs < ce <= n_cur) or cs < last:
                raise ValueError(f"bad or overlapping edit ({cs}, {ce}) on text of length {n_cur}")
            last = ce
        if len(todo) > 1 and self._shared_replacement(todo):
            # two edits inside one earlier replacement (it stands for its raw span as a whole):
            # applied one at a time from the right, each in offsets the earlier ones keep valid
            for edit in reversed(todo):
                self.apply([edit])
            return
        raw = self.raw
        segs = self._segs
        n = len(segs)
        out: list[tuple[int, int, str | None, str | None]] = []
        i = 0
        pos = 0
        cur = segs[0] if n else None
        for cs, ce, rep, reason in todo:
            while cur is not None:
                length = (cur[1] - cur[0]) if cur[2] is None else len(cur[2])
                if pos + length > cs:
                    break
                out.append(cur)
                pos += length
                i += 1
                cur = segs[i] if i < n else None
            assert cur is not None
            s, e, t, _ = cur
            prefix = ""
            if t is None:
                if pos < cs:
                    k = cs - pos
                    out.append((s, s + k, None, None))
                    cur = (s + k, e, None, None)
                    pos = cs
                    s = s + k
            else:
                prefix = t[: cs - pos]
            raw_start = s
            raw_end = s
            suffix = ""
            pieces: list[tuple[int, int, str | None, str | None]] = []
            while cur is not None and pos < ce:
                s, e, t, r = cur
                length = (e - s) if t is None else len(t)
                if pos + length <= ce:
                    raw_end = e
                    pieces.append((s, e, t, r) if t is not None else (max(s, raw_start), e, None, None))
                    pos += length
                    i += 1
                    cur = segs[i] if i < n else None
                    continue
                if t is None:
                    k = ce - pos
                    raw_end = s + k
                    pieces.append((max(s, raw_start), s + k, None, None))
                    cur = (s + k, e, None, None)
                    pos = ce
                else:
                    raw_end = e
                    suffix = t[ce - pos :]
                    pieces.append((s, e, t, r))
                    pos += length
                    i += 1
                    cur = segs[i] if i < n else None
                break
            if not rep and not prefix and not suffix:
                # a deletion: every covered piece is deleted; earlier deletions keep their reason
                for ps, pe, pt, pr in pieces:
                    if pe <= ps:
                        continue
                    out.append((ps, pe, "", pr if pt == "" else reason))
                continue
            new = prefix + rep + suffix
            if new == raw[raw_start:raw_end]:
                out.append((raw_start, raw_end, None, None))
            else:
                out.append((raw_start, raw_end, new, reason))
        if cur is not None:
            out.append(cur)
            out.extend(segs[i + 1 :])
        merged: list[tuple[int, int, str | None, str | None]] = []
        for seg in out:
            if seg[2] is None and seg[0] == seg[1]:
                continue
            if merged and merged[-1][1] == seg[0] and seg[2] is None and merged[-1][2] is None:
                merged[-1] = (merged[-1][0], seg[1], None, None)
            else:
                merged.append(seg)
        self._segs = merged
        self.text = "".join(raw[s:e] if t is None else t for s, e, t, _ in merged)

    def sub(
        self,
        pattern: re.Pattern[str],
        repl: str | Callable[[re.Match[str]], str | None],
        reason: str,
    ) -> None:
        """Replace every non-empty match of *pattern* (``repl`` may return None to skip a match)."""
        edits = []
        for m in pattern.finditer(self.text):
            if m.end() <= m.start():
                continue
            r = repl if isinstance(repl, str) else repl(m)
            g = m.group()
            if r is None or r == g:
                continue
            # minimal edit: leave a common prefix/suffix untouched ("\n\n\n" -> "\n\n" deletes one "\n")
            a = 0
            while a < len(r) and a < len(g) and r[a] == g[a]:
                a += 1
            b = 0
            while b < len(r) - a and b < len(g) - a and r[-1 - b] == g[-1 - b]:
                b += 1
            if len(g) - a - b <= 0:  # never a pure insertion: keep one raw character in the edit
                b = 0
                a = min(a, len(g) - 1)
            edits.append((m.start() + a, m.end() - b, r[a : len(r) - b], reason))
        self.apply(edits)

    def delete(self, spans: Iterable[tuple[int, int, str]]) -> None:
        """Delete ``(start, end, reason)`` spans of the current text."""
        self.apply([(s, e, "", r) for s, e, r in spans if e > s])

    def edits(self) -> list[tuple[int, int, str, str, str]]:
        """Recorded edits as ``(start, end, raw_span, replacement, reason)`` in raw offsets, sorted."""
        return [(s, e, self.raw[s:e], t, r or "") for s, e, t, r in self._segs if t is not None]


class PlainText:
    """The text an :class:`EditText` would hold under the same :meth:`~EditText.sub` and
    :meth:`~EditText.apply` calls, without the provenance (for a pass that needs the text only:
    no segments, and a replacement string is put in by the regex engine).

    Examples
    --------
    >>> t = PlainText("a\\xa0 b")
    >>> t.sub(re.compile("\\xa0"), " ", "unicode normalisation")
    >>> t.sub(re.compile(" {2,}"), " ", "whitespace")
    >>> t.apply([(0, 1, "A", "case")])
    >>> t.text
    'A b'
    """

    __slots__ = ("text",)

    def __init__(self, raw: str) -> None:
        self.text: str = raw

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str | None], reason: str) -> None:
        """As :meth:`EditText.sub`: every non-empty match replaced (a None from *repl* keeps it)."""
        if repl == "":
            self.text = pattern.sub("", self.text)  # an empty match replaced by "" changes nothing
            return

        def put(m: re.Match[str]) -> str:
            if m.end() <= m.start():
                return m.group()
            r = repl if isinstance(repl, str) else repl(m)
            return m.group() if r is None else r

        self.text = pattern.sub(put, self.text)

    def apply(self, edits: Iterable[tuple[int, int, str, str]]) -> None:
        """As :meth:`EditText.apply`: non-overlapping ``(start, end, replacement, reason)`` edits in
        current offsets, applied at once."""
        todo = sorted(edits, key=lambda x: (x[0], x[1]))
        if not todo:
            return
        text, out, pos = self.text, [], 0
        for cs, ce, rep, _ in todo:
            if not (0 <= cs < ce <= len(text)) or cs < pos:
                raise ValueError(f"bad or overlapping edit ({cs}, {ce}) on text of length {len(text)}")
            out.append(text[pos:cs])
            out.append(rep)
            pos = ce
        out.append(text[pos:])
        self.text = "".join(out)


def restore(clean_text: str, edits: pd.DataFrame) -> str:
    """Rebuild the raw field from its clean version and its removal rows.

    Parameters
    ----------
    clean_text
        The cleaned field (``text`` or ``title`` of the cleaned articles).
    edits
        The rows of the removals table for this document and field (columns
        ``start, end, text, replacement``; any order).

    Returns
    -------
    str
        The raw field, character for character.

    Raises
    ------
    ValueError
        When the edits do not fit *clean_text* (overlap, or a replacement that is
        not found where expected).
    """
    if edits is None or len(edits) == 0:
        return clean_text
    rows = sorted(
        zip(edits["start"].astype(int).tolist(), edits["end"].astype(int).tolist(),
            edits["text"].tolist(), edits["replacement"].tolist())
    )
    out: list[str] = []
    ci = 0
    raw_pos = 0
    for start, end, raw_span, rep in rows:
        if start < raw_pos or end - start != len(raw_span):
            raise ValueError(f"edit ({start}, {end}) overlaps or does not match its raw span")
        k = start - raw_pos
        out.append(clean_text[ci : ci + k])
        ci += k
        if clean_text[ci : ci + len(rep)] != rep:
            raise ValueError(f"replacement {rep!r} of edit ({start}, {end}) not found in the clean text")
        ci += len(rep)
        out.append(raw_span)
        raw_pos = end
    out.append(clean_text[ci:])
    return "".join(out)
