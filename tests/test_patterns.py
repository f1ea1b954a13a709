"""Tests for analysis.patterns: the one pattern syntax and matcher of the lexicons."""

from __future__ import annotations

import re

import pytest
from reference.patterns_reference import match_reference, protocol_sequences, tone_sequences

from analysis import config, pipeline
from analysis import protocol as P
from analysis import sentiment as S
from analysis.errors import DataFileError
from analysis.patterns import FEATURES, Matcher, PatternError, compile_pattern
from analysis.segment import is_word, norm_token, segment_articles

HEADER = "version: '1'\nsource: x\nlicence: y\ncitation: z\ncategories:\n  warm:\n    entries:\n"


def test_compile_expands_alternation_and_optional_parts() -> None:
    assert compile_pattern("(close|strategic) partner*?") == [
        ("close", ("pre", "partner")), ("close",), ("strategic", ("pre", "partner")), ("strategic",)]
    assert compile_pattern("met @CAP *") == [("met", ("cap",), ("any",))]


@pytest.mark.parametrize(
    "pattern, problem",
    [("(a|b", "'(' without ')'"), ("a)", "')' without '('"), ("? a", "'?' must follow"), ("* a", "may not begin"),
     ("a*b", "only allowed at the end"), ("", "empty pattern"), ("a|b", "'|' outside a group")],
)
def test_compile_rejects_bad_patterns(pattern: str, problem: str) -> None:
    with pytest.raises(PatternError, match=re.escape(problem)):
        compile_pattern(pattern)


@pytest.mark.parametrize(
    "pattern, feature",
    [("(a|b)", "alternation"), ("a b?", "optional"), ("a*", "prefix"), ("a *", "any"), ("a @CAP", "cap")],
)
def test_each_feature_can_be_disallowed(pattern: str, feature: str) -> None:
    allowed = [f for f in FEATURES if f != feature]
    assert compile_pattern(pattern)  # allowed by default
    with pytest.raises(PatternError, match="is not allowed in a test pattern"):
        compile_pattern(pattern, allow=allowed, context="a test pattern")


def test_matcher_longest_then_priority() -> None:
    m = Matcher()
    for prio, pat in [(2, "good ties"), (1, "goo* ties"), (0, "good*"), (3, "ties")]:
        for seq in compile_pattern(pat):
            m.add(seq, priority=prio, payload=pat)
    words = ["good", "ties", "goodness", "ties", "ties"]
    assert m.match(words) == [(0, 2, "goo* ties"), (2, 2, "goo* ties"), (4, 1, "ties")]


def test_tone_lexicon_accepts_alternation_and_optional_parts(tmp_path) -> None:
    p = tmp_path / "lex.yml"
    p.write_text(HEADER + "      - {patterns: ['(close|strategic) partner*', 'deep* trust?'], weight: 1}\n",
                 encoding="utf-8")
    lex = S.load_tone_lexicon(p)
    assert sorted(q.text for q in lex.patterns) == ["close partner*", "deep*", "deep* trust", "strategic partner*"]
    words = "a strategic partnership of deepest trust".split()
    assert [(i, j, q.text) for i, j, q in lex.match(words)] == [(1, 3, "strategic partner*"), (4, 6, "deep* trust")]


@pytest.mark.parametrize(
    "pattern, problem",
    [("met @CAP", r"'@CAP' \(a capitalised word\) is not allowed in a tone pattern"),
     ("talks with *", r"'\*' alone \(any word\) is not allowed in a tone pattern"),
     ("(close|", r"empty alternative in a group"),
     ("warm (ties", r"unbalanced parenthesis: '\(' without '\)'")],
)
def test_tone_lexicon_rejects_syntax_without_meaning_for_tone(tmp_path, pattern: str, problem: str) -> None:
    p = tmp_path / "bad.yml"
    p.write_text(HEADER + f"      - {{patterns: [{pattern!r}], weight: 1}}\n", encoding="utf-8")
    want = r"bad\.yml: categories\.warm\.entries\[0\]: pattern " + re.escape(repr(pattern)) + ": " + problem
    with pytest.raises(DataFileError, match=want):
        S.load_tone_lexicon(p)


def test_tone_lexicon_duplicate_after_expansion(tmp_path) -> None:
    p = tmp_path / "dup.yml"
    p.write_text(HEADER + "      - {patterns: ['close (ties|ally)', 'close ally'], weight: 1}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"dup\.yml: pattern 'close ally' listed twice"):
        S.load_tone_lexicon(p)


def test_tone_lexicon_file_errors(tmp_path) -> None:
    with pytest.raises(DataFileError, match=r"nope\.yml: file not found \(tone lexicon\)"):
        S.load_tone_lexicon(tmp_path / "nope.yml")
    p = tmp_path / "bad.yml"
    p.write_text("version: '1'\nsource: x\nlicence: y\ncitation: z\ncategories:\n  hot: {entries: [x]}\n",
                 encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad\.yml: categories\.hot: unknown category"):
        S.load_tone_lexicon(p)
    p.write_text("version: '1'\nsource: x\nlicence: y\ncitation: z\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"bad\.yml: missing required key 'categories'"):
        S.load_tone_lexicon(p)


@pytest.fixture(scope="module")
def sample_sentences():
    articles, _report, _removals = pipeline.prepare(config.SAMPLE_CORPUS)
    return segment_articles(articles)


def test_matcher_equals_reference_on_the_sample_with_the_shipped_lexicons(sample_sentences) -> None:
    proto = P.load_lexicon()
    tone = S.default_tone_lexicon()
    pseqs, tseqs = protocol_sequences(proto), tone_sequences(tone)
    n_proto = n_tone = 0
    for toks in sample_sentences["tokens"]:
        norms = [norm_token(t) for t in toks]
        got = proto.match_tokens(norms, toks)
        assert got == match_reference(pseqs, norms, toks), " ".join(toks)
        n_proto += len(got)
        # the tone rules' words: word tokens and the clause punctuation , ; :
        words = [norm_token(t) for t in toks if is_word(t) or t in (",", ";", ":")]
        got_t = tone.match(words)
        assert got_t == [(i, i + k, p) for i, k, p in match_reference(tseqs, words)], " ".join(words)
        n_tone += len(got_t)
    assert n_proto > 100 and n_tone > 100  # the sample exercises both lexicons
