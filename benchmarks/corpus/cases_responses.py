# ruff: noqa: E501 - long response strings read better unbroken
"""Whole responses written the way chat models write them, with their gold and label.

Rows are (response, gold, label, category). They test where the final answer is found
(boxed, `\\fbox`, "The final answer is", "Answer:", `####`, bold, no anchor at all) as much
as how it compares. A response whose last stated answer differs from an intermediate number
is the classic trap: the gold equals the intermediate number, the label is False.
"""

from __future__ import annotations

T, F = True, False

Row = tuple[str, str, bool, str]

EXTRACTION: list[Row] = [
    (
        "Let's compute: $3 + 4 = 7$.\nFinal Answer: The final answer is $7$. I hope it is correct.",
        "7",
        T,
        "minerva",
    ),
    (
        "Let's compute: $3 + 4 = 7$, then $7 \\cdot 6 = 42$.\nFinal Answer: The final answer is $42$. "
        "I hope it is correct.",
        "7",
        F,
        "minerva",
    ),
    (
        "The sum of the interior angles is $(n-2)\\cdot 180^\\circ$. With $n = 6$ this gives "
        "$720^\\circ$.\n\nFinal Answer: The final answer is $720$. I hope it is correct.",
        "720",
        T,
        "minerva",
    ),
    ("The final answer is $\\frac{3}{4}$. I hope it is correct.", "0.75", T, "minerva"),
    ("We have $\\fbox{12}$.", "12", T, "fbox"),
    ("Adding the two areas gives \\fbox{$36\\pi$}.", "36\\pi", T, "fbox"),
    ("\\fbox{13}", "12", F, "fbox"),
    ("Answer: 12", "12", T, "answer_colon"),
    ("Answer: $\\frac{5}{6}$", "\\frac56", T, "answer_colon"),
    ("ANSWER: 64", "64", T, "answer_colon"),
    ("Answer: 11", "12", F, "answer_colon"),
    ("**Answer:** 12", "12", T, "bold"),
    ("The total cost is **$45**.", "45", T, "bold"),
    ("**Final answer:** $x = -\\frac{2}{3}$", "-\\frac{2}{3}", T, "bold"),
    ("So the answer is **15**.", "15", T, "bold"),
    ("So the answer is **16**.", "15", F, "bold"),
    ("#### 12", "12", T, "gsm8k_hash"),
    ("She has 5 + 7 = 12 apples.\n#### 12", "12", T, "gsm8k_hash"),
    ("She has 5 + 7 = 12 apples.\n#### 12", "5", F, "gsm8k_hash"),
    ("#### 1,250", "1250", T, "gsm8k_hash"),
    ("####  -4", "-4", T, "gsm8k_hash"),
    ("The final answer is \\boxed{\\frac{1}{\\sqrt{2}}}.", "\\frac{\\sqrt2}{2}", T, "boxed_nested"),
    ("Thus the set is $\\boxed{\\left\\{ 1, 2 \\right\\}}$.", "\\{1,2\\}", T, "boxed_nested"),
    (
        "$\\boxed{\\frac{\\sqrt{3}+\\sqrt{\\frac{1}{2}}}{2}}$",
        "\\frac{\\sqrt{3}}{2}+\\frac{\\sqrt{2}}{4}",
        T,
        "boxed_nested",
    ),
    (
        "$$\\boxed{\\dfrac{2^{\\frac{1}{2}}}{\\left(1+\\frac{1}{1}\\right)}}$$",
        "\\frac{\\sqrt{2}}{2}",
        T,
        "boxed_nested",
    ),
    ("\\[\\boxed{42}\\]", "42", T, "boxed_display"),
    ("\\(\\boxed{42}\\)", "42", T, "boxed_display"),
    ("Therefore $\\boxed 5$ is the smallest such integer.", "5", T, "boxed_no_braces"),
    ("The answer is $\\boxed{4}$ apples.", "4", T, "boxed_trailing_text"),
    ("\\boxed{42}\n\nCheck: $6 \\times 7 = 42$, and $40 + 2 = 42$. ✓", "42", T, "boxed_then_check"),
    (
        "$\\boxed{18}$\n\nVerification: $18 - 6 = 12$ and $12 / 2 = 6$, consistent.",
        "18",
        T,
        "boxed_then_check",
    ),
    ("The answer is $\\boxed{\\text{B}}$.", "B", T, "boxed_text"),
    ("\\boxed{\\textbf{(C)}\\ 27}", "C", T, "boxed_text"),
    ("So the answer is 20 - 5 = 15.", "15", T, "answer_is"),
    ("Therefore, the answer is 3/8.", "\\frac38", T, "answer_is"),
    ("the answer is -2.", "-2", T, "answer_is"),
    ("I believe the answer is 14.", "41", F, "answer_is"),
    ("So she has 12 apples left.", "12", T, "unanchored"),
    ("So she has 12 apples left.", "21", F, "unanchored"),
    ("In total the farmer collects 6 * 8 = 48 eggs.", "48", T, "unanchored"),
    ("In total the farmer collects 6 * 8 = 48 eggs.", "8", F, "unanchored"),
    (
        "Let $x$ be the width. Then $2x + 2(x+3) = 26$, so $4x = 20$ and $x = 5$. "
        "The length is $x + 3 = 8$.\n\nThe answer is $\\boxed{8}$.",
        "5",
        F,
        "intermediate_trap",
    ),
    (
        "Let $x$ be the width. Then $2x + 2(x+3) = 26$, so $4x = 20$ and $x = 5$. "
        "The length is $x + 3 = 8$.\n\nThe answer is $\\boxed{8}$.",
        "8",
        T,
        "intermediate_trap",
    ),
    (
        "First, $15\\%$ of $80$ is $12$. The discounted price is $80 - 12 = 68$ dollars.\n\n"
        "**Answer: $68$**",
        "68",
        T,
        "intermediate_trap",
    ),
    (
        "First, $15\\%$ of $80$ is $12$. The discounted price is $80 - 12 = 68$ dollars.\n\n"
        "**Answer: $68$**",
        "12",
        F,
        "intermediate_trap",
    ),
]

MATH_STYLE: list[Row] = [
    (
        "To find the distance between $(1,2)$ and $(4,6)$, we use the distance formula:\n"
        "\\[\nd = \\sqrt{(4-1)^2 + (6-2)^2} = \\sqrt{9 + 16} = \\sqrt{25} = 5.\n\\]\n"
        "Thus, the distance is $\\boxed{5}$.",
        "5",
        T,
        "math_style",
    ),
    (
        "We complete the square: $x^2 - 6x + 13 = (x-3)^2 + 4$. The minimum value is attained at "
        "$x = 3$, so the minimum is $\\boxed{4}$.",
        "4",
        T,
        "math_style",
    ),
    (
        "We complete the square: $x^2 - 6x + 13 = (x-3)^2 + 4$. The minimum value is attained at "
        "$x = 3$, so the minimum is $\\boxed{4}$.",
        "3",
        F,
        "math_style",
    ),
    (
        "By Vieta's formulas, the sum of the roots of $2x^2 - 5x + 3 = 0$ is $\\frac{5}{2}$ and the "
        "product is $\\frac{3}{2}$.\n\nTherefore, the sum of the roots is $\\boxed{\\dfrac{5}{2}}$.",
        "\\frac52",
        T,
        "math_style",
    ),
    (
        "By Vieta's formulas, the sum of the roots of $2x^2 - 5x + 3 = 0$ is $\\frac{5}{2}$ and the "
        "product is $\\frac{3}{2}$.\n\nTherefore, the product of the roots is $\\boxed{\\dfrac{3}{2}}$.",
        "\\frac52",
        F,
        "math_style",
    ),
    (
        "Converting to polar coordinates, $r = \\sqrt{0^2 + 3^2} = 3$ and $\\theta = \\frac{\\pi}{2}$. "
        "So the point is $\\boxed{\\left(3, \\frac{\\pi}{2}\\right)}$.",
        "\\left( 3, \\frac{\\pi}{2} \\right)",
        T,
        "math_style",
    ),
    (
        "The inequality $x^2 - 4 < 0$ holds when $-2 < x < 2$. In interval notation: "
        "$\\boxed{(-2, 2)}$.",
        "(-2,2)",
        T,
        "math_style",
    ),
    (
        "The inequality $x^2 - 4 \\le 0$ holds when $-2 \\le x \\le 2$. In interval notation: "
        "$\\boxed{(-2, 2)}$.",
        "[-2,2]",
        F,
        "math_style",
    ),
    (
        "The roots of $x^2 + x - 6$ are found by factoring: $(x+3)(x-2) = 0$, so $x = -3$ or $x = 2$."
        "\n\n\\[\\boxed{-3, 2}\\]",
        "2, -3",
        T,
        "math_style",
    ),
    (
        "Multiplying the matrices gives\n\\[\n\\boxed{\\begin{pmatrix} 2 & 1 \\\\ 4 & 3 \\end{pmatrix}}\n\\]",
        "\\begin{pmatrix} 2 & 1 \\\\ 4 & 3 \\end{pmatrix}",
        T,
        "math_style",
    ),
    (
        "The probability of drawing two red balls is $\\frac{3}{8} \\cdot \\frac{2}{7} = \\frac{6}{56} "
        "= \\frac{3}{28}$.\n\n**Final Answer**\n\\[\n\\boxed{\\frac{3}{28}}\n\\]",
        "\\frac{3}{28}",
        T,
        "math_style",
    ),
    (
        "The probability of drawing two red balls is $\\frac{3}{8} \\cdot \\frac{3}{8} = \\frac{9}{64}$."
        "\n\n**Final Answer**\n\\[\n\\boxed{\\frac{9}{64}}\n\\]",
        "\\frac{3}{28}",
        F,
        "math_style",
    ),
    (
        "Since $f(2) = 2^3 - 2 \\cdot 2 = 4$, we get $f(f(2)) = f(4) = 64 - 8 = 56$.\n\n"
        "The final answer is $\\boxed{56}$.",
        "56",
        T,
        "math_style",
    ),
    (
        "Since $f(2) = 2^3 - 2 \\cdot 2 = 4$, we get $f(f(2)) = f(4) = 64 - 8 = 56$.\n\n"
        "The final answer is $\\boxed{56}$.",
        "4",
        F,
        "math_style",
    ),
    (
        "Using $\\sin^2\\theta + \\cos^2\\theta = 1$ with $\\sin\\theta = \\frac{3}{5}$ in the second "
        "quadrant, $\\cos\\theta = -\\frac{4}{5}$.\n\nSo, $\\cos\\theta = \\boxed{-\\frac{4}{5}}$.",
        "-\\frac{4}{5}",
        T,
        "math_style",
    ),
    (
        "Using $\\sin^2\\theta + \\cos^2\\theta = 1$ with $\\sin\\theta = \\frac{3}{5}$, "
        "$\\cos\\theta = \\frac{4}{5}$.\n\nSo, $\\cos\\theta = \\boxed{\\frac{4}{5}}$.",
        "-\\frac{4}{5}",
        F,
        "math_style",
    ),
    (
        "The area of the circle is $\\pi r^2 = \\pi \\cdot 6^2 = 36\\pi$ square units.\n\n"
        "Thus the answer is $\\boxed{36\\pi}$.",
        "36\\pi",
        T,
        "math_style",
    ),
    (
        "The number of ways to choose 3 of 7 books is $\\binom{7}{3} = 35$.\n\n\\boxed{35}",
        "35",
        T,
        "math_style",
    ),
    (
        "The number of ways to arrange 3 of 7 books in order is $7 \\cdot 6 \\cdot 5 = 210$.\n\n"
        "\\boxed{210}",
        "35",
        F,
        "math_style",
    ),
    ("Solving $3x - 7 = 11$ gives $3x = 18$, hence $\\boxed{x = 6}$.", "6", T, "math_style"),
    (
        "Solving $3x - 7 = 11$ gives $3x = 4$, hence $\\boxed{x = \\frac{4}{3}}$.",
        "6",
        F,
        "math_style",
    ),
    (
        "The slope is $\\frac{7-3}{4-2} = 2$, and the line passes through $(2,3)$, so "
        "$y - 3 = 2(x - 2)$, i.e. $\\boxed{y = 2x - 1}$.",
        "y=2x-1",
        T,
        "math_style",
    ),
    (
        "The remainder when $2^{10}$ is divided by $7$: since $2^3 \\equiv 1 \\pmod 7$, "
        "$2^{10} = 2^{9}\\cdot 2 \\equiv 2$. The remainder is $\\boxed{2}$.",
        "2",
        T,
        "math_style",
    ),
    (
        "The remainder when $2^{10}$ is divided by $7$: $1024 = 7 \\cdot 146 + 2$. "
        "The remainder is $\\boxed{2}$.",
        "146",
        F,
        "math_style",
    ),
    (
        "\\begin{align*}\n(3+2i)(1-i) &= 3 - 3i + 2i - 2i^2 \\\\\n&= 5 - i.\n\\end{align*}\n"
        "The answer is $\\boxed{5-i}$.",
        "5-i",
        T,
        "math_style",
    ),
    (
        "The vertex of $y = x^2 - 4x + 1$ is at $x = 2$, $y = -3$, so the vertex is "
        "$\\boxed{(2,-3)}$.",
        "(2,-3)",
        T,
        "math_style",
    ),
    (
        "The vertex of $y = x^2 - 4x + 1$ is at $x = 2$, $y = -3$, so the vertex is "
        "$\\boxed{(-3,2)}$.",
        "(2,-3)",
        F,
        "math_style",
    ),
    (
        "The greatest common divisor of 84 and 126 is 42, and the least common multiple is 252."
        "\n\nThe answer is $\\boxed{252}$.",
        "252",
        T,
        "math_style",
    ),
    (
        "The greatest common divisor of 84 and 126 is 42, and the least common multiple is 252."
        "\n\nThe answer is $\\boxed{252}$.",
        "42",
        F,
        "math_style",
    ),
    (
        "<think>\nWe need $\\log_2 64$. Since $2^6 = 64$, it is 6.\n</think>\n\n"
        "The value is $\\boxed{6}$.",
        "6",
        T,
        "math_style",
    ),
    (
        "<think>\nWe need $\\log_2 64$. Hmm, $2^5 = 32$, so maybe 5? No: $2^6 = 64$.\n</think>\n\n"
        "The value is $\\boxed{6}$.",
        "5",
        F,
        "math_style",
    ),
]

GSM8K_STYLE: list[Row] = [
    (
        "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips "
        "altogether in April and May.\n#### 72",
        "72",
        T,
        "gsm8k_style",
    ),
    (
        "Natalia sold 48/2 = 24 clips in May.\nAltogether she sold 48 + 24 = 72 clips.\n"
        "The answer is 72.",
        "72",
        T,
        "gsm8k_style",
    ),
    ("Natalia sold 48/2 = 24 clips in May.\nThe answer is 24.", "72", F, "gsm8k_style"),
    (
        "Weng earns 12/60 = $0.2 per minute.\nWorking 50 minutes, she earned 0.2 x 50 = $10.\n"
        "#### 10",
        "10",
        T,
        "gsm8k_style",
    ),
    (
        "Weng earns $12 an hour, which is $0.20 per minute. For 50 minutes she earns "
        "50 × $0.20 = $10.00.\n\nShe earned **$10**.",
        "10",
        T,
        "gsm8k_style",
    ),
    (
        "Weng earns $12 per hour, so for 50 minutes she earns 12 × 50 = $600.\n\nThe answer is $600.",
        "10",
        F,
        "gsm8k_style",
    ),
    (
        "In the beginning, Betty has only 100 / 2 = $50.\nBetty's grandparents gave her 15 * 2 = $30."
        "\nThis means, Betty needs 100 - 50 - 30 - 15 = $5 more.\n#### 5",
        "5",
        T,
        "gsm8k_style",
    ),
    (
        "Betty has $50. Her parents give $15 and her grandparents $30, so she has 50 + 15 + 30 = $95. "
        "She still needs $100 - $95 = $5.\n\nThe answer is: $5",
        "5",
        T,
        "gsm8k_style",
    ),
    (
        "Betty has $50. Her parents give $15 and her grandparents $30, so she has 50 + 15 + 30 = $95.\n"
        "The answer is $95.",
        "5",
        F,
        "gsm8k_style",
    ),
    (
        "Maila read 12 x 2 = 24 pages today.\nSo she was able to read a total of 12 + 24 = 36 pages.\n"
        "There are 120 - 36 = 84 pages left to be read.\nSince she wants to read half of the remaining "
        "pages tomorrow, then she should read 84/2 = 42 pages.\n#### 42",
        "42",
        T,
        "gsm8k_style",
    ),
    ("There are 120 - 36 = 84 pages left to be read.\n#### 84", "42", F, "gsm8k_style"),
    (
        "He writes each friend 3*2=6 pages a week.\nSo he writes 6*2=12 pages every week.\n"
        "That means he writes 12*52=624 pages a year.\n#### 624",
        "624",
        T,
        "gsm8k_style",
    ),
    (
        "He writes 3 pages to 2 friends twice a week: 3 × 2 × 2 = 12 pages per week. Over a year "
        "that's 12 × 52 = 624 pages.\n\n\\boxed{624}",
        "624",
        T,
        "gsm8k_style",
    ),
    (
        "He writes 3 pages to 2 friends twice a week: 3 × 2 × 2 = 12 pages per week.\n\n\\boxed{12}",
        "624",
        F,
        "gsm8k_style",
    ),
    (
        "The total cost is 3 × $4.50 + 2 × $1.25 = $13.50 + $2.50 = $16.00.\n\n#### 16",
        "16",
        T,
        "gsm8k_style",
    ),
    ("The total cost is 3 × $4.50 + 2 × $1.25 = $13.50 + $2.50 = $16.00.", "16", T, "gsm8k_style"),
    (
        "The total cost is 3 × $4.50 + 2 × $1.25 = $13.50 + $2.50 = $16.00.",
        "13.5",
        F,
        "gsm8k_style",
    ),
    (
        "The population grows from 1,200 to 1,200 × 1.5 = 1,800 people.\nThe answer is 1,800.",
        "1800",
        T,
        "gsm8k_style",
    ),
    (
        "The population grows from 1,200 to 1,200 × 1.5 = 1,800 people.\nThe answer is 1,800.",
        "1200",
        F,
        "gsm8k_style",
    ),
    (
        "Step 1: 7 boxes × 24 crayons = 168 crayons.\nStep 2: 168 - 18 broken = 150 crayons.\n"
        "Final answer: 150",
        "150",
        T,
        "gsm8k_style",
    ),
    (
        "Step 1: 7 boxes × 24 crayons = 168 crayons.\nStep 2: 168 - 18 broken = 150 crayons.\n"
        "Final answer: 150",
        "168",
        F,
        "gsm8k_style",
    ),
    (
        "She runs 3 sprints 3 times a week, so 9 sprints. 9 × 60 meters = 540 meters.\n"
        "James runs a total of 540 meters a week.",
        "540",
        T,
        "gsm8k_style",
    ),
    (
        "The temperature dropped from 5 to -3 degrees, a change of -8 degrees.\n#### -8",
        "-8",
        T,
        "gsm8k_style",
    ),
    (
        "The temperature dropped from 5 to -3 degrees, a drop of 8 degrees.\n#### 8",
        "-8",
        F,
        "gsm8k_style",
    ),
    ("Each of the 4 friends gets 10 / 4 = 2.5 slices.\n#### 2.5", "2.5", T, "gsm8k_style"),
    (
        "Each of the 4 friends gets 10 / 4 = 2.5 slices, so each gets 2 whole slices.\n#### 2",
        "2.5",
        F,
        "gsm8k_style",
    ),
    (
        "Tom saves $25 per week for 12 weeks: 25 * 12 = 300. Then he spends 40% of it: 0.4 * 300 = 120. "
        "He has 300 - 120 = $180 left.\n\nAnswer: $180",
        "180",
        T,
        "gsm8k_style",
    ),
    (
        "Tom saves $25 per week for 12 weeks: 25 * 12 = 300. Then he spends 40% of it: 0.4 * 300 = 120."
        "\n\nAnswer: $120",
        "180",
        F,
        "gsm8k_style",
    ),
]

RESPONSE_TABLES: list[Row] = EXTRACTION + MATH_STYLE + GSM8K_STYLE
