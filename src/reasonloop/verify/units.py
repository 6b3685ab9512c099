"""Units, currency words and number words around a value: `5 cm`, `18 dollars`, `seven`."""

from __future__ import annotations

import re

from reasonloop.verify.numbers import parse_plain_number

UNITS = frozenset(
    """
    dollar dollars usd cent cents euro euros pound pounds yen rupees rs
    m cm mm km meter meters metre metres centimeter centimeters kilometer kilometers in inch
    inches ft foot feet yd yard yards mi mile miles g kg mg gram grams kilogram kilograms lb lbs
    oz ounce ounces ton tons l ml liter liters litre litres gallon gallons quart quarts cup cups
    s sec secs second seconds min mins minute minutes h hr hrs hour hours day days week weeks
    month months year years yr yrs mph kmh km/h degree degrees deg rad radians unit units sq
    square cubic percent pct point points people persons students times pages items
    """.split()
)
_HEDGE_WORDS = frozenset({"or", "and", "to", "plus", "minus", "times", "not", "nor", "but"})
_TEXT_TAIL = re.compile(r"(?:\s*\\text\s*\{(?P<t>[^{}]*)\})+\s*(?:\^\s*\{?\s*[23]\s*\}?)?$")
_WORD_TAIL = re.compile(r"(?P<head>.*?[\d}.)a-zA-Z])\s+(?P<tail>[a-zA-Z][a-zA-Z/ .]*?)\s*"
                        r"(?:\^\s*\{?\s*[23]\s*\}?)?$")  # fmt: skip

# `192公斤`, `858颗`, `300分钟`: a measure word or unit in Chinese or Japanese after a number.
# Not `3万` (30 000), `5百`, `2倍` (twice) or `3或4` ("3 or 4"): those change or hedge the value.
_HAN_UNIT = re.compile(
    r"(?P<head>-?\d[\d,]*(?:\.\d+)?)\s*"
    r"(?:千克|千米|千瓦|(?![十百千万亿倍或])[\u4e00-\u9fff\u3040-\u30ff]){1,4}"
)

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_ONES += " fifteen sixteen seventeen eighteen nineteen"
NUMBER_WORDS = {word: value for value, word in enumerate(_ONES.split())}
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS.update({word: 10 * (index + 2) for index, word in enumerate(_TENS)})
FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                  "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
                  "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_NUMBER_PHRASE = re.compile(r"(?i)^((?:(?:[a-z]+)(?:[\s-]+|$))+)")


def strip_units(text: str) -> str:
    """Drop a trailing unit: `5\\text{ cm}^2` -> `5`, `18 dollars` -> `18`.

    Plain trailing words are dropped after a plain number (`12 apples`) or when every word is
    a known unit (`5\\sqrt{2} cm`); hedge words (`or`, `and`) are never dropped.
    """
    han = _HAN_UNIT.fullmatch(text)
    if han is not None:
        return han["head"]
    match = _TEXT_TAIL.search(text)
    if match is not None and match.start() > 0:
        contents = " ".join(re.findall(r"\{([^{}]*)\}", match.group(0)))
        if not set(contents.lower().split()) & _HEDGE_WORDS and not re.search(r"\d", contents):
            text = text[: match.start()].rstrip()
    match = _WORD_TAIL.fullmatch(text)
    if match is None:
        return text
    words = match["tail"].lower().replace(".", " ").split()
    if not words or set(words) & _HEDGE_WORDS:
        return text
    head = match["head"].rstrip()
    if all(w in UNITS for w in words) and not head.endswith("\\"):
        return head
    if parse_plain_number(head) is not None and all(len(w) >= 2 for w in words):
        return head
    return text


def replace_number_words(text: str) -> str:
    """`seven` -> `7`, `twenty-one apples` -> `21 apples`; other text unchanged.

    >>> replace_number_words("one hundred and five")
    '105'
    """
    match = _NUMBER_PHRASE.match(text)
    if match is None:
        return text
    words = match.group(1).lower().replace("-", " ").split()
    count = 0
    while count < len(words) and (
        words[count] in NUMBER_WORDS
        or words[count] in _SCALES
        or (
            words[count] == "and"
            and count > 0
            and count + 1 < len(words)
            and words[count + 1] in NUMBER_WORDS
        )
    ):
        count += 1
    value = read_number_words(words[:count])
    if value is None:
        return text
    if count < len(words) and words[count] in FRACTION_WORDS:  # "one half", "two thirds"
        denominator = FRACTION_WORDS[words[count]]
        count += 1
        rest = " ".join(words[count:])
        return f"\\frac{{{value}}}{{{denominator}}} {rest}".strip()
    rest = " ".join(words[count:])
    return f"{value} {rest}".strip() if rest else str(value)


def read_number_words(words: list[str]) -> int | None:
    """The integer an English number phrase names, or None."""
    if not words or words[0] in _SCALES or words[0] == "and":
        return None
    total = current = 0
    for word in words:
        if word == "and":
            continue
        if word in NUMBER_WORDS:
            current += NUMBER_WORDS[word]
        elif word == "hundred":
            current *= 100
        else:
            total += current * _SCALES[word]
            current = 0
    return total + current
