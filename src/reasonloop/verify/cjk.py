"""A final sentence written in Chinese (or Japanese) that states one number.

`因此，杰西开始慢跑前的体重是192公斤。` ("so Jessie weighed 192 kg before she started jogging")
commits to 192 the way `So she has 12 apples left.` commits to 12, and the rule is as narrow
as the English prose rule (prose.py): the response ends with a full stop `。`, the last sentence
holds exactly one number in ASCII digits, written on its own (not `第3步`, "step 3", not glued to
a Latin letter), or one arithmetic chain (`一共有3 + 10 = 13只鸟。`, graded link by link as
an English chain is), no other arithmetic or LaTeX, no question, and none of the words that
hedge, plan, compare or count steps (`或` "or", `大约` "about", `可能` "maybe",
`至少` "at least", `如果` "if", `计算` "calculate", `第` an ordinal, ...). A measure
word or unit after the number (`192公斤`, `858颗`) is read by units.py.
"""

from __future__ import annotations

import re

from reasonloop.verify.guard import find_hack
from reasonloop.verify.prose import BLOCKING_WORDS, MAX_SENTENCE_CHARS

_TAIL_CHARS = 1000
HAN = re.compile(r"[\u4e00-\u9fff\u3040-\u30ff]")
# a sentence ends at a full stop, a colon or a line break, and also where a concluding word
# opens a new one after a space without the full stop (`= 192公斤 因此，她的体重是192公斤。`)
_SENTENCE_BREAK = re.compile(r"[。！？；：\n!?;]|\s(?=(?:因此|所以|因而|故而|综上|总之)[，,]?)")
_MATH = re.compile(r"[=+*/^_{}<>\\|×÷±√≈?？]|\d\s*-\s*\d")
_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_STANDALONE = re.compile(r"(?<![0-9A-Za-z.,\-])(?P<value>-?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?%?)")
_BLOCKING = (
    "或",  # or
    "可能 也许 大概 大约 约 左右 差不多 估计 接近",  # maybe, perhaps, about, around, nearly
    "不是 不到 不会 没有 并非",  # not
    "如果 假如 假设 若 是否",  # if, suppose, whether
    "至少 至多 最多 最少 超过 少于 多于 以上 以下 之间 范围",  # at least/most, more/less than
    "第 步 首先 然后 接下来 其次",  # ordinals, steps, first, then, next
    "需要 计算 求 找出 算出 让我们 检查 验证 问题 题",  # need, calculate, find, let's, check
    "吗 呢 倍 分之",  # question particles, "times", fractions in words
)
_BLOCKING_WORDS = tuple(word for group in _BLOCKING for word in group.split())
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# an arithmetic chain in ASCII digits: `3 + 10 = 13`, `72000 / 18 = 4000`
_TERM = r"[0-9]+(?:\.[0-9]+)?"
_TERMS = rf"{_TERM}(?:\s*[-+*/×÷]\s*{_TERM})*"
_CHAIN = re.compile(rf"(?<![0-9A-Za-z.,])(?:{_TERMS})(?:\s*=\s*{_TERMS})+(?![0-9.])")
# after the number: a Latin letter (`3rd`, `5x`), or a multiplier (`3万` is 30 000, `2倍` twice),
# though `千克` (kilogram), `千米` and `千瓦` are units
_SCALED = re.compile(r"[A-Za-z]|(?!千[克米瓦])[十百千万亿倍]")


def find_cjk_answer(text: str) -> str | None:
    """The single number of a final Chinese sentence, or None.

    >>> find_cjk_answer("我们知道她减掉了126公斤。因此，她开始前的体重是192公斤。")
    '192'
    >>> find_cjk_answer("所以答案可能是192。") is None
    True
    """
    tail = text[-_TAIL_CHARS:].rstrip()
    if not tail.endswith("。"):
        return None
    sentence = _SENTENCE_BREAK.split(tail[:-1])[-1].replace("**", "").strip()
    if not HAN.search(sentence) or len(sentence) > MAX_SENTENCE_CHARS:
        return None
    if any(word in sentence for word in _BLOCKING_WORDS) or find_hack(tail) is not None:
        return None
    if BLOCKING_WORDS.intersection(w.lower() for w in _LATIN_WORD.findall(sentence)):
        return None
    chain = _CHAIN.search(sentence)
    if chain is not None:  # `所以一共有3 + 10 = 13只鸟。`: the chain states its last value
        rest = sentence[: chain.start()] + " " + sentence[chain.end() :]
        if _MATH.search(rest) or _NUMBER.search(rest) or _SCALED.match(sentence, chain.end()):
            return None
        return chain[0]  # graded as a chain: every link must hold
    if _MATH.search(sentence) or len(_NUMBER.findall(sentence)) != 1:
        return None
    match = _STANDALONE.search(sentence)
    if match is None or _SCALED.match(sentence, match.end()):
        return None
    return match["value"]
