"""Labelled (response, gold) suites for benchmarks/verifier_bench.py.

Every suite is built from real text, never from examples written to fit the verifier:

- `corpus`: benchmarks/corpus/verifier_cases.jsonl, hand-labelled mixed LaTeX with an
  adversarial part (see benchmarks/README.md).
- `gsm8k`: GSM8K train solutions (human-written) with the final line in the forms models use.
- `gsm8k-qa`: GSM8K test solutions written the way few-shot "Q: ... A: ..." prompting makes
  models answer (`...\\nA: 18`, `A: <reasoning> The answer is 18.`, a bare answer), and in
  other prompt formats' answer styles (zero-shot CoT's `the answer (arabic numerals) is 18`,
  Minerva's `Final Answer: The final answer is $18$. I hope it is correct.`, Llama's
  `The final answer is: $\\boxed{18}$`).
- `gsm8k-mgsm`: GSM8K test solutions ending with the answer phrase of MGSM's native
  chain-of-thought prompts in each of its ten other languages (`La réponse est 18.`,
  `答えは18です。`, ...): the answer line models write for MGSM; the reasoning stays English.
- `peer`: Math-Verify's own equivalence test cases, with Math-Verify's labels
  (corpus/peer_cases.jsonl, built by corpus/build_peer_cases.py); many are real MATH-style
  chain-of-thought responses (the `numina_cases` and `open_thoughts` categories).
- `samples`: responses SmolLM2-135M-Instruct (the embedded default model) actually produced
  through `reasonloop sample` (two draws, 720 responses), labelled by hand
  (corpus/smollm2_samples.jsonl).
- `graders`: other math graders' own test tables, held out (NeMo-Skills, Hendrycks' MATH,
  verl, Qwen2.5-Math, lighteval's multilingual model outputs), with their labels; each row
  names its repository and file, and a `note` where we dispute a label
  (corpus/grader_cases.jsonl, built by corpus/build_grader_cases.py).
- `forms`: real solutions that use the forms of issue 20 (a value rejected in words, Unicode
  math, mixed numbers with a space, roots named in prose): PRM800K solutions by GPT-4 that
  PRMBench gives as human-verified correct (against the MATH gold of the problem), MATH test
  solutions written by people (against their own boxed answer) and embedded-model responses with
  their hand labels; each solution also against another problem's gold, labelled False
  (corpus/form_cases.jsonl, built by corpus/build_form_cases.py, which says where every label
  comes from).

In the generated GSM8K suites every record gives one case with the gold and, for the next
record, one with gold + 1, so half the cases are negatives and false positives count.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "benchmarks" / "corpus"
GSM8K_DIR = REPO_ROOT.parent / "shared" / "data" / "gsm8k"
FILE_SUITES = {
    "corpus": CORPUS_DIR / "verifier_cases.jsonl",
    "peer": CORPUS_DIR / "peer_cases.jsonl",
    "samples": CORPUS_DIR / "smollm2_samples.jsonl",
    "graders": CORPUS_DIR / "grader_cases.jsonl",
    "forms": CORPUS_DIR / "form_cases.jsonl",
}
GSM8K_SUITES = {
    "gsm8k": GSM8K_DIR / "train.jsonl",
    "gsm8k-qa": GSM8K_DIR / "test.jsonl",
    "gsm8k-mgsm": GSM8K_DIR / "test.jsonl",
}
SUITES = ("corpus", "gsm8k", "gsm8k-qa", "gsm8k-mgsm", "peer", "samples", "graders", "forms")


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    response: str
    gold: str
    label: bool
    adversarial: bool = False
    source: str = ""  # where a case was taken from (the graders suite: repository:path)
    note: str = ""  # why a label may be disputed, or what is unusual about the input


def load_cases(path: Path) -> list[Case]:
    with path.open(encoding="utf-8") as lines:
        return [Case(**json.loads(line)) for line in lines if line.strip()]


def _format_thousands(value: str) -> str:
    whole, dot, frac = value.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{dot}{frac}"


# variant name -> the response, from (reasoning lines, final value)
Writer = Callable[[str, str], str]
GSM8K_VARIANTS: dict[str, Writer] = {
    "dollar": lambda r, v: f"{r}\n${v}",
    "thousands": lambda r, v: f"{r}\n{_format_thousands(v)}",
    "answer_is": lambda r, v: f"{r}\nThe answer is {v}.",
    "boxed": lambda r, v: f"{r}\n\\boxed{{{v}}}",
    "hash": lambda r, v: f"{r}\n#### {v}",
    "dollars_word": lambda r, v: f"{r}\n{v} dollars",
    "bold": lambda r, v: f"{r}\n**{v}**",
    "boxed_latex_dollar": lambda r, v: (
        f"{r}\n$\\boxed{{\\${_format_thousands(v).replace(',', '{,}')}}}$"
    ),
    "answer_colon_zeros": lambda r, v: (
        f"{r}\nAnswer: {v}.00" if "." not in v else f"{r}\nAnswer: {v}0"
    ),
}
_NEXT_QUESTION = "A baker has 12 muffins and sells 5. How many are left?\nA: 12 - 5 = 7.\nA: 7"
# few-shot "Q: ... A: ..." answers (Wei et al. 2022 chain-of-thought prompting and its kin)
GSM8K_QA_VARIANTS: dict[str, Writer] = {
    "qa_line": lambda r, v: f"{r}\nA: {v}",
    "qa_line_blank": lambda r, v: f"{r}\n\nA: {v}",
    "qa_dollar": lambda r, v: f"{r}\nA: ${_format_thousands(v)}",
    "qa_bold": lambda r, v: f"{r}\n**A:** {v}",
    "qa_paragraph": lambda r, v: f"A: {' '.join(r.splitlines())} The answer is {v}.",
    # the model answered, then went on with a question of its own (no stop sequence)
    "qa_continued": lambda r, v: f"{r}\nA: {v}\n\nQ: {_NEXT_QUESTION}",
    "qa_bare": lambda r, v: v,
    "qa_bare_math": lambda r, v: f"${v}$",
    # other prompt formats: zero-shot chain of thought (Kojima et al. 2022), Minerva's
    # few-shot format, Llama-3's "The final answer is", the answer stated in the last sentence
    "zero_shot_cot": lambda r, v: (
        f"Let's think step by step. {' '.join(r.splitlines())}\n"
        f"Therefore, the answer (arabic numerals) is {v}."
    ),
    "minerva": lambda r, v: f"{r}\nFinal Answer: The final answer is ${v}$. I hope it is correct.",
    "llama_boxed": lambda r, v: f"{r}\n\nThe final answer is: $\\boxed{{{v}}}$",
    "so_answer": lambda r, v: f"{' '.join(r.splitlines())} So the answer is {v}.",
    "qa_sentence": lambda r, v: f"{r}\nA: In total that makes {_format_thousands(v)}.",
}


# MGSM's native chain-of-thought answers end "The answer is N" in the question's language; these
# are the phrases lm-evaluation-harness's mgsm_native_cot tasks extract the answer after
# (lm_eval/tasks/mgsm/native_cot/mgsm_native_cot_*.yaml), with the punctuation they close with
MGSM_PHRASES = {
    "bn": "উত্তর হল {v}।",
    "de": "Die Antwort lautet {v}.",
    "es": "La respuesta es {v}.",
    "fr": "La réponse est {v}.",
    "ja": "答えは{v}です。",
    "ru": "Ответ — {v}.",
    "sw": "Jibu ni {v}.",
    "te": "సమాధానం {v}.",
    "th": "คำตอบคือ {v}",
    "zh": "答案是 {v}。",
}


def _mgsm_writer(phrase: str) -> Writer:
    return lambda r, v: f"{' '.join(r.splitlines())} {phrase.format(v=_format_thousands(v))}"


GSM8K_MGSM_VARIANTS: dict[str, Writer] = {
    f"mgsm_{language}": _mgsm_writer(phrase) for language, phrase in MGSM_PHRASES.items()
}


def _gsm8k_records(path: Path) -> Iterator[tuple[int, str, str, str]]:
    """(index, reasoning without calculator annotations, gold, gold + 1) per usable record.

    Records whose solution already says "the answer is" are skipped: with a different final
    line appended they would state two answers.
    """
    with path.open(encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            reasoning, _, gold = json.loads(line)["answer"].rpartition("####")
            gold = gold.strip().replace(",", "")
            try:
                wrong = str(Decimal(gold) + 1)
            except InvalidOperation:
                continue
            reasoning = re.sub(r"<<[^>]*>>", "", reasoning).strip()
            if "answer is" not in reasoning.lower():
                yield index, reasoning, gold, wrong


def build_gsm8k_cases(path: Path, limit: int, variants: dict[str, Writer]) -> list[Case]:
    """One case per record, cycling through `variants`; every other record is a negative."""
    cases: list[Case] = []
    names = list(variants)
    for index, reasoning, gold, wrong in _gsm8k_records(path):
        if limit and len(cases) >= limit:
            break
        name = names[index % len(names)]
        label = (index // len(names)) % 2 == 0  # every variant gets positives and negatives
        response = variants[name](reasoning, gold if label else wrong)
        case_id = f"{path.stem}-{index}-{'right' if label else 'wrong'}"
        cases.append(Case(case_id, name, response, gold, label))
    return cases


def load_suite(name: str, limit: int, paths: dict[str, Path]) -> list[Case] | None:
    """The cases of one suite (at most `limit`, 0 for all); None when its data is absent."""
    path = paths[name]
    if not path.exists():
        return None
    if name in FILE_SUITES:
        cases = load_cases(path)
        return cases[:limit] if limit else cases
    variants = {
        "gsm8k": GSM8K_VARIANTS,
        "gsm8k-qa": GSM8K_QA_VARIANTS,
        "gsm8k-mgsm": GSM8K_MGSM_VARIANTS,
    }[name]
    return build_gsm8k_cases(path, limit, variants)
