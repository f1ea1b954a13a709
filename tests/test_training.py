"""Tests of analysis.training (train-tone) with standoff files rebuilt from several corpus folders,
and of a gold file given as standoff labels to validate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import coded, tone_model, training
from analysis import validate as V
from analysis.errors import InputError

T_AZ = "President Ilham Aliyev received Governor of the Astrakhan Oblast of the Russian Federation"
SENTS = [("He thanked Russia for the friendship and praised the excellent relations.", True, 1, True),
         ("Exchange of views took place on issues of cooperation.", True, 0, True),
         ("The weather was cold and it rained in the capital.", False, None, False),
         ("The sides condemned the threats, voiced deep concern and criticised the hostile actions.", True, -1, False)]
#: outlet -> (corpus folder name, corpus file under it, title, pair); the first ships as text
OUTLETS = {"us-site": ("", "", "Readout of President Biden's Call with Prime Minister Kishida of Japan", "JPN-USA"),
           "president_gov_ua_en": ("ua", "president_gov_ua_en/protocol.jsonl", "Meeting with the President of Poland",
                                   "POL-UKR"),
           "china_mfa_pressconf": ("mfa", "china_mfa_pressconf/transcripts.jsonl", T_AZ, "AZE-RUS")}


def _files(tmp_path: Path) -> tuple[Path, list[Path], list[Path]]:
    """A text gold file, two standoff files and the two folders their corpora are in."""
    text_rows, standoff = [], {}
    for outlet, (folder, corpus_file, title, dyad) in OUTLETS.items():
        recs = []
        for k in range(4):
            art = f"{outlet}-art{k}"
            body = " ".join(s for s, *_ in SENTS)
            recs.append({"id": art, "title": title, "date": "2020-01-0" + str(k + 1), "text": body})
            pos = 0
            for j, (s, a, tone, p) in enumerate(SENTS):
                start = body.index(s, pos)
                lab = {"about_ties": a, "dyad": dyad if a else "", "tone": tone, "protocol": p}
                prev = SENTS[j - 1][0] if j else ""
                if not folder:
                    text_rows.append({"item": f"{outlet}-{k}{j}", "article_id": art, "source": outlet, "title": title,
                                      "prev": prev, "sentence": s, **lab})
                else:
                    ps = body.index(prev) if j else 0
                    standoff.setdefault(outlet, []).append(
                        {"item": f"{outlet}-{k}{j}", "article_id": art, "source": outlet, "start": start,
                         "end": start + len(s), "prev_start": ps, "prev_end": ps + len(prev), "sha1": coded.sha1_12(s),
                         **lab})
                pos = start + len(s)
        if folder:
            f = tmp_path / folder / corpus_file
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
            if outlet == "president_gov_ua_en":
                (f.parent / "other.jsonl").write_text("", encoding="utf-8")
    gold = tmp_path / "text.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in text_rows), encoding="utf-8")
    offs = []
    for outlet, rows in standoff.items():
        p = tmp_path / f"standoff_{outlet}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        offs.append(p)
    return gold, offs, [tmp_path / "ua", tmp_path / "mfa"]


def test_train_tone_rebuilds_standoff_files_from_several_folders(tmp_path: Path) -> None:
    gold, offs, folders = _files(tmp_path)
    out = training.train_file([gold], tmp_path / "model.json", standoff=offs, corpora=folders, version="9.9.9")
    meta = json.loads(out.read_text(encoding="utf-8"))
    assert meta["version"] == "9.9.9" and meta["trained_on"]["n_items"] == 48
    assert meta["trained_on"]["outlets"] == {"china_mfa_pressconf": 16, "president_gov_ua_en": 16, "us-site": 16}
    assert [f["file"] for f in meta["trained_on"]["files"]] == ["text.jsonl", *(p.name for p in offs)]
    assert tone_model.load_model(out).meta["version"] == "9.9.9"
    with pytest.raises(InputError, match="--standoff needs --corpora"):
        training.train_file([gold], tmp_path / "m2.json", standoff=offs)
    with pytest.raises(InputError, match="file not found"):  # the MFA corpus is in neither folder given
        training.train_file([gold], tmp_path / "m3.json", standoff=offs, corpora=folders[:1])


def test_validate_scores_a_gold_file_given_as_standoff(tmp_path: Path) -> None:
    gold, offs, folders = _files(tmp_path)
    pool = coded.load_items(gold) + coded.load_standoff(offs[0], corpora=folders)
    res = V.validate(offs[1], train=pool, corpora=folders, n_boot=50)
    m = res.metrics.set_index(["outlet", "metric"])
    assert set(res.metrics["outlet"]) == {"china_mfa_pressconf", "all"}
    assert m.loc[("all", "about_ties_f1"), "n"] == 16 and m.loc[("all", "tone_macro_f1"), "n"] == 12
    assert res.training.set_index("held_out").loc["china_mfa_pressconf", "n_train"] == 32
    with pytest.raises(InputError, match="give the folder of the corpora"):
        V.validate(offs[1], train=pool, n_boot=50)
