# ruff: noqa: E501 - the rows are other projects' literal test data, kept unbroken
"""Other math graders' own test tables as a held-out suite (data, not code).

    python benchmarks/corpus/build_grader_cases.py

Writes `grader_cases.jsonl` next to this file. Every row is a literal `(gold, response,
label)` taken from the test file of another project's math answer grader (the repository and
path are in each row's `source`); none was written for reasonloop, and none was chosen after
seeing how reasonloop grades it. The projects' own labels are kept, also where we disagree: a
row whose label we believe is wrong for a reward, or whose input looks garbled, says so in its
`note` instead of being flipped. Rows already in the `peer` suite (Math-Verify's tests) are
left out, so the two suites do not count the same case twice.

How each source's call maps onto (gold, response): NeMo-Skills asserts `math_equal(a, b)` both
ways round, so each pair gives two rows (`ab`, `ba`); Hendrycks' MATH grades
`is_equiv(model_output, answer)`, Qwen2.5-Math `math_equal(prediction, reference)`, verl
`is_equiv(remove_boxed(gt), pred)`, lighteval `compare_strings(gold, pred)`, AReaL
`gsm8k_reward_fn(completions, answer)` and `worker.verify(response, gold)`, slime
`grade_answer_verl(response, gold)`. Non-string
arguments (NeMo-Skills' `5.0`, `5 / 2`) are written as Python's `str()` of them; a `None`
answer is left out. The licences are the projects' (Apache-2.0 NeMo-Skills, verl and
Qwen2.5-Math, AReaL and slime; MIT Hendrycks' MATH and lighteval); the cases are theirs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reasonloop.files import write_jsonl

HERE = Path(__file__).resolve().parent
OUT = HERE / "grader_cases.jsonl"
PEER = HERE / "peer_cases.jsonl"
T, F = True, False

NEMO = "NVIDIA/NeMo-Skills:tests/test_math_equal.py"
HENDRYCKS = "hendrycks/math:modeling/math_equivalence_test.py"
VERL = "volcengine/verl:tests/utils/reward_score/test_numeric_canonicalization_on_cpu.py"
QWEN = "QwenLM/Qwen2.5-Math:evaluation/grader.py (TestMathEquality)"
LIGHTEVAL = "huggingface/lighteval:tests/unit/metrics/test_extractive_match.py"
AREAL = "inclusionAI/AReaL:areal/tests/test_math_verify_reward.py (fork leandermaben/AReaL)"
SLIME = "cklxx/slime:tests/test_math_reward_utils.py"

# (a, b, label, note): math_equal(a, b) and math_equal(b, a) are both asserted
NEMO_PAIRS: list[tuple[str, str, bool, str]] = [
    ("5", "5", T, ""),
    ("5", "5.0", T, ""),
    ("1/2", "0.5", T, ""),
    ("\\frac{1}{2}", "0.5", T, ""),
    ("918\\frac{1}{2}", "918.5", T, "a mixed number written without a space"),
    ("x^2+2x+1", "x^2 + 2*x + 1", T, ""),
    ("x^2+2x+1", "x^2 + 2*x - (-1)", T, ""),
    ("y = x^2+2x+1", "2x+ 1+x^2", T, "an equation y = f against the bare f"),
    ("odd", "\\text{odd}", T, ""),
    ("E", "\\mathrm{E}", T, ""),
    ("A", "\\textbf{A}", T, ""),
    ("f'", "f'", T, ""),
    ("185", "185\\\\", T, "a trailing LaTeX line break"),
    ("185\\\\", "185\\\\", T, "a trailing LaTeX line break"),
    (".185", "0.185", T, ""),
    ("\\frac {1}{2}", "0.5", T, ""),
    ("17\\text{ any text}", "17", T, "any text after a number counts as a unit"),
    ("\\$10", "10", T, ""),
    ("10%", "10", T, ""),
    ("10\\%", "10", T, ""),
    ("2.5", "\\frac{5}{2}", T, "the test writes 5 / 2, a Python float"),
    ("\\frac{1}{3}", "\\dfrac{1}{3}", T, ""),
    ("(r+5)(r+5)", "(r+5)^2", T, ""),
    ("\\frac{\\sqrt{3}}{3}", "\\frac{\\sqrt{3}}{3} \\approx 0.577", T, ""),
    ("C", "C. x = 42", T, "a choice letter followed by its option text"),
    (
        "\\begin{pmatrix}0&0&0\\\\0&1&0\\\\0&0&1\\end{pmatrix}",
        "\\begin{bmatrix} 0 & 0 & 0 \\\\ 0 & 1 & 0 \\\\ 0 & 0 & 1 \\end{bmatrix}",
        T,
        "",
    ),
    ("5", "5.001", F, ""),
    ("x^2+2x+1", "x^3+2x+1", F, ""),
    ("odd", "\\text{oddd}", F, ""),
    ("E", "\\mathrm{E}*2", F, ""),
    ("\\sqrt{67},-\\sqrt{85}", "\\sqrt{67}", F, ""),
]

# the MATH grader compares strings; a bare comma list in MATH is mostly "enter all the
# solutions, separated by commas", where order is no part of the answer
ORDER = (
    "label disputed: reasonloop reads a bare comma list as a set of solutions (order is no "
    "part of MATH's 'enter all solutions' answers); an ordered answer is written as a tuple"
)

# (response, gold, label, note): is_equiv(test_in, test_out)
HENDRYCKS_ROWS: list[tuple[str, str, bool, str]] = [
    ("\\tfrac{1}{2} + \\frac1{72}", "\\\\frac{1}{2} + 2/3", F, ""),
    ("10, 4, -2", "4, 10, -2", F, ORDER),
    ("10, 4, 2", "4, 12, 2", F, ""),
    (
        "\\tfrac{1}{2} +\\! \\frac1{72}",
        "\\\\dfrac{1}{2} +\\frac{1}{72}",
        T,
        "gold as written holds `\\\\dfrac` (a LaTeX line break, then dfrac): a typo in the test; the label is what was meant",
    ),
    ("10\\text{ units}", "10 ", T, ""),
    ("10\\text{ units}", "100 ", F, ""),
    ("10", "\\$10", T, ""),
    ("\\left(x-2\\right)\\left(x+2\\right)", "(x-2)(x+2)", T, ""),
    ("0.1, 4, 2", "4, .1, 2", F, ORDER),
    ("0.1", ".1", T, ""),
    ("10\\%", "10", T, ""),
    ("10\\sqrt{3} + \\sqrt4", "10\\sqrt3 + \\sqrt{4}", T, ""),
    ("\\frac34i", "\\frac{3}{4}i", T, ""),
    ("\\tfrac83", "\\frac{8}{3}", T, ""),
    ("5x - 7y + 11z + 4 = 0", "x + y - z + 2 = 0", F, ""),
    ("1/2", "\\frac{1}{2}", T, ""),
]

# (gold, response): is_equiv(remove_boxed(gt), pred) is True; AIME answers are zero-padded
VERL_ROWS: list[tuple[str, str, bool, str]] = [
    ("\\boxed{033}", "33", T, ""),
    ("\\boxed{+033}", "33", T, ""),
    ("\\boxed{-0}", "0", T, ""),
    ("\\boxed{000}", "0", T, ""),
]

# (response, gold, label, note): math_equal(prediction, reference, True, True)
QWEN_ROWS: list[tuple[str, str, bool, str]] = [
    ("10", "10", T, ""),
    (
        "10%",
        "0.1",
        T,
        "Qwen's grader reads a percentage as a fraction too; as a reward this is doubtful (10% and 0.1 answer different questions)",
    ),
    ("[1, 2, 3]", "[1, 2, 3]", T, ""),
    (
        "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
        "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
        T,
        "",
    ),
    ("x = y", "x = y", T, ""),
    ("10", "20", F, ""),
    ("x = y", "x = z", F, ""),
    # compare_equations(prediction, reference)
    ("x = 10", "10", T, ""),
    ("10", "x = 10", T, ""),
]

# (gold, response, label, note): compare_strings(gold, pred); most responses are real model
# outputs ("created based on observations from the model outputs", the file says)
LIGHTEVAL_ROWS: list[tuple[str, str, bool, str]] = [
    (
        "13",
        "首先，我们知道最初有3只鸟和4只鹳鸟坐在篱笆上，所以总共有3 + 4 = 7只鸟和鹳鸟。 然后，又有6只鹳鸟来加入它们，所以鹳鸟的总数变成4 + 6 = 10只。 因此，现在篱笆上总共有3只鸟（假设鸟的数量没有变化）和10只鹳鸟，所以一共有3 + 10 = 13只鸟和鹳鸟。",
        T,
        "Chinese",
    ),
    (
        "3",
        "瑞秋的数学作业有5页，阅读作业有2页。 要找出数学作业比阅读作业多多少页，我们可以简单地进行减法运算： 5页（数学作业） - 2页（阅读作业） = 3页 因此，瑞秋的数学作业比阅读作业多 **3页**。",
        T,
        "Chinese",
    ),
    (
        "858",
        "要解决这个问题，我们可以按照以下步骤进行： 1. **确定每个袋子里的糖果数量**：弗兰克将糖果放入26个袋子里，每个袋子里有33颗糖果。 2. **计算总糖果数量**：如果每个袋子里有33颗糖果，那么26个袋子里的糖果总数为：33颗/袋 * 26袋 = 858颗。 因此，弗兰克一共有**858颗**糖果。 ",
        T,
        "Chinese",
    ),
    (
        "192",
        "让我们一步步来解决这个问题。 我们知道杰西减掉了126公斤，她目前的体重是66公斤。要找到她开始慢跑前的体重，我们只需将她减掉的体重添加到她当前的体重上： 66公斤（当前体重） + 126公斤（减掉的体重） = 192公斤 因此，杰西开始慢跑前的体重是192公斤。 ",
        T,
        "Chinese",
    ),
    (
        "8722",
        "让我们一步步来解决这个问题。 我们知道每件T恤的利润是98美元。在阿肯色州比赛和德克萨斯理工大学比赛期间，他们总共卖出了163件T恤。其中，在阿肯色州比赛期间卖出了89件T恤。 要计算从阿肯色州比赛中卖出的T恤赚的钱，我们只需要将阿肯色州比赛期间卖出的T恤数量乘以每件T恤的利润： 89件T恤 * 98美元/件 = 8722美元 所以，他们从阿肯色州比赛中卖出的T恤赚了8722美元。 ",
        T,
        "Chinese",
    ),
    (
        "99",
        "首先，我们知道Haley的班上有11个喜欢玩弹珠的男孩。如果她给每个男孩9颗弹珠，我们可以通过以下步骤计算她总共有多少颗弹珠： 1. **确定给所有男孩的弹珠数量**：11个男孩 * 9颗弹珠/男孩 = 99颗弹珠 2. **结论**：Haley总共有99颗弹珠。 ",
        T,
        "Chinese",
    ),
    (
        "92",
        "لإيجاد ناتج العملية الحسابية 79 * 2 - 66، سنقوم بالخطوات التالية: 1. أولاً، نقوم بضرب 79 في 2: 79 * 2 = 158 2. ثم نطرح 66 من النتيجة السابقة: 158 - 66 = 92 لذا، ناتج العملية الحسابية 79 * 2 - 66 هو **92**.",
        T,
        "Arabic",
    ),
    (
        "66",
        "لإيجاد ناتج العملية الحسابية 55 * 3 - 99، سنقوم بالخطوات التالية: 1. أولاً، نقوم بضرب 55 في 3: 55 * 3 = 165 2. ثم نطرح 99 من النتيجة السابقة: 165 - 99 = 66 لذا، ناتج العملية الحسابية 55 * 3 - 99 هو **66**.",
        T,
        "Arabic",
    ),
    ("105", "réponse est (35 + 70 = 105).", T, "French"),
    ("79", "donc 353 g - 79 g = 274 g. Donc, il a déjà 79 g de cire.", T, "French"),
    ("220", "Réponse: Janeth aura encore 220 $ à payer d'ici 12 mois.", T, "French"),
    (
        "70",
        "La réduction est de 100 * 0,30 = 30 $. Le coût final est donc de 100 - 30 = 70",
        T,
        "French",
    ),
    (
        "2/5",
        "} \\times \\frac{1}{3} = \\frac{6}{15} = \\frac{2}{5} ] 所以，每份应该是 (\\frac{2}{5}) 吨。 答案：每份应该是 (\\frac{2}{5}) 吨。",
        T,
        "Chinese",
    ),
    ("4000", " 地块面积 = 72000 / 18 = 4000千克", T, "Chinese"),
    (
        "300",
        "来计算水池中水的流出时间：12000升/40升/分钟=300分钟。因此，水池中水将在300分钟内被放完。",
        T,
        "Chinese",
    ),
    ("13/28", "计划的比例为13/28", T, "Chinese"),
    ("8/46", "\\frac{4}{23}", T, ""),
    ("$\\frac{9.5}{3.14159}$", "$\\frac{9.5}{3.14159} \\approx 3.01$", T, ""),
    (
        "67",
        " ा गणना**: दुकान में शुरूआत में 56 कमीजें थीं। 2. जोड़ने वाली संख्या गणना: बाद में 11 और कमीजें मिलीं। 3. कुल संख्या गणना: मूल संख्या और जोड़ी गई संख्या को जोड़ने पर दुकान में अब कितनी कमीजें हैं ज्ञात कर सकते हैं। इसलिए, गणना करें: [ 56 + 11 = 67 ] इसलिए, दुकान में अब 67 कमीजें हैं। ",
        T,
        "Hindi",
    ),
    ("0", "So the os then when we 9/3 we get 8 so the answer is 0", T, ""),
    (
        "1",
        "so $x+y = 1000$ therefore answer is $1$",
        T,
        "French setting in the test; the text is English",
    ),
    ("1", "how many $? just about 1$", T, "a stray dollar sign opens the math"),
]

# (gold, response, label, note): gsm8k_reward_fn / geometry3k_reward_fn(completions, answer)
# and worker.verify(response, gold); only the asserts with one expected value (not "0 or 1").
# Geometry3K's prompt asks for the answer in square brackets.
UNDONE = "arithmetic left undone against an evaluated gold; reasonloop refuses it on purpose"
AREAL_ROWS: list[tuple[str, str, bool, str]] = [
    ("4", "The answer is 4", T, ""),
    ("1/2", "The answer is 0.5", T, ""),
    ("4", "Step 1: 2+2=4. \\boxed{4}", T, ""),
    ("4", "The answer is 5", F, ""),
    ("4", "", F, "an empty completion"),
    ("2", "$\\sqrt{4} = 2$", T, ""),
    ("90", "The angle is [90].", T, "Geometry3K"),
    ("5", "The length is [5.0].", T, "Geometry3K"),
    ("90", "The angle is [60].", F, "Geometry3K"),
    ("90", "The answer is 90 degrees.", T, "Geometry3K"),
    ("0.5", "The ratio is [1/2].", T, "Geometry3K"),
    ("90", "The angle is [ 90 ].", T, "Geometry3K"),
    ("4", "The answer is !!!invalid!!!", F, ""),
    ("2^3", "The answer is 8", T, ""),
    ("4", "The answer is $\\sqrt{16}$", T, UNDONE),
    ("5/6", "The answer is $\\frac{5}{6}$", T, ""),
    ("-15", "-15", T, ""),
    ("3", "x = 3", T, ""),
    ("42", "Step 1: Calculate\nStep 2: Simplify\nFinal answer: 42", T, ""),
    ("1000", "$10^3$", T, UNDONE),
    ("45", "[45 degrees]", T, "Geometry3K"),
    ("45", "[45]", T, "Geometry3K"),
    ("-3", "[-3]", T, "Geometry3K"),
    ("2", "[$\\sqrt{4}$]", T, "Geometry3K; " + UNDONE),
    ("45", "First try [30], second try [45].", T, "Geometry3K"),
    ("10000", "[$10^4$]", T, "Geometry3K; " + UNDONE),
    ("2", "[$\\sqrt{\\sqrt{16}}$]", T, "Geometry3K; " + UNDONE),
    ("42", "42", T, ""),
    ("999999999999999", "999999999999999", T, ""),
    ("0.0000001", "0.0000001", T, ""),
    ("12/3", "4", T, ""),
    ("3/12", "4", F, ""),
    ("5", "3+2", T, UNDONE),
    ("4", "x = 4", T, ""),
    ("-1", "$e^{i\\pi} = -1$", T, ""),
    ("1000", "$10^3 = 1000$", T, ""),
    ("1000", "$1 \\times 10^3$", T, "scientific notation"),
    ("3", "$\\begin{vmatrix} 2 & 1 \\\\ 1 & 2 \\end{vmatrix} = 3$", T, ""),
    ("2/3", "$\\frac{\\frac{1}{2}}{\\frac{3}{4}} = \\frac{2}{3}$", T, ""),
    ("10", "$\\binom{5}{2} = 10$", T, ""),
    ("1", "$\\sin\\left(\\frac{\\pi}{2}\\right) = 1$", T, ""),
    ("5", "[$\\sqrt{3^2 + 4^2}$] = [5]", T, "Geometry3K"),
    ("1", "$\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1$", T, ""),
    ("3", "The result is $3$", T, ""),
    ("2", "$\\left| 3 - 5 \\right| = 2$", T, ""),
    ("2", "$17 \\bmod 5 = 2$", T, ""),
    ("3", "$\\log_2(8) = 3$", T, ""),
    (
        "\\boxed{0.066666793}",
        "\\boxed{0.0666668}",
        T,
        "Math-Verify's 6-digit rounding; reasonloop refuses on purpose (a response's decimal"
        " counts at the precision it states)",
    ),
    ("\\boxed{0.066793}", "\\boxed{0.067}", F, ""),
    ("\\boxed{2.23}", "\\boxed{2.232}", F, ""),
    ("\\boxed{2.232}", "\\boxed{2.23}", F, ""),
    (
        "answer is 0.6666667",
        "The final answer is \\boxed{2/3}.",
        T,
        "a rounded decimal gold against an exact answer; reasonloop compares the gold's decimal"
        " as written",
    ),
    (
        "the answer is sqrt(2)",
        "After simplification we get \\boxed{\\sqrt{2}}",
        F,
        "label disputed: the test calls this a bad case of its own grader (a gold wrapped in"
        " words); the answer, sqrt(2), is right",
    ),
    ("answer is 10000", "Area equals \\boxed{10^4} square units", T, UNDONE),
    ("answer is 0.25 + 3", "Result: \\boxed{(1/2)^{2} + \\sqrt{9}}", T, "both sides unevaluated"),
]

# (gold, response, label, note): grade_answer_verl(response, gold)
SLIME_ROWS: list[tuple[str, str, bool, str]] = [
    ("25", "Reasoning steps...\nAnswer: \\boxed{25}", T, ""),
    ("25", "Here is the result.\nAnswer: 25", T, ""),
    ("25", "25", T, ""),
    ("0", "Answer: \\boxed{0}", T, ""),
]

Row = dict[str, object]


def _row(source: str, key: str, gold: str, response: str, label: bool, note: str) -> Row:
    row: Row = {"id": key, "category": key.split("-")[0], "response": response, "gold": gold}
    row |= {"label": label, "source": source}
    return row | ({"note": note} if note else {})


def build_rows() -> list[Row]:
    rows: list[Row] = []
    for index, (a, b, label, note) in enumerate(NEMO_PAIRS):
        rows.append(_row(NEMO, f"nemo-{index}-ab", a, b, label, note))
        if a != b:
            rows.append(_row(NEMO, f"nemo-{index}-ba", b, a, label, note))
    for index, (response, gold, label, note) in enumerate(HENDRYCKS_ROWS):
        rows.append(_row(HENDRYCKS, f"hendrycks-{index}", gold, response, label, note))
    for index, (gold, response, label, note) in enumerate(VERL_ROWS):
        rows.append(_row(VERL, f"verl-{index}", gold, response, label, note))
    for index, (response, gold, label, note) in enumerate(QWEN_ROWS):
        rows.append(_row(QWEN, f"qwen-{index}", gold, response, label, note))
    for index, (gold, response, label, note) in enumerate(LIGHTEVAL_ROWS):
        rows.append(_row(LIGHTEVAL, f"lighteval-{index}", gold, response, label, note))
    for index, (gold, response, label, note) in enumerate(AREAL_ROWS):
        rows.append(_row(AREAL, f"areal-{index}", gold, response, label, note))
    for index, (gold, response, label, note) in enumerate(SLIME_ROWS):
        rows.append(_row(SLIME, f"slime-{index}", gold, response, label, note))
    return rows


def drop_peer_rows(rows: list[Row]) -> list[Row]:
    """Rows whose (gold, response) the peer suite already grades are left out."""
    with PEER.open(encoding="utf-8") as lines:
        seen = {(c["gold"], c["response"]) for c in map(json.loads, lines) if c}
    return [row for row in rows if (row["gold"], row["response"]) not in seen]


def main() -> int:
    rows = drop_peer_rows(build_rows())
    write_jsonl(OUT, rows)
    sys.stderr.write(f"wrote {len(rows)} cases to {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
