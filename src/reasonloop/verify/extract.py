"""Find the final answer in a model response.

Order of trust: the last `<answer>...</answer>` tag, the last `\\boxed{}`/`\\fbox{}` (placeholder
boxes such as `\\boxed{\\quad}` are skipped; boxes and tags of the final statement are kept
together so that a hedge among them is seen, see `commitment`), then GSM8K `####`, PRM800K's
`# Answer`, "final answer is", "the answer is", "Answer:", `Answer $9$`, a QA-style `A: 18` line,
a closing bold `**...**`, a last line that is only a number, a response that is only an
answer, a plain final sentence with exactly one number (see `prose`), a final sentence with its
answer in math or an equation chain (see `statement`), and (permissive mode only) the last
number anywhere. Strict mode reads tags and boxes only. Before any of this, Unicode math is
folded (`symbols`), and LaTeX comments, closing chat-template tokens and a made-up next few-shot
question (`A: 18\\n\\nQ: ...`) are dropped. Work is linear in the response length. Boxes and tags
are found in `boxes`, answer labels read in `labels`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reasonloop.verify.boxes import (
    BOX_COMMANDS,
    find_answer_tags,
    find_box_spans,
    find_boxes,
    read_box,
)
from reasonloop.verify.cjk import find_cjk_answer
from reasonloop.verify.commitment import (
    drop_rejected,
    final_statement,
    is_placeholder,
    offered_after,
    rejects_own_answer,
)
from reasonloop.verify.labels import cut_answer, find_unescaped, read_label
from reasonloop.verify.prose import find_prose_answer
from reasonloop.verify.statement import (
    DELIMITERS,
    find_final_math,
    find_qa_answer,
    find_restated_ending,
    find_whole_answer,
)
from reasonloop.verify.symbols import fold_unicode
from reasonloop.verify.units import UNITS

MODES = ("strict", "default", "permissive")
MAX_SCAN_CHARS = 400_000  # answers live at the end; very long responses are read from the tail

# chat-template tokens a sampler left at the end (`<|im_start|>user`, `<|eot_id|>`, `</s>`)
_CHAT_TOKENS = re.compile(r"(?:\s*(?:<\|[a-z_]{2,20}\|>|</s>)(?:user|assistant)?)+\s*$")
_CHAT_TOKENS_TAIL = 400
_PLAIN_VALUE = re.compile(r"\\?\$?\s*-?\d[\d,]*(?:\.\d+)?")
_OPENS_STATEMENT = re.compile(
    r"(?i)(?:^|\n|[.!?$]\s)[\s*#_>]*(?:final\s+answer[*_]*\s*:?[*_]*\s*)?(?:the\s+)?$"
)
_ANSWER_LINE = re.compile(r"(?m)^[ \t>*_]*(?:A|Answer)[ \t]*[*_]*:")
_QUESTION_LINE = re.compile(r"(?m)^[ \t>*_]*(?:Q|Question)[ \t]*[*_]*:")
_CHOICE_LETTERS = "ABCDEFGHIJ"  # `The answer is B.` is a multiple-choice answer
# `the answer is S, where S is the final answer`: a template echoed, not an answer
_TEMPLATE_ECHO = "(?i)(?<![A-Za-z]){0}\\s+(?:is|denotes|represents|stands\\s+for)\\b"
MAX_TEMPLATE_ECHOES = 3  # "**Final Answer**", blank lines, then the answer
_BARE_NUMBER_LINE = re.compile(
    r"\$?\s*(\\?\$?\s*-?\d[\d,]*(?:\.\d+)?)\s*\$?(?:\s+(?P<unit>[a-zA-Z]+))?\.?"
)
_BOLD = re.compile(r"\*\*([^*\n]{1,80})\*\*")
_LAST_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?")
# a whole-line comment, or ` % text` (a spaced `%` followed by text is no percent sign)
_LATEX_COMMENT = re.compile(r"(?m)^[ \t]*%.*$|(?<=[ \t])%[ \t]+\S.*$")


@dataclass(frozen=True)
class Extraction:
    """The answer a response commits to, where it was found, and the answers of its final
    statement (`boxes`: the boxes, tags or answer lines given together with the committed one;
    several different values there are a hedge)."""

    answer: str | None
    boxes: tuple[str, ...]
    source: str


def extract_answer(response: str, mode: str = "default") -> str | None:
    """The final answer text of a response, or None when it commits to none.

    >>> extract_answer("so $x = \\\\boxed{\\\\frac{1}{2}}$.")
    '\\\\frac{1}{2}'
    >>> extract_answer("She makes 18 dollars.\\n#### 18")
    '18'
    """
    return extract(response, mode).answer


def drop_latex_comments(text: str) -> str:
    """Text a LaTeX `%` comment hides is not an answer: `41.\\n% The answer is 42.` states 41.

    Only comments that cannot be a percent sign are dropped: a line starting with `%`, and a
    `%` with spaces on both sides followed by more text (`25% of 80` is kept).

    >>> drop_latex_comments("so it is 41 % the answer is 42"), drop_latex_comments("25% of 80")
    ('so it is 41 ', '25% of 80')
    """
    if "%" not in text:
        return text
    return _LATEX_COMMENT.sub("", text)


def extract(response: str, mode: str = "default") -> Extraction:
    """Extract with provenance; `boxes` lets the caller spot a hedge in the final statement."""
    if mode not in MODES:
        raise ValueError(f"unknown verify mode {mode!r}; use one of {', '.join(MODES)}")
    text = fold_unicode(response[-MAX_SCAN_CHARS:], response=True)
    text = drop_chat_tokens(drop_latex_comments(text))
    text = drop_next_question(text)
    tagged = _tagged_answers(text)
    if tagged is not None:
        return tagged
    spans = find_box_spans(text)
    boxes = drop_rejected(text, [span for span in spans if not is_placeholder(span[2])])
    if boxes:
        marked = None if mode == "strict" else _read_markers(text)
        if marked is not None and _concludes_after(marked, boxes[-1][1], text):
            # `\boxed{255} ... Final Answer: The final answer is $10,455$.`
            return with_offers(text, marked[1], marked[0])
        boxed = Extraction(boxes[-1][2], final_statement(text, boxes), "boxed")
        return settle(text, boxed, boxes[-1][1])
    found = None if mode == "strict" else _read_unboxed(text, mode)
    if found is not None:
        return found
    return Extraction(None, (), "placeholder box" if spans else "none")


def with_offers(text: str, found: Extraction, marker_start: int | None = None) -> Extraction:
    """`settle` for an answer read from text: the answer is looked for after its label
    (`marker_start`), or else as its last occurrence (the readers without a label read the end
    of the response)."""
    answer = found.answer
    if answer is None or not answer:
        return found
    at = text.rfind(answer) if marker_start is None else text.find(answer, marker_start)
    return found if at < 0 else settle(text, found, at + len(answer))


def settle(text: str, found: Extraction, end: int) -> Extraction:
    """The one place every extraction path passes through once its answer (ending at `end`) is
    found: an answer the response goes on to call wrong is no answer (`... 5. Wait, 5 is
    wrong.`), and the values it offers right after the answer (`Answer $12$ or $13$`) join its
    final statement, where `grade.find_hedge` sees them."""
    answer = found.answer
    if answer is None:
        return found
    if rejects_own_answer(text, end, answer):
        return Extraction(None, (), "rejected answer")
    offered = offered_after(text, end)
    if not offered:
        return found
    return Extraction(answer, (*(found.boxes or (answer,)), *offered), found.source)


def _read_unboxed(text: str, mode: str) -> Extraction | None:
    """Default and permissive mode: answer phrases, then the fallbacks, in order of trust.

    A phrase holding only a template echo (`72 + 79 = 151. The answer is N.`) states nothing,
    so the response is read again up to that phrase (a few times at most).
    """
    for _ in range(MAX_TEMPLATE_ECHOES):
        marked = _read_markers(text)
        if marked is None or not _is_template(marked[1].answer or "", text):
            break
        text = text[: marked[0]]
    else:
        return None
    if marked is not None:
        return with_offers(text, marked[1], marked[0])
    qa = find_qa_answer(text)
    if qa is not None:
        return with_offers(text, Extraction(qa[0], qa[1], "answer line"))
    readers = (
        ("bold", _closing_bold),
        ("last line", _bare_last_line),
        ("whole response", find_whole_answer),
        ("prose", find_prose_answer),
        ("chinese prose", find_cjk_answer),
        ("final statement", find_final_math),
        ("restated ending", find_restated_ending),
    )
    for source, reader in readers:
        read = reader(text)
        if read is not None:
            return with_offers(text, Extraction(read, (), source))
    if mode == "permissive":
        number = _last_capture(_LAST_NUMBER, text, group=0)
        if number is not None:
            return Extraction(number, (), "last number")
    return None


def drop_chat_tokens(text: str) -> str:
    """Closing chat-template tokens a sampler left at the end (`<|im_end|>`, `</s>`).

    Only the tail is searched: scanning the whole response for an end-anchored pattern cost
    more than the rest of a typical extraction.

    >>> drop_chat_tokens("so 18.<|im_end|>")
    'so 18.'
    """
    start = max(0, len(text) - _CHAT_TOKENS_TAIL)
    if "<" not in text[start:]:
        return text
    found = _CHAT_TOKENS.search(text, start)
    return text if found is None else text[: found.start()]


def drop_next_question(text: str) -> str:
    """A few-shot model that answered and went on to write the next `Q:` (or `Question:`)
    was not stopped: what follows belongs to a question it made up, not to this one.

    >>> drop_next_question("so 18.\\nA: 18\\n\\nQ: How many cats?\\nA: 7")
    'so 18.\\nA: 18\\n\\n'
    """
    answer = _ANSWER_LINE.search(text)
    if answer is None:
        return text
    question = _QUESTION_LINE.search(text, answer.end())
    return text if question is None else text[: question.start()]


def _read_markers(text: str) -> tuple[int, Extraction] | None:
    """(where the label starts, its answer as an extraction) for the most trusted label."""
    found = read_label(text)
    if found is None:
        return None
    start, answer, source = found
    return start, Extraction(answer, (), source)


def _concludes_after(marked: tuple[int, Extraction], box_end: int, text: str) -> bool:
    """A `Final Answer:` / `####` statement after the last box, opening its own sentence and
    stating a value, is the final commitment; `(Reference answer: 11.)` after a box is not."""
    start, extraction = marked
    if start < box_end or extraction.source not in ("final answer", "####", "# Answer"):
        return False
    if not _PLAIN_VALUE.fullmatch(extraction.answer or ""):
        return False  # only a plain number overrides a box
    return _OPENS_STATEMENT.search(text[max(box_end, start - 200) : start]) is not None


def _is_template(answer: str, text: str) -> bool:
    """No answer at all: nothing after the phrase, a placeholder box, or a template echo."""
    if not answer.strip() or is_placeholder(answer):
        return True
    for command in BOX_COMMANDS:  # `The answer is \boxed{ }`
        if answer.startswith(command):
            box = read_box(answer, 0)
            if box is not None and is_placeholder(box[1]):
                return True
    if len(answer) == 1 and answer.isalpha():  # `the answer is N`: a variable, not a value
        if answer not in _CHOICE_LETTERS:
            return True
        return re.search(_TEMPLATE_ECHO.format(re.escape(answer)), text) is not None
    return False


def _tagged_answers(text: str) -> Extraction | None:
    """Answer tags win; boxes outside them still count as answers (hedging across both).

    An empty tag (`use <answer></answer> tags`, said while thinking) is no answer.
    """
    tags = [tag for tag in find_answer_tags(text) if tag[2].strip()]
    if not tags:
        return None
    items = [(start, end, _read_tag(content), "answer tag") for start, end, content in tags]
    for start, end, content in find_box_spans(text):
        outside = not any(tag_start <= start < tag_end for tag_start, tag_end, _ in tags)
        if outside and not is_placeholder(content):
            items.append((start, end, content, "boxed"))
    items.sort()
    sources = {start: source for start, _, _, source in items}
    spans = drop_rejected(text, [(start, end, answer) for start, end, answer, _ in items])
    if not spans:
        return Extraction(None, (), "answer tag")
    found = Extraction(spans[-1][2], final_statement(text, spans), sources[spans[-1][0]])
    return settle(text, found, spans[-1][1])


def _read_tag(content: str) -> str:
    """The answer inside one tag: its last box, else the whole content without `$...$`.

    The content is never cut at a clause: `<answer>5. Or 6</answer>` must stay a hedge.
    """
    boxes = find_boxes(content)
    if boxes:
        return boxes[-1]
    text = content.strip()
    for left, right in DELIMITERS:
        if text.startswith(left) and len(text) >= len(left) + len(right):
            if find_unescaped(text, right, len(left)) == len(text) - len(right):
                return text[len(left) : len(text) - len(right)].strip()
    return text


def _last_capture(pattern: re.Pattern[str], text: str, group: int = 1) -> str | None:
    last = None
    for match in pattern.finditer(text):
        last = match
    return None if last is None else last.group(group)


def _bare_last_line(text: str) -> str | None:
    """A last line that is nothing but a number (`$72`, `10`): an answer on its own line."""
    tail = text[-200:].rstrip()
    line = tail[tail.rfind("\n") + 1 :].strip()
    match = _BARE_NUMBER_LINE.fullmatch(line)
    if match is None or (match["unit"] and match["unit"].lower() not in UNITS):
        return None
    return match.group(1)


def _closing_bold(text: str) -> str | None:
    """A bold phrase near the end that is not a heading ("**Step 2:**")."""
    tail = text[-400:]
    bolds = list(_BOLD.finditer(tail))  # a 400-character tail holds few
    if not bolds or bolds[-1][1].rstrip().endswith(":"):
        return None
    last = bolds[-1]
    if tail[last.end() :].lstrip().startswith((":", "\uff1a")):
        return None  # "**Conclusion**: ...", "**结论**：...": a heading before the answer
    return cut_answer(last[1])
