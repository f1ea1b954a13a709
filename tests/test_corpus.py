"""Tests for analysis.corpus: loaders, report, decoding, dates, cleaning with provenance, restore."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import corpus as C
from analysis import engines, workprogress
from analysis.errors import DataFileError, InputError

DATA = Path(__file__).resolve().parent / "data" / "corpus"
CMAP = {"headline": "title", "body": "text", "published": "date", "outlet": "source"}


def rows(report: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in report[list(C.REPORT_COLUMNS)].itertuples(index=False)]


def restore_all(cleaned: pd.DataFrame, removals: pd.DataFrame) -> list[str]:
    """doc_ids whose raw title or raw text is NOT recovered by restore()."""
    groups = {k: g for k, g in removals.groupby(["doc_id", "field"])}
    empty = removals.iloc[:0]
    bad = []
    for r in cleaned.itertuples():
        if C.restore(r.text, groups.get((r.doc_id, "text"), empty)) != r.raw_text:
            bad.append(r.doc_id)
        if C.restore(r.title, groups.get((r.doc_id, "title"), empty)) != r.raw_title:
            bad.append(r.doc_id)
    return bad


def article(doc_id: str, text: str, title: str = "", source: str = "s") -> dict:
    return dict(doc_id=doc_id, title=title, raw_title=title, source=source, raw_text=text)


# --------------------------------------------------------------------------- loaders


def test_jsonl_every_record_once_with_exact_reasons():
    arts, rep = C.load_corpus(DATA / "records.jsonl")
    assert rows(rep) == [
        ("records.jsonl", "1", "a1", "loaded", "", ""),
        ("records.jsonl", "2", "a2", "loaded", "", ""),
        ("records.jsonl", "3", "records-3", "rejected", "malformed line", "Unterminated string starting at"),
        ("records.jsonl", "5", "records-5", "rejected", "not an object", "list"),
        ("records.jsonl", "6", "a4", "rejected", "missing required column: text", ""),
        ("records.jsonl", "7", "a5", "rejected", "empty text", ""),
        ("records.jsonl", "8", "a1", "rejected", "duplicate id", ""),
        ("records.jsonl", "9", "records-9", "loaded", "", "unparseable date '32/13/2021'"),
        ("records.jsonl", "10", "records-10", "rejected", "not an object", "int"),
    ]
    assert list(arts.columns) == list(C.ARTICLE_COLUMNS)
    assert arts["doc_id"].tolist() == ["a1", "a2", "records-9"]
    assert arts["source"].tolist() == ["Site A", "records", "records"]
    assert arts["url"].tolist() == ["https://example.org/a1", "", ""]
    assert str(arts["date"].dtype).startswith("datetime64") and str(arts["date"].dt.tz) == "UTC"
    assert arts["date"].iloc[0] == pd.Timestamp("2021-01-23 03:14:29", tz="UTC")
    assert arts["date"].iloc[1] == pd.Timestamp("2021-03-04 10:00", tz="UTC")  # naive -> UTC
    assert pd.isna(arts["date"].iloc[2]) and arts["date_raw"].iloc[2] == "32/13/2021"
    assert (arts["title"] == arts["raw_title"]).all()


def test_source_argument_is_the_default_only():
    arts, _ = C.load_corpus(DATA / "records.jsonl", source="My corpus")
    assert arts["source"].tolist() == ["Site A", "My corpus", "My corpus"]


def test_csv_with_column_map():
    arts, rep = C.load_corpus(DATA / "news.csv", column_map=CMAP)
    assert rows(rep) == [("news.csv", "1", "news-1", "loaded", "", ""), ("news.csv", "2", "news-2", "loaded", "", "")]
    assert arts["title"].tolist() == ["Talks held", "Visit"]
    assert arts["raw_text"].tolist() == ["The sides held talks.", "The Prime Minister arrived."]
    assert arts["source"].tolist() == ["Outlet X", "news"]
    assert arts["date"].iloc[0] == pd.Timestamp("2021-01-22", tz="UTC") and pd.isna(arts["date"].iloc[1])


def test_csv_without_text_column_rejects_every_row():
    arts, rep = C.load_corpus(DATA / "notext.csv")
    assert len(arts) == 0
    assert rows(rep) == [
        ("notext.csv", "1", "n1", "rejected", "missing required column: text", ""),
        ("notext.csv", "2", "n2", "rejected", "missing required column: text", ""),
    ]


def test_header_only_csv_gets_a_file_row():
    _, rep = C.load_corpus(DATA / "header_only.csv")
    assert rows(rep) == [("header_only.csv", "", "", "rejected", "no records", "")]


def test_folder_mixes_formats_in_sorted_order_with_relative_inputs():
    arts, rep = C.load_corpus(DATA / "mixed")
    assert rows(rep) == [
        ("mixed/001_meeting.txt", "001_meeting.txt", "001_meeting", "loaded", "", ""),
        ("mixed/002_empty.txt", "002_empty.txt", "002_empty", "rejected", "empty text", ""),
        ("mixed/003_more.jsonl", "1", "m1", "loaded", "", ""),
        # nothing is skipped silently: another format is a report row
        ("mixed/notes.md", "", "", "rejected", "unsupported format",
         "unsupported format .md: use .txt, .jsonl, .ndjson, .csv (optionally .gz) or .parquet"),
    ]
    assert arts["raw_title"].tolist() == ["Leaders met -UPDATED", "Call"]
    assert arts["raw_text"].tolist() == ["\nThe leaders met in Baku.\n", "They spoke."]
    assert not any(p.startswith("/") for p in rep["input"])


def test_several_paths_and_duplicates_across_files(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"id": "m1", "text": "Again."}\n', encoding="utf-8")
    arts, rep = C.load_corpus([DATA / "mixed", tmp_path / "x.jsonl"])
    assert rows(rep)[-1] == ("x.jsonl", "1", "m1", "rejected", "duplicate id", "")
    assert arts["doc_id"].tolist() == ["001_meeting", "m1"]


def test_parquet(tmp_path):
    df = pd.DataFrame({"id": ["p1", None, "p3"], "body": ["Text one.", "Text two.", None],
                       "published": ["2022-06-24T15:48:00Z", "", "2022-01-01"]})
    df.to_parquet(tmp_path / "items.parquet")
    arts, rep = C.load_corpus(tmp_path / "items.parquet", column_map=CMAP)
    assert rows(rep) == [
        ("items.parquet", "1", "p1", "loaded", "", ""),
        ("items.parquet", "2", "items-2", "loaded", "", ""),
        ("items.parquet", "3", "p3", "rejected", "empty text", ""),
    ]
    assert arts["date"].iloc[0] == pd.Timestamp("2022-06-24 15:48", tz="UTC")


def test_broken_parquet_is_unreadable(tmp_path):
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 this is not parquet")
    _, rep = C.load_corpus(tmp_path / "bad.parquet")
    assert rep[["record", "status", "reason"]].values.tolist() == [["", "rejected", "unreadable file"]]


@pytest.mark.parametrize(
    "data, encoding, title, body",
    [
        ("Визит\nПрезидент встретился с послом.".encode("utf-16"), "utf-16-le", "Визит", "Президент встретился с послом."),
        (b"\xfe\xff" + "Title\nBody text.".encode("utf-16-be"), "utf-16-be", "Title", "Body text."),
        (b"\xef\xbb\xbf" + "Title\nBody text.".encode("utf-8"), "utf-8-sig", "Title", "Body text."),
        ("Визит\nПрезидент встретился с послом.".encode("cp1251"), "cp1251", "Визит", "Президент встретился с послом."),
        ("Réunion\nLe Président a reçu l’ambassadeur à Genève.".encode("cp1252"), "cp1252", "Réunion",
         "Le Président a reçu l’ambassadeur à Genève."),
    ],
)
def test_encodings_are_detected_and_noted(tmp_path, data, encoding, title, body):
    (tmp_path / "doc.txt").write_bytes(data)
    arts, rep = C.load_corpus(tmp_path / "doc.txt")
    assert rows(rep) == [("doc.txt", "doc.txt", "doc", "loaded", "", f"encoding {encoding}")]
    assert arts["raw_title"].iloc[0] == title and arts["raw_text"].iloc[0] == body


def test_implausible_bytes_are_rejected_not_mojibake(tmp_path):
    # UTF-8 Cyrillic with one byte cut off: cp1251 would give "РџСЂРё..." (capitals inside words)
    (tmp_path / "bad.txt").write_bytes("Title\nПривет мир".encode("utf-8")[:-1] + b" \x8d\x81")
    (tmp_path / "bin.txt").write_bytes(b"Title\n\x00\x01\x02binary")
    _, rep = C.load_corpus(tmp_path)
    # mostly UTF-8: read as UTF-8, the 3 invalid bytes replaced by U+FFFD and counted in the note
    assert rows(rep) == [
        (f"{tmp_path.name}/bad.txt", "bad.txt", "bad", "loaded", "",
         "encoding utf-8 with 3 invalid bytes replaced by U+FFFD"),
        (f"{tmp_path.name}/bin.txt", "bin.txt", "bin", "rejected", "not text (binary file)", ""),
    ]


def test_jsonl_undecodable_line_rejects_only_that_line(tmp_path):
    good = json.dumps({"id": "g", "text": "Good."}).encode()
    bad = b'{"id": "b", "text": "\xd0\x9f\xd1 broken \x81\x8d"}'
    (tmp_path / "f.jsonl").write_bytes(good + b"\n" + bad + b"\n")
    arts, rep = C.load_corpus(tmp_path / "f.jsonl")
    assert rows(rep) == [("f.jsonl", "1", "g", "loaded", "", ""), ("f.jsonl", "2", "f-2", "rejected", "undecodable bytes", "")]


def test_binary_jsonl_gets_a_file_row(tmp_path):
    (tmp_path / "f.jsonl").write_bytes(b"\x00\x00\x00")
    _, rep = C.load_corpus(tmp_path / "f.jsonl")
    assert rows(rep) == [("f.jsonl", "", "", "rejected", "not text (binary file)", "")]


def test_unusable_arguments_raise_input_error(tmp_path):
    with pytest.raises(InputError, match="input not found: .*nope"):
        C.load_corpus(tmp_path / "nope")
    (tmp_path / "a.docx").write_text("x")
    with pytest.raises(InputError, match=r"unsupported file type '\.docx'.*a\.docx"):
        C.load_corpus(tmp_path / "a.docx")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .txt/.jsonl/.csv/.parquet files in folder: .*empty"):
        C.load_corpus(tmp_path / "empty")
    with pytest.raises(InputError, match="column_map target"):
        C.load_corpus(DATA / "news.csv", column_map={"body": "content"})


def test_every_reason_is_documented():
    _, rep = C.load_corpus([DATA / "records.jsonl", DATA / "notext.csv", DATA / "header_only.csv", DATA / "mixed"])
    for reason in set(rep["reason"]) - {""}:
        assert reason.split(":")[0] in C.REJECTION_REASONS


@pytest.mark.parametrize(
    "value, expected, note",
    [
        ("2021-01-22T22:14:29-05:00", "2021-01-23 03:14:29", ""),
        ("2022-06-24T15:48:00Z", "2022-06-24 15:48:00", ""),
        ("2021-01-22", "2021-01-22 00:00:00", ""),
        ("22 January 2021", "2021-01-22 00:00:00", ""),
        ("January 22, 2021", "2021-01-22 00:00:00", ""),
        ("Jan 22, 2021", "2021-01-22 00:00:00", ""),
        ("22.01.2021", "2021-01-22 00:00:00", ""),
        ("2021/01/22 10:30", "2021-01-22 10:30:00", ""),
        ("Fri, 22 Jan 2021 22:14:29 +0100", "2021-01-22 21:14:29", ""),
        ("01/02/2021", None, "unparseable date '01/02/2021'"),
        ("32/13/2021", None, "unparseable date '32/13/2021'"),
        ("yesterday", None, "unparseable date 'yesterday'"),
        ("", None, ""),
        (None, None, ""),
    ],
)
def test_parse_date(value, expected, note):
    ts, got_note = C.parse_date(value)
    assert got_note == note
    if expected is None:
        assert pd.isna(ts)
    else:
        assert ts == pd.Timestamp(expected, tz="UTC")


# --------------------------------------------------------------------------- edit list and restore


def test_edit_text_composes_and_never_overlaps():
    t = C.EditText("a\xa0 b<sup>th</sup>")
    t.sub(re.compile(r"</?sup>"), "", "markup")
    t.sub(re.compile("\xa0"), " ", "unicode normalisation")
    t.sub(re.compile(" {2,}"), " ", "whitespace")
    assert t.text == "a bth"
    assert t.edits() == [
        (1, 2, "\xa0", " ", "unicode normalisation"),
        (2, 3, " ", "", "whitespace"),
        (4, 9, "<sup>", "", "markup"),
        (11, 17, "</sup>", "", "markup"),
    ]


def test_restore_rejects_edits_that_do_not_fit():
    e = pd.DataFrame({"start": [0], "end": [1], "text": ["x"], "replacement": ["y"]})
    assert C.restore("yab", e) == "xab"
    with pytest.raises(ValueError):
        C.restore("zab", e)


def test_edit_text_two_edits_inside_one_earlier_replacement():
    """Two edits of one call inside the same earlier replacement (found by the property test below)."""
    t = C.EditText("<")
    t.apply([(0, 1, "yy", "r0")])
    t.apply([(0, 1, "yy", "r0")])
    t.apply([(0, 1, "", "r0"), (2, 3, "", "r1")])
    assert t.text == "y" and t.edits() == [(0, 1, "<", "y", "r0")]
    assert C.restore(t.text, pd.DataFrame(t.edits(), columns=["start", "end", "text", "replacement", "reason"])) == "<"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab \n\xa0<>", max_size=30), st.data())
def test_edit_text_restores_after_random_edits(raw, data):
    t = C.EditText(raw)
    for _ in range(data.draw(st.integers(0, 4))):
        n = len(t.text)
        if n == 0:
            break
        cuts = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=6))))
        pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i] < cuts[i + 1]]
        edits = [(s, e, data.draw(st.sampled_from(["", "X", "yy"])), f"r{k}") for k, (s, e) in enumerate(pairs)]
        t.apply(edits)
    df = pd.DataFrame(t.edits(), columns=["start", "end", "text", "replacement", "reason"])
    assert C.restore(t.text, df) == raw
    starts = df["start"].tolist()
    ends = df["end"].tolist()
    assert starts == sorted(starts) and all(ends[i] <= starts[i + 1] for i in range(len(starts) - 1))


# --------------------------------------------------------------------------- cleaning steps


def clean_one(text: str, title: str = "", **kw) -> tuple[str, str, pd.DataFrame]:
    arts = pd.DataFrame([article("d", text, title)])
    out, rem = C.clean(arts, **kw)
    assert restore_all(out, rem) == []
    return out["text"].iloc[0], out["title"].iloc[0], rem


def test_markup_keeps_tag_content_and_records_spans():
    text, _, rem = clean_one("the 70<sup>th</sup>\xa0anniversary \\[senior official\\].\n\n\\###\n")
    assert text == "the 70th anniversary [senior official]."
    assert rem[rem["reason"] == "markup"][["start", "end", "text"]].values.tolist() == [
        [6, 11, "<sup>"], [13, 19, "</sup>"], [32, 33, "\\"], [49, 50, "\\"], [54, 58, "\\###"]]
    assert rem[rem["reason"] == "unicode normalisation"][["start", "end", "text", "replacement"]].values.tolist() == [
        [19, 20, "\xa0", " "]]


def test_markup_figure_comment_emphasis_autolink_cut_marker():
    raw = "A **bold** and *it* <https://x.org/a>.\n\n<figure>\n<img src=\"p.jpg\" />\n</figure>\n\n<!-- -->\n\nB <...> C"
    text, _, _ = clean_one(raw)
    assert text == "A bold and it https://x.org/a.\n\nB C"


def test_markdown_emphasis_variants():
    raw = "Andr**é**s met the UN**,** and *the President’s\nAdviser*.\n\n- **Consult: **The leaders.\n\n*\n\nEnd *note"
    text, _, _ = clean_one(raw)
    assert text == "Andrés met the UN, and the President’s Adviser.\n\n- Consult: The leaders.\n\nEnd *note"


def test_whitespace_unwraps_hard_wraps_and_normalises_paragraphs():
    raw = " \nThe President spoke with\nthe Prime Minister.  Both\n\n\n  agreed.   \n- item one\n- item two\n"
    text, _, rem = clean_one(raw)
    assert text == "The President spoke with the Prime Minister. Both\n\nagreed.\n\n- item one\n\n- item two"
    assert set(rem["reason"]) == {"whitespace"}


def test_long_lines_are_paragraphs_not_wraps():
    long_line = "word " * 30
    text, _, _ = clean_one(long_line.strip() + "\nSecond paragraph here.")
    assert text == long_line.strip() + "\n\nSecond paragraph here."


def test_unicode_normalisation_keeps_curly_quotes():
    text, _, _ = clean_one("“Biden’s”\u200b call…\ufb01nal")
    assert text == "“Biden’s” call...final"


@pytest.mark.parametrize(
    "raw, clean_title",
    [
        ("President received Governor-UPDATED", "President received Governor"),
        ("President received Governor - UPDATED 2", "President received Governor"),
        ("[VIDEO] President received Governor", "President received Governor"),
        ("President received Governor (PHOTO)", "President received Governor"),
        ("PHOTOS: Leaders met in Baku VIDEO", "Leaders met in Baku"),
        ("Video address by the President", "Video address by the President"),
        ("UPDATED", "UPDATED"),
        ("Readout\xa0of  the call", "Readout of the call"),
    ],
)
def test_title_markers(raw, clean_title):
    _, title, rem = clean_one("Body.", raw)
    assert title == clean_title
    if raw != clean_title and "UPDATED" in raw or "VIDEO" in raw or "PHOTO" in raw:
        assert "title marker" in set(rem[rem["field"] == "title"]["reason"]) or title == raw


def test_repeated_paragraph_kept_once():
    raw = "Lead paragraph here.\n\nSecond one.\n\nLead paragraph here."
    text, _, rem = clean_one(raw)
    assert text == "Lead paragraph here.\n\nSecond one."
    assert rem[["start", "end", "text", "reason"]].values.tolist() == [
        [33, 55, "\n\nLead paragraph here.", "repeated paragraph"]]


def test_repeated_sentence_rules():
    s = "The two leaders agreed to stay in close touch on all these issues."
    # repeat of an earlier paragraph's sentence: removed; immediate repeat: removed
    text, _, rem = clean_one(f"{s} Other.\n\nThen more. {s}\n\nThen again. {s} {s}")
    assert text == f"{s} Other.\n\nThen more.\n\nThen again."
    assert rem["reason"].tolist() == ["repeated sentence"] * 3
    # a later recurrence within its own paragraph (rhetoric, lists) is kept; short ones always
    raw = f"{s} Other text. {s}\n\nThank you. Thank you."
    assert clean_one(raw)[0] == raw


def test_steps_can_be_switched_off_and_unknown_steps_raise():
    raw = "A\xa0b\n\nA\xa0b"
    assert clean_one(raw, steps=["unicode"])[0] == "A b\n\nA b"
    assert clean_one(raw, steps=[])[0] == raw
    with pytest.raises(InputError, match="unknown cleaning step"):
        C.clean(pd.DataFrame([article("d", "x")]), steps=["nope"])


def test_recurring_lines_are_boilerplate_per_source_with_thresholds():
    footer = "Follow all the news of the agency on our website every day."
    arts = pd.DataFrame(
        [article(f"a{i}", f"Story number {i} about the talks.\n\n{footer}", source="site") for i in range(5)]
        + [article("b0", f"Other story.\n\n{footer}", source="other")]
        + [article("a5", footer, source="site")]
        + [article(f"c{i}", f"Plain story {i}.", source="site") for i in range(19)]
    )
    # the footer is in 6 of 25 "site" articles (24 %) and in 1 "other" article
    out, rem = C.clean(arts)
    assert out["text"].tolist()[:5] == [f"Story number {i} about the talks." for i in range(5)]
    assert out["text"].tolist()[5:7] == [f"Other story.\n\n{footer}", footer]  # other source; never emptied
    assert rem["reason"].tolist() == ["boilerplate: recurring line"] * 5
    assert rem["text"].tolist() == ["\n\n" + footer] * 5
    assert restore_all(out, rem) == []
    for kw in ({"boilerplate_min_docs": 7}, {"boilerplate_min_share": 0.25}):
        out2, rem2 = C.clean(arts, **kw)
        assert out2["text"].iloc[0].endswith(footer) and len(rem2) == 0
    out3, rem3 = C.clean(arts, boilerplate_min_share=0.24)
    assert len(rem3) == 5


def test_known_phrase_from_data_file_and_override(tmp_path):
    text, _, rem = clean_one("Talks were held.\n\nRead more:\n\nEnd of talks.")
    assert text == "Talks were held.\n\nEnd of talks."
    assert rem["reason"].tolist() == ["boilerplate: known phrase"]
    custom = tmp_path / "bp.yml"
    custom.write_text("version: '1'\nsource: s\nlicence: CC0-1.0\ncitation: c\ntitle_markers: [BREAKING]\n"
                      "phrases:\n  - {pattern: 'end of talks\\.', description: test}\nlanguages: [en, az]\n")
    _, title, rem2 = clean_one("Talks were held.\n\nEnd of talks.", "BREAKING: Talks-UPDATED", boilerplate_path=custom)
    assert title == "Talks-UPDATED"
    assert rem2[rem2["field"] == "text"]["reason"].tolist() == ["boilerplate: known phrase"]


@pytest.mark.parametrize(
    "content, problem",
    [
        ("source: s\nlicence: l\ncitation: c\n", "missing required key 'version'"),
        ("version: '1'\nsource: ' '\nlicence: l\ncitation: c\n", "key 'source': is empty"),
        ("version: '1'\nsource: s\nlicence: l\ncitation: c\ntitle_markers: [updated]\n", "title_markers entry 0"),
        ("version: '1'\nsource: s\nlicence: l\ncitation: c\nphrases:\n  - {pattern: '(', description: x}\n",
         "phrases entry 0 .*bad regex"),
        ("version: '1'\nsource: s\nlicence: l\ncitation: c\nlanguages: [az]\n", "must include 'en'"),
        ("version: [1\n", "invalid YAML"),
    ],
)
def test_bad_boilerplate_file_names_file_and_entry(tmp_path, content, problem):
    p = tmp_path / "bp.yml"
    p.write_text(content)
    with pytest.raises(DataFileError, match=f"bp.yml.*{problem}"):
        C.load_boilerplate(p)


@pytest.mark.parametrize(
    "line, lang",
    [
        ("Bütün xəbərləri reklamsız oxumaq üçün", "az"),
        ("Слава Україні!", "uk"),
        ("Ilham Aliyev, Igor Babushkin", None),
        ("Andriy Yermak, Ihor Zhovkva, Olena Zelenska", None),
        ("President Zelenskyy met Recep Tayyip Erdoğan in Ankara.", None),
        ("The sides discussed cooperation in the energy sector.", None),
        ("Q", None),
    ],
)
def test_foreign_language(line, lang):
    assert C.foreign_language(line) == lang


def test_foreign_sentence_inside_english_paragraph():
    raw = "We will win. Thank you to everyone who helps us. Слава Україні!"
    text, _, rem = clean_one(raw)
    assert text == "We will win. Thank you to everyone who helps us."
    assert rem[["start", "end", "reason"]].values.tolist() == [[48, 63, "boilerplate: foreign language (uk)"]]


def test_clean_does_not_mutate_and_keeps_columns():
    arts, _ = C.load_corpus(DATA / "mixed")
    before = arts.copy(deep=True)
    out, rem = C.clean(arts)
    pd.testing.assert_frame_equal(arts, before)
    assert list(out.columns) == list(C.CLEANED_COLUMNS)
    assert list(rem.columns) == list(C.REMOVAL_COLUMNS)
    assert out["title"].tolist() == ["Leaders met", "Call"]
    with pytest.raises(InputError, match="duplicate doc_id"):
        C.clean(pd.concat([arts, arts]))


def test_fingerprint_and_summary():
    arts, rep = C.load_corpus(DATA / "records.jsonl")
    fp = C.fingerprint(arts)
    assert re.fullmatch(r"[0-9a-f]{16}", fp)
    assert C.fingerprint(arts.iloc[::-1]) == fp
    changed = arts.copy()
    changed.loc[0, "raw_text"] = changed.loc[0, "raw_text"] + " "
    assert C.fingerprint(changed) != fp
    out, rem = C.clean(arts)
    s = C.summary(rep, rem)
    assert list(s.columns) == ["table", "status", "reason", "count", "chars", "docs"]
    rep_part = s[s["table"] == "report"]
    assert dict(zip(rep_part["reason"], rep_part["count"])) == {
        "": 3, "duplicate id": 1, "empty text": 1, "malformed line": 1,
        "missing required column: text": 1, "not an object": 2}
    assert s[s["table"] == "removals"]["count"].sum() == len(rem)


# --------------------------------------------------------------------------- robustness


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200), st.text(max_size=200))
def test_arbitrary_input_never_raises(tmp_path, blob, text):
    for name, data in (("a.txt", blob), ("b.jsonl", blob), ("c.csv", blob),
                       ("d.jsonl", json.dumps({"text": text, "title": text[:20]}).encode())):
        (tmp_path / name).write_bytes(data)
    arts, rep = C.load_corpus(tmp_path)
    assert set(rep["status"]) <= {"loaded", "rejected"}
    assert (rep["status"] == "loaded").sum() == len(arts)
    arts = pd.concat([arts, pd.DataFrame([article("extra", text, text[:30])])], ignore_index=True)
    out, rem = C.clean(arts)
    assert restore_all(out, rem) == []


# --------------------------------------------------------------------------- the seed article


def test_seed_article_exact(seed_path):
    arts, rep = C.load_corpus(seed_path)
    assert rows(rep) == [("000_0239ef98210910e4.txt", "000_0239ef98210910e4.txt", "000_0239ef98210910e4",
                          "loaded", "", "")]
    out, rem = C.clean(arts)
    row = out.iloc[0]
    assert row["title"] == ("President Ilham Aliyev received Governor of the Astrakhan Oblast of the Russian "
                            "Federation")
    lead = ("Ilham Aliyev, President of the Republic of Azerbaijan, received Igor Babushkin, Governor of the "
            "Astrakhan Oblast of the Russian Federation, APA reports.")
    assert row["text"].count(lead) == 1 and row["text"].startswith(lead)
    assert row["text"].endswith("Exchange of views took place on issues related to the prospects of cooperation.")
    assert "xəbərləri" not in row["text"]
    body = rem[rem["field"] == "text"]
    got = body[body["reason"] != "whitespace"][["start", "end", "text", "reason"]].values.tolist()
    assert got == [
        [2220, 2222, "\n\n", "repeated paragraph"],
        [2223, 2375, lead, "repeated paragraph"],
        [2375, 2414, "\n\nBütün xəbərləri reklamsız oxumaq üçün", "boilerplate: foreign language (az)"],
        [2414, 2462, "\n\nGünlük ölkədə baş verən xəbərləri bizdən izlə.", "boilerplate: foreign language (az)"],
    ]
    # the whitespace between the removed copy's separator and the copy itself ("\n\n\n" -> "\n\n")
    assert body[(body["start"] == 2222)][["end", "text", "reason"]].values.tolist() == [[2223, "\n", "whitespace"]]
    assert row["raw_text"].index(lead) < 2223 and row["raw_text"][2223:2375] == lead
    title_rows = rem[rem["field"] == "title"][["start", "end", "text", "reason", "replacement"]].values.tolist()
    assert title_rows == [[90, 98, "-UPDATED", "title marker", ""]]
    assert restore_all(out, rem) == []
    assert row["text"].count("\n\n") == 9  # ten paragraphs, separated by exactly one blank line


# --------------------------------------------------------------------------- shared corpora


@pytest.mark.shared
def test_shared_corpora_accounted_and_restorable(shared_dir):
    d = shared_dir / "corpora"
    paths = [d / "whitehouse_readouts" / "readouts.jsonl", d / "president_gov_ua_en" / "protocol.jsonl",
             d / "president_gov_ua_en" / "other.jsonl"]
    n_lines = sum(sum(1 for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()) for p in paths)
    arts, rep = C.load_corpus(paths)
    out, rem = C.clean(arts)
    assert n_lines == 1846 and len(rep) == n_lines
    assert rep.groupby("input")["record"].apply(lambda s: s.is_unique).all()
    assert set(rep["status"]) == {"loaded"} and len(out) == 1846
    assert restore_all(out, rem) == []
    # no English paragraph or sentence is lost as boilerplate or as a foreign line
    dropped = rem[rem["reason"].str.startswith("boilerplate")]
    for span in dropped["text"]:
        assert C.foreign_language(span.strip()) is not None, span
    # the cleaned text has no markup or odd whitespace left
    assert not out["text"].str.contains("\xa0|<sup>|\\\\###|\n\n\n| {2}", regex=True).any()
    assert not out["title"].str.contains("\xa0").any()
    assert (out["text"].str.len() > 0).all()


def test_cleaning_on_workers_equals_one_process(monkeypatch):
    """Partitions of 3 articles on 2 processes: the footer recurs in 6 articles spread over
    several partitions (no partition alone reaches the 5-article threshold), so the counts must
    be merged corpus-wide before any paragraph is removed."""
    monkeypatch.setattr(workprogress, "PARTITION_SIZE", 3)
    footer = "Follow all the news of the agency on our website every day."
    arts = pd.DataFrame(
        [article(f"a{i:02d}", f"Story {i} about the talks.\n\n{footer}" if i % 3 == 0 else f"Plain\xa0story {i}.",
                 source="site") for i in range(18)]
    )
    one, rem_one = C.clean(arts)
    with engines.session(workers=2, progress=False) as s:
        assert len(s.partitions(arts)) == 6
        two, rem_two = C.clean(arts, session=s)
    assert (rem_one["reason"] == "boilerplate: recurring line").sum() == 6
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(rem_one, rem_two)


def test_foreign_language_ascii_fast_path_counts_letters_like_the_general_path():
    """For ASCII text the letter count comes from the word matches: same as counting [^\\W\\d_]."""
    import random

    rng = random.Random(1)
    alphabet = "abcXYZ 019_'-.,\n\t\"!?"
    for _ in range(20000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        words = C._WORD_RE.findall(t)
        assert sum(len(w) for w in words) - sum(1 for w in words if "'" in w) == len(C._ALPHA.findall(t)), t
    assert C.foreign_language("Ilham Aliyev, Igor Babushkin") is None


def test_jsonl_numbers_booleans_and_lone_surrogates_are_rejected_per_record(tmp_path):
    """A JSON number or boolean is no article text, and a "\\ud800" escape is no text at all:
    each such record is rejected with a reason, the good records of the file load."""
    from analysis import corpus as C

    p = tmp_path / "c.jsonl"
    p.write_text(
        '{"id": "a", "text": 12345}\n'
        '{"id": "b", "text": true}\n'
        '{"id": "c", "text": "Bad \\ud800 escape."}\n'
        '{"id": "d", "text": "The sides met in Baku."}\n', encoding="utf-8")
    arts, report = C.load_corpus([str(p)])
    assert arts["doc_id"].tolist() == ["d"]
    got = dict(zip(report["doc_id"], report["reason"]))
    assert got == {"a": "text is not a string", "b": "text is not a string", "c-3": "invalid text", "d": ""}
    notes = dict(zip(report["doc_id"], report["note"]))
    assert "JSON int 12345" in notes["a"] and "JSON bool true" in notes["b"] and "lone surrogate" in notes["c-3"]


def test_bidi_controls_are_removed_with_provenance_and_do_not_split_words():
    import pandas as pd

    from analysis import corpus as C
    from analysis import entities as E

    raw = "Presidents of Azer\u200ebaijan and \u202aRussia\u202c met; Ukraine\u2066 and\u2069 Poland \u200fsigned."
    arts = pd.DataFrame({"doc_id": ["a"], "title": ["T"], "raw_title": ["T"], "raw_text": [raw], "date": [pd.NaT],
                         "source": ["s"], "url": [""], "input": ["x"], "record": ["1"]})
    clean, removals = C.clean(arts)
    text = clean["text"].iloc[0]
    assert text == "Presidents of Azerbaijan and Russia met; Ukraine and Poland signed."
    assert set(removals["reason"]) == {C.REASON_UNICODE} and len(removals) == 6
    assert C.restore(text, removals[removals["field"] == "text"]) == raw
    assert [m.country for m in E.default_gazetteer().find(text)] == ["AZE", "RUS", "UKR", "POL"]


def test_rfc2822_zone_abbreviations_are_read_or_noted():
    from analysis.corpus import parse_date

    ts, note = parse_date("Mon, 20 Jun 2022 10:00:00 EEST")
    assert str(ts) == "2022-06-20 07:00:00+00:00" and note == ""
    ts, note = parse_date("Mon, 20 Jun 2022 10:00:00 XYZ")
    assert str(ts) == "2022-06-20 10:00:00+00:00" and note == "time zone 'XYZ' not known: time taken as UTC"
    assert parse_date("Fri, 22 Jan 2021 22:14:29 EST")[0] == parse_date("Sat, 23 Jan 2021 03:14:29 +0000")[0]


def test_markdown_links_are_reduced_to_their_anchor_text_with_provenance():
    raw = 'They met at the [July APEC meeting](https://www.whitehouse.gov/x "t") and ![img](https://x/y.png) [note] (see).'
    arts = pd.DataFrame([article("a", raw)])
    cleaned, removals = C.clean(arts)
    assert cleaned["text"].iloc[0] == "They met at the July APEC meeting and ![img](https://x/y.png) [note] (see)."
    row = removals[removals["field"] == "text"].iloc[0]
    assert (row["start"], row["end"], row["replacement"], row["reason"]) == (16, 69, "July APEC meeting", "markup")
    assert C.restore(cleaned["text"].iloc[0], removals[removals["field"] == "text"]) == raw


def test_txt_folder_reads_a_sidecar_or_a_date_in_the_file_name(tmp_path):
    d = tmp_path / "outlet"
    d.mkdir()
    (d / "2021-07-14_call.txt").write_text("Call with Japan\nThe leaders spoke.", encoding="utf-8")
    (d / "note.txt").write_text("Visit\nThe minister visited.", encoding="utf-8")
    (d / "note.json").write_text(json.dumps({"date": "2022-03-01", "source": "mfa.example", "url": "https://x"}),
                                 encoding="utf-8")
    (d / "bad.txt").write_text("Bad\nBody text.", encoding="utf-8")
    (d / "bad.json").write_text(json.dumps({"dated": "2022"}), encoding="utf-8")
    arts, rep = C.load_corpus(d)
    a = arts.set_index("doc_id")
    assert str(a.loc["2021-07-14_call", "date"].date()) == "2021-07-14"
    assert a.loc["2021-07-14_call", "source"] == "outlet"  # the folder name without a sidecar
    assert str(a.loc["note", "date"].date()) == "2022-03-01" and a.loc["note", "source"] == "mfa.example"
    assert a.loc["note", "url"] == "https://x"
    r = rep.set_index("doc_id")
    assert "date from the file name" in r.loc["2021-07-14_call", "note"]
    assert "fields from note.json" in r.loc["note", "note"]
    assert (r.loc["bad", "status"], r.loc["bad", "reason"]) == ("rejected", "bad sidecar")
    assert "unknown field(s) dated" in r.loc["bad", "note"]
    assert len(rep) == 3  # sidecars are read with their .txt file, not reported as records


def test_load_corpus_progress_counts_records(tmp_path, monkeypatch, capsys):
    import sys

    from analysis import corpus as corpus_mod

    f = tmp_path / "c.jsonl"
    f.write_text('{"id": "a", "text": "One."}\n{"id": "b", "text": ""}\n{"id": "c", "text": "Two."}\n',
                 encoding="utf-8")
    arts, report = corpus_mod.load_corpus(f, progress=True)
    err = capsys.readouterr().err
    assert "loading" in err and "records" in err and len(report) == 3
    # in a notebook kernel with PROTOCOL_NEWS_PROGRESS=0 (how notebooks are executed): nothing
    monkeypatch.setenv("PROTOCOL_NEWS_PROGRESS", "0")
    monkeypatch.setitem(sys.modules, "ipykernel", sys.modules.get("ipykernel") or object())
    arts2, _ = corpus_mod.load_corpus(f)
    assert capsys.readouterr().err == ""
    assert arts2.equals(arts)


# --------------------------------------------------------------------------- fast paths of cleaning vs their oracles

#: Pieces of real-looking raw text: markup, escapes, emphasis, odd spaces and line ends, NFKC candidates.
_RAW_PIECES = [
    "The President", " met", " Minister", ".", ",", " ", "  ", "\t", "\n", "\n\n", "\n \n", "\r\n", "\r", "\n\t", " \n", "  \n",
    "<b>", "</b>", "<figure>x</figure>", "<!-- c -->", "<https://a.org/x>", "[anchor](https://a.org/y)",
    "[...]", "<...>", "\\[", "\\#", "\\###", "**", "*", "__", "###", "\xa0", "\u2028", "\u2029", "\x85",
    "\u200b", "\x07", "ﬁ", "ｆ", "…", "e\u0301", "é", "’", "“", "- ", "1. ", "x" * 120,
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_RAW_PIECES), max_size=40).map("".join), st.booleans())
def test_first_steps_equal_the_ungated_reference(raw, title):
    """The first cleaning steps search a pattern only when the text holds a character its
    matches need: the same text and edits as searching every pattern."""
    from reference.cleaning_reference import first_steps_reference

    from analysis import cleaning

    t = C.EditText(raw)
    cleaning._markup(t, title=title)
    cleaning._unicode(t)
    cleaning._whitespace(t, title=title)
    cleaning._strip(t)
    ref = first_steps_reference(raw, title=title)
    assert (t.text, t.edits()) == (ref.text, ref.edits())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \t\n\r\x0b", max_size=40))
def test_paragraphs_equal_the_first_pattern(text):
    from reference.cleaning_reference import paragraphs_reference

    from analysis import cleaning

    assert cleaning._paragraphs(text) == paragraphs_reference(text)


def test_paragraphs_and_sub_if_exact_values():
    from analysis import cleaning

    assert cleaning._paragraphs("a b\n \n\n  c\nd \n\t\ne") == [(0, 3), (9, 12), (16, 17)]
    t = C.EditText("a  b")
    cleaning._sub_if(t, ("\t",), re.compile(" +"), " ", "whitespace")  # no tab: not searched
    assert t.text == "a  b" and t.edits() == []
    cleaning._sub_if(t, ("\t", "  "), re.compile(" {2,}"), " ", "whitespace")
    assert t.text == "a b" and t.edits() == [(2, 3, " ", "", "whitespace")]
    t = C.EditText("a\xa0b")
    cleaning._sub_if(t, None, re.compile("\xa0"), " ", "unicode normalisation")  # None: non-ASCII text
    assert t.text == "a b"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_RAW_PIECES), max_size=40).map("".join))
def test_counting_pass_text_equals_the_tracked_text(raw):
    """The boilerplate counting pass runs the first steps on a PlainText: the same text as the
    EditText of the cleaning pass."""
    from analysis import cleaning

    plan = cleaning._CleanPlan(chosen=frozenset(cleaning.CLEANING_STEPS), phrases=(), languages=("en",), markers=None)
    assert cleaning._first_body(raw, plan).text == cleaning._first_steps(raw, "", plan)[0].text


def test_plain_text_exact_values():
    from analysis.edits import PlainText

    for t in (PlainText("a\n\n\nb  c"), C.EditText("a\n\n\nb  c")):
        t.sub(re.compile(r"\n{2,}"), "\n\n", "whitespace")
        t.sub(re.compile(r"x*"), "Z", "empty matches are never replaced")
        t.sub(re.compile(r" +"), lambda m: None if len(m.group()) == 1 else " ", "whitespace")
        t.apply([(4, 5, "B", "r"), (0, 1, "", "r")])
        assert t.text == "\n\nbBc"
    with pytest.raises(ValueError):
        t.apply([(0, 2, "", "r"), (1, 3, "", "r")])


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60) | st.lists(st.sampled_from(_RAW_PIECES + ["Слава", "ї", "²", "½", "٣", "_", "9", "ǅ"]),
                                       max_size=20).map("".join))
def test_letter_counts_equal_the_letter_lists(text):
    from reference.cleaning_reference import letter_counts_reference

    from analysis import cleaning

    assert cleaning._letter_counts(text) == letter_counts_reference(text)


def test_letter_counts_exact_values():
    from analysis import cleaning

    assert cleaning._letter_counts("Слава Україні! 2 A_b") == (14, 2)
    assert cleaning._letter_counts("") == (0, 0)
