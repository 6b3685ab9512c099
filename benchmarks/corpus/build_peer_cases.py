"""Turn Math-Verify's own equivalence test cases into a labelled suite (data, not code).

    pip download math-verify==0.9.0 --no-deps --no-binary :all: -d /tmp/mv
    tar xzf /tmp/mv/math_verify-0.9.0.tar.gz -C /tmp/mv
    python benchmarks/corpus/build_peer_cases.py /tmp/mv/math_verify-0.9.0/tests

Reads the literal `(gold, pred, expected)` (or `result`) rows of every
`@pytest.mark.parametrize` table with those names (the test modules are parsed with `ast`,
never imported or run) and writes `peer_cases.jsonl` next to this file: one line per row
with the peer's label. Rows the peer tests under a non-default setting (a float precision,
`strict=False`, set/relation comparison) are left out, so the labels are what Math-Verify
itself says with the settings a user gets. Math-Verify is MIT
licensed (c) The HuggingFace Team; the cases are theirs.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from reasonloop.files import write_jsonl

OUT = Path(__file__).resolve().parent / "peer_cases.jsonl"
FILES = (
    "test_all.py",
    "test_boxed.py",
    "test_numina_cases.py",
    "test_open_thoughts.py",
    "test_yujianll.py",  # cases a user (yujianll) reported, under default settings
)
CASE_NAMES = (["gold", "pred", "expected"], ["gold", "pred", "result"])


def read_tables(path: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
        for decorator in function.decorator_list:
            if not (isinstance(decorator, ast.Call) and len(decorator.args) == 2):
                continue
            names_node, table = decorator.args
            if not isinstance(names_node, ast.Constant) or not isinstance(table, ast.List):
                continue
            names = [name.strip() for name in str(names_node.value).split(",")]
            if names not in CASE_NAMES:
                continue  # extra settings (precision, strict, ...): not the default behaviour
            for index, row in enumerate(table.elts):
                try:
                    gold, pred, expected = ast.literal_eval(row)
                except ValueError:
                    continue  # a row built by code, not a literal
                rows.append(
                    {
                        "id": f"{path.stem}-{function.name}-{index}",
                        "category": function.name.removeprefix("test_"),
                        "response": pred,
                        "gold": gold,
                        "label": bool(expected),
                    }
                )
    return rows


def main(tests_dir: str) -> int:
    rows = [row for name in FILES for row in read_tables(Path(tests_dir) / name)]
    write_jsonl(OUT, rows)
    sys.stderr.write(f"wrote {len(rows)} cases to {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
