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
question (`A: 18\\n\\nQ: ...`) are dropped. Work is linear in the response length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reasonloop.verify.cjk import find_cjk_answer
from reasonloop.verify.commitment import (
    drop_rejected,
    final_statement,
    is_placeholder,
    offered_after,
)
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
MAX_BOXES = 16  # only the last few boxes matter; bounds the work on pathological input
MAX_BOX_CHARS = 8192  # a box longer than this is not an answer
MAX_SCAN_CHARS = 400_000  # answers live at the end; very long responses are read from the tail

_BOX_COMMANDS = ("\\boxed", "\\fbox")
_TAG_OPEN, _TAG_CLOSE = "<answer>", "</answer>"  # RL-style answer tags, matched ignoring case
_MARKERS = (  # (source, where the answer starts); the answer runs to the end of that line
    ("####", re.compile(r"####")),
    # PRM800K's answer heading: `# Answer\n\n30` (the line breaks sometimes stored as `\n`)
    ("# Answer", re.compile(r"(?im)^[ \t]*#[ \t]*answer\b(?:[ \t]*\\n)*")),
    ("final answer", re.compile(r"(?i)final\s+answer[*_}]*\s*(?:is|:|=)?\s*:?[*_}]*")),
    (
        "the answer is",
        re.compile(  # not a rate or a count: "2 points/answer = 48", "each answer is worth"
            r"(?i)(?<![/\w])(?<!per\s)(?<!each\s)(?<!every\s)(?<!correct\s)(?<!right\s)"
            r"(?:the\s+)?(?:correct\s+|right\s+)?(?:answer|option|choice)"
            r"(?:\s*\([A-Za-z ]{1,30}\))?"  # zero-shot CoT: `the answer (arabic numerals) is`
            r"\s+(?:is|would\s+be|will\s+be|=)\s*:?"
        ),
    ),
    ("Answer:", re.compile(r"(?i)(?<![a-z0-9])answer[*_}]*\s*[:\uff1a][*_}]*")),
    # a label starting its line and followed by math, no colon: `Answer $9$`, `Answer \(x\)`
    ("Answer", re.compile(r"(?im)^[ \t#>*_]*answer[*_}]*[ \t]+(?=\$|\\[(\[]|\\boxed)")),
    # Chinese `答案是 42`, `最终答案：42` ("the (final) answer is"), not `答案是否` ("whether")
    ("答案", re.compile(r"答案[*_]*(?:是(?!否)|为|[:\uff1a])[*_]*\s*[:\uff1a]?[*_]*")),
    # "The answer is" in the other languages of MGSM's native chain-of-thought prompts (the
    # phrases lm-evaluation-harness's mgsm_native_cot tasks extract the answer after)
    (
        "the answer is (translated)",
        re.compile(
            r"(?i)(?:la\s+r[ée]ponse\s+est|die\s+antwort\s+lautet|la\s+respuesta\s+es"
            r"|ответ\s*[—–-]|答えは|jibu\s+ni|উত্তর\s+হল|సమాధానం|คำตอบคือ)\s*:?"
        ),
    ),
)
# text every match of a marker holds (lowercased): a marker whose needles are all absent is
# not scanned for
# (needles, reach): a match starts at most `reach` characters before its needle
_MARKER_NEEDLES = {
    "####": (("####",), 8),
    "# Answer": (("answer",), 16),
    "final answer": (("final",), 8),
    "the answer is": (("answer", "option", "choice"), 40),  # `the correct answer`
    "Answer:": (("answer",), 8),
    "Answer": (("answer",), 40),  # `> ** Answer`
    "答案": (("答案",), 8),
    "the answer is (translated)": (
        ("réponse", "reponse", "antwort", "respuesta", "ответ", "答えは", "jibu", "উত্তর",
         "సమాధానం", "คำตอบคือ"),
        16,  # `la réponse`
    ),
}  # fmt: skip
# `the answer is S, where S is the final answer`: a template echoed, not an answer
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
_TEMPLATE_ECHO = "(?i)(?<![A-Za-z]){0}\\s+(?:is|denotes|represents|stands\\s+for)\\b"
# Markup left around a label once the label is matched: `\textbf{Answer:} 8`, `__Answer__: 8`
_LABEL_MARKUP = re.compile(r"[ \t*_}]*(?::[ \t*_}]*)?")
MAX_BLANK_LINES = 2
MAX_TEMPLATE_ECHOES = 3  # "**Final Answer**", blank lines, then the answer
_BARE_NUMBER_LINE = re.compile(
    r"\$?\s*(\\?\$?\s*-?\d[\d,]*(?:\.\d+)?)\s*\$?(?:\s+(?P<unit>[a-zA-Z]+))?\.?"
)
_BOLD = re.compile(r"\*\*([^*\n]{1,80})\*\*")
_LAST_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?")
_CLAUSE_END = re.compile(  # also a Chinese full stop or comma (`答案是192公斤，因为...`)
    r"\.(?=\s|$)|\s(?:because|since|which|so|as|where|when|if|but|and\s+so)\b|[;!?]|\s{2,}"
    r"|[\u3002\uff0c\uff01\uff1f\uff1b\u0964]"  # and the Bengali and Hindi danda `।`
)
# "42 + 27, which is 79": a clause after the answer that states the final value again
_RESTATEMENT = re.compile(
    r"(?i)(?:,\s*|\s+)(?:which|that)\s+(?:is\s+equal\s+to|equals?|is|gives(?:\s+us)?|makes"
    r"|comes\s+to|results\s+in)\s+(?=[-+$\\(\d.])"
)
# a whole-line comment, or ` % text` (a spaced `%` followed by text is no percent sign)
_LATEX_COMMENT = re.compile(r"(?m)^[ \t]*%.*$|(?<=[ \t])%[ \t]+\S.*$")
_SENTENCE_END = re.compile(r"\.(?=\s|$)|[;!?\n]")
_UNEVALUATED = re.compile(  # arithmetic still to do; a fraction `1/3` is a value
    r"\d\s*(?:[-+*×·÷]|\\(?:times|cdot|div)(?![A-Za-z])|\s(?:times|x)\s)\s*-?\d"
)
# `not 5 but 6`, `not $5$, but rather $6$`: what follows `but` is the answer
_NOT_BUT = re.compile(
    r"(?i)^not\s+(?:\$[^$]{1,80}\$|\\\(.{1,80}?\\\)|[^\s,;$]{1,40})\s*,?\s+but\s+(?:rather\s+)?"
)
_VALUE_WORD = re.compile(r"(?<!\\)\b[A-Za-z]{2,}")
_BRACE_TOKEN = re.compile(r"\\.|[{}]", re.DOTALL)


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
        statement = final_statement(text, boxes) + offered_after(text, boxes[-1][1])
        return Extraction(boxes[-1][2], statement, "boxed")
    found = None if mode == "strict" else _read_unboxed(text, mode)
    if found is not None:
        return found
    return Extraction(None, (), "placeholder box" if spans else "none")


def with_offers(text: str, found: Extraction, marker_start: int | None = None) -> Extraction:
    """`found`, with the values the response offers right after its answer (`Answer $12$ or
    $13$`) added to its final statement, where `grade.find_hedge` sees them.

    The answer is looked for after its label (`marker_start`), or else as the last occurrence
    (the readers without a label read the end of the response).
    """
    answer = found.answer
    if answer is None or not answer:
        return found
    at = text.rfind(answer) if marker_start is None else text.find(answer, marker_start)
    if at < 0:
        return found
    offered = offered_after(text, at + len(answer))
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


def _concludes_after(marked: tuple[int, Extraction], box_end: int, text: str) -> bool:
    """A `Final Answer:` / `####` statement after the last box, opening its own sentence and
    stating a value, is the final commitment; `(Reference answer: 11.)` after a box is not."""
    start, extraction = marked
    if start < box_end or extraction.source not in ("final answer", "####", "# Answer"):
        return False
    if not _PLAIN_VALUE.fullmatch(extraction.answer or ""):
        return False  # only a plain number overrides a box
    return _OPENS_STATEMENT.search(text[max(box_end, start - 200) : start]) is not None


def _read_markers(text: str) -> tuple[int, Extraction] | None:
    """(where the phrase starts, what follows it) for the most trusted answer phrase present."""
    lowered = text.lower()
    aligned = len(lowered) == len(text)  # lowercasing kept every index (almost always)
    for source, pattern in _MARKERS:
        # Every match holds one of the marker's needles, so the last match starts shortly before
        # the last needle: scan from there (plain `rfind`s are far cheaper than the pattern's
        # scan of the whole text), and the whole text only if that finds nothing.
        needles, reach = _MARKER_NEEDLES[source]
        last = max(lowered.rfind(needle) for needle in needles)
        if last < 0:
            continue
        found = _after_last(pattern, text, max(0, last - reach)) if aligned else None
        found = found or _after_last(pattern, text)
        if found is not None:
            start, rest = found
            return start, Extraction(_read_sentence(cut_answer(rest)), (), source)
    return None


def _read_sentence(answer: str) -> str:
    """`Final Answer: The largest $n$ is 34.` states 34: a sentence after a marker is read as
    a final sentence (`prose`, `statement`); when neither rule reads it, it stays as written
    (and is graded as an explanation, not a value)."""
    if len(_VALUE_WORD.findall(answer)) < 3:
        return answer
    sentence = answer.rstrip(".") + "."
    found = find_prose_answer(sentence) or find_final_math(sentence)
    return answer if found is None else found


def _is_template(answer: str, text: str) -> bool:
    """No answer at all: nothing after the phrase, a placeholder box, or a template echo."""
    if not answer.strip() or is_placeholder(answer):
        return True
    for command in _BOX_COMMANDS:  # `The answer is \boxed{ }`
        if answer.startswith(command):
            box = read_box(answer, 0)
            if box is not None and is_placeholder(box[1]):
                return True
    if len(answer) == 1 and answer.isalpha():  # `the answer is N`: a variable, not a value
        if answer not in _CHOICE_LETTERS:
            return True
        return re.search(_TEMPLATE_ECHO.format(re.escape(answer)), text) is not None
    return False


def find_boxes(text: str) -> list[str]:
    """Contents of the last boxes (`\\boxed{..}`, `\\fbox{..}`, `\\boxed 5`), in order.

    A box nested inside another counts once, as the outer box.
    """
    return [content for _, _, content in find_box_spans(text)]


def find_box_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of the last boxes, in order (see `find_boxes`)."""
    found: list[tuple[int, int, str]] = []
    end = len(text)
    for _ in range(2 * MAX_BOXES):  # bounded attempts: unclosed boxes must not cost n^2
        if len(found) >= MAX_BOXES:
            break
        start = max(text.rfind(command, 0, end) for command in _BOX_COMMANDS)
        if start < 0:
            break
        end = start
        box = read_box(text, start)
        if box is None:
            continue
        stop, content = box
        while found and found[-1][0] < stop:  # an inner box of this one
            found.pop()
        found.append((start, stop, content))
    return found[::-1]


def find_answer_tags(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of the last `<answer>...</answer>` tags, in order.

    Searched from the end with `rfind`, so unclosed or repeated tags cost linear time.
    """
    lower = text.lower()
    found: list[tuple[int, int, str]] = []
    end = len(text)
    while len(found) < MAX_BOXES:
        close = lower.rfind(_TAG_CLOSE, 0, end)
        start = lower.rfind(_TAG_OPEN, 0, close) if close >= 0 else -1
        if start < 0:
            break
        found.append((start, close + len(_TAG_CLOSE), text[start + len(_TAG_OPEN) : close]))
        end = start
    return found[::-1]


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
    statement = final_statement(text, spans) + offered_after(text, spans[-1][1])
    return Extraction(spans[-1][2], statement, sources[spans[-1][0]])


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
            if _find_unescaped(text, right, len(left)) == len(text) - len(right):
                return text[len(left) : len(text) - len(right)].strip()
    return text


def read_box(text: str, start: int) -> tuple[int, str] | None:
    """Read the box command at `start`: (end index, content), or None if it is not a box."""
    i = start + (6 if text.startswith("\\boxed", start) else 5)
    if i < len(text) and text[i].isalpha():
        return None  # \boxeds or similar: another command
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text):
        return None
    if text[i] != "{":
        match = re.compile(r"[^\s$]+").match(text, i)
        return None if match is None else (match.end(), match.group(0))
    close = match_brace(text, i)
    if close is None:
        return None
    return close + 1, text[i + 1 : close].strip()


def match_brace(text: str, open_index: int) -> int | None:
    """Index of the `}` closing the `{` at open_index (escaped braces skipped), bounded scan."""
    depth = 0
    limit = min(len(text), open_index + MAX_BOX_CHARS)
    for match in _BRACE_TOKEN.finditer(text, open_index, limit):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return match.start()
    return None


def cut_answer(capture: str) -> str:
    """Trim what follows an answer marker down to the answer itself.

    A rejection is read as one: `the answer is not 5 but 6` states 6.
    """
    text = capture.strip().strip("*").strip()
    text = _NOT_BUT.sub("", text, count=1)
    restated = _restated_value(text)
    if restated is not None:
        return restated
    for left, right in DELIMITERS:
        if text.startswith(left):
            close = _find_unescaped(text, right, len(left))
            if close > 0:
                return text[len(left) : close].strip()
    match = _CLAUSE_END.search(text)
    if match is not None:
        text = text[: match.start()]
    return text.strip().strip("*").rstrip(".,:").strip()


def _restated_value(text: str) -> str | None:
    """X of a first sentence `42 + 27, which is X`: the value the answer is last stated as.

    X must look like a value (a number, `$...$`, LaTeX), not words (`which is the total`) or
    more arithmetic (`69, which is 42 + 27` keeps 69).
    """
    end = _SENTENCE_END.search(text)
    sentence = text if end is None else text[: end.start()]
    last = None
    for match in _RESTATEMENT.finditer(sentence):
        last = match
    if last is None:
        return None
    value = cut_answer(text[last.end() :])
    words = _VALUE_WORD.findall(value)
    if not value or _UNEVALUATED.search(value) or not all(w.lower() in UNITS for w in words):
        return None
    return value


def _find_unescaped(text: str, target: str, start: int) -> int:
    """Index of `target` at or after start that is not escaped (`\\$` is a dollar sign)."""
    index = text.find(target, start)
    while index > 0 and text[index - 1] == "\\" and target[0] == "$":
        index = text.find(target, index + 1)
    return index


def _after_last(pattern: re.Pattern[str], text: str, start: int = 0) -> tuple[int, str] | None:
    """(start of the last match of `pattern` at or after `start`, the rest of its line), None
    without a match."""
    last = None
    for match in pattern.finditer(text, start):
        last = match
    if last is None:
        return None
    markup = _LABEL_MARKUP.match(text, last.end())  # "\textbf{Answer:} $8$" -> "$8$"
    start = last.end() if markup is None else markup.end()
    line_end = text.find("\n", start)
    rest = text[start : line_end if line_end >= 0 else len(text)]
    for _ in range(MAX_BLANK_LINES + 1):  # "The answer is:\n18", "**Final Answer**\n\n18"
        if rest.strip(" \t*_") or line_end < 0:
            break
        next_end = text.find("\n", line_end + 1)
        rest = text[line_end + 1 : next_end if next_end >= 0 else len(text)]
        line_end = next_end
    return last.start(), _close_display(rest, text, line_end)


def _close_display(rest: str, text: str, line_end: int) -> str:
    """`Answer $$\n 9 \n$$`: a display delimiter left open at the line end runs to its close."""
    opened = rest.strip()
    for left, right in (("$$", "$$"), ("\\[", "\\]")):
        if opened == left and line_end >= 0:
            close = text.find(right, line_end, line_end + MAX_BOX_CHARS)
            if close > 0:
                return left + text[line_end:close] + right
    return rest


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
