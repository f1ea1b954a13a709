"""Press-conference transcripts: which sentences are a journalist's question.

A spokesperson's transcript alternates journalists' questions and the official's answers.  A
journalist's question asks for the speaker's position and takes no stance of its own, unlike the
rhetorical question of a speech ("Can such behavior go unpunished?"), which the tone model reads
as criticism (``cue:question`` in :func:`analysis.tone_model.features`), and the pair rules let
such a question carry the country of the previous sentence into the answer
(:mod:`analysis.dyads`).  :data:`PRESS_QUESTION_RE` recognises a journalist's turn by

- its speaker label: "Q:", "QUESTION:", "Question (retranslated):", "Journalist:", "Reporter:",
  the bare capital "Q" of the White House's and the State Department's transcripts ("Q And just
  finally, ...", "Q Kirby, do you ...", "Q — would they ..."; a capital Q, then a space, then a
  capital letter, a quotation mark or a dash, so that "Qatar" and "Q4" are not labels),
  or a news organisation, as foreign ministries' transcripts label their questions ("AFP:",
  "Bloomberg:", "CCTV:", "China Daily:", "Phoenix TV:", "Xinhua News Agency:"): a listed agency
  or broadcaster, or a name of up to four words ending in News, TV, Times, Daily, Post, Agency,
  Radio, Television, Broadcasting, Media (Group), Monthly, Weekly, Journal, Press, Newspaper,
  Magazine, Network, Channel or Service;
- or a request addressed to the speaker: "What's your comment?", "What is China's response?",
  "How does the ministry view this?", "Could you confirm ...?", "Does the Chinese side have any
  comment?".

The bare "Q" label joined in sentence model 1.21.0 (CHANGELOG): measured by paired refits, it
raised the briefings' held-out tone in every refit and moved no other outlet beyond noise.
"""

from __future__ import annotations

import re

__all__ = ["MEDIA_LABELS", "PRESS_QUESTION_RE", "is_press_question"]

#: News organisations that label a journalist's turn in a transcript ("AFP: ..."), as a regular
#: expression (lower case; matched case-insensitively before the label's colon).
MEDIA_LABELS: str = (
    r"afp|ap|ani|cctv|cgtn|cnn|bbc|nhk|efe|pti|tass|ria|kbs|mbc|sbs|abc|nbc|cbs|rthk|tvb|dpa|ansa|upi|rfi|dw|"
    r"reuters|bloomberg|xinhua|sputnik|yonhap|kyodo|nikkei|asahi|anadolu|lusa|interfax|novosti|"
    r"(?:[\w&'’.-]+\s+){0,3}(?:news|tv|times|daily|post|agency|radio|television|broadcasting|media(?:\s+group)?|"
    r"monthly|weekly|journal|press|newspaper|magazine|network|channel|service)"
)
_ASKED = r"(?:comments?|responses?|reactions?|views?|assessments?|positions?)"

#: A journalist's question at a press conference or briefing (see the module docstring).
PRESS_QUESTION_RE: re.Pattern[str] = re.compile(
    r"(?i)(?:^\s*(?:q|question)\s*[:.]|^\s*(?-i:Q\s+(?=[A-Z\"“‘'—–-]))|"
    r"^\s*(?:question|journalist|reporter|correspondent|" + MEDIA_LABELS + r")\s*(?:\([^)]{0,40}\)\s*)?:|"
    r"\b(?:what(?:'s|’s| is| are)|how do) (?:your |the (?:chinese|russian|ministry's|ministry’s|"
    r"government's|government’s) |(?:the )?[\w-]+(?: side)?(?:'s|’s) )?" + _ASKED + r"\b|"
    r"\bhow do(?:es)? (?:you|the ministry|china|russia) (?:comment|respond|view|see|assess)\b|"
    r"\b(?:can|could|would) you (?:please )?(?:confirm|share|tell|comment|elaborate|give|brief|update|"
    r"clarify|respond|provide)\b|"
    r"\bdo(?:es)? (?:you|(?:the )?[\w-]+(?: side)?) have (?:any )?(?:comments?|response|reaction|information|details)\b)"
)


def is_press_question(sentence: str) -> bool:
    """Whether *sentence* is a journalist's turn or request (:data:`PRESS_QUESTION_RE`).

    Examples
    --------
    >>> [is_press_question(s) for s in ("AFP: Does China have any comment?",
    ...                                 "What is China's response?",
    ...                                 "Bloomberg News: The talks ended on Friday.",
    ...                                 "Can such behavior go unpunished?",
    ...                                 "BAKU: The two presidents met on Friday.")]
    [True, True, True, False, False]
    """
    return PRESS_QUESTION_RE.search(sentence) is not None
