"""The judge through the OpenAI-compatible backend, against a real local HTTP server."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from reasonloop.cli import verify as verify_cli
from reasonloop.cli.main import main
from reasonloop.verify.judge import HybridVerifier, JudgeError, load_judge

# What the served "verifier model" knows is equal (reference, student).
EQUAL = {("12", "XII"), ("0.5", "half"), ("Monday", "Mon.")}
_FIELD = re.compile(r"^(Reference answer|Student answer): (.*)$", re.MULTILINE)


@dataclass
class JudgeServer:
    url: str
    budget: int | None = None  # requests answered before the server "dies"
    prompts: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def reply_to(body: dict[str, Any]) -> dict[str, Any]:
    shown = dict(_FIELD.findall(body["messages"][-1]["content"]))
    pair = (shown.get("Reference answer"), shown.get("Student answer"))
    text = "Yes" if pair in EQUAL else "No"
    return {
        "choices": [{"message": {"content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 40, "completion_tokens": 1},
    }


@pytest.fixture
def server() -> Iterator[JudgeServer]:
    state = JudgeServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with state.lock:
                dead = state.budget is not None and state.budget <= 0
                if state.budget is not None:
                    state.budget -= 1
                state.prompts.append(body["messages"][-1]["content"])
            if dead:  # drop the connection without a reply, like a crashed server
                self.close_connection = True
                return
            payload = json.dumps(reply_to(body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def openai_judge(server: JudgeServer, tmp_path: Path) -> HybridVerifier:
    judge = load_judge(
        "verifier-7b",
        backend="openai",
        base_url=server.url,
        cache=tmp_path / "judge.sqlite",
        max_retries=0,
        retry_backoff_s=0.0,
    )
    return HybridVerifier(judge, workers=0)


def test_judge_over_http_decides_only_what_the_rule_could_not(
    server: JudgeServer, tmp_path: Path
) -> None:
    hybrid = openai_judge(server, tmp_path)
    pairs = [
        ("The answer is \\boxed{XII}.", "12"),
        ("The answer is \\boxed{XIII}.", "12"),
        ("The answer is \\boxed{12}.", "12"),
        ("The answer is \\boxed{<b>12</b>}.", "12"),
    ]
    verdicts = hybrid.verify_batch(pairs)
    assert [(v.correct, v.decided_by) for v in verdicts] == [
        (True, "judge"),
        (False, "judge"),
        (True, "rule"),
        (False, "rule"),
    ]
    assert len(server.prompts) == 4  # two pairs, each with its control question
    assert all("The answer is" not in prompt for prompt in server.prompts)
    assert "openai:verifier-7b" in verdicts[0].reason


def test_a_dead_judge_server_is_a_clear_error(tmp_path: Path) -> None:
    judge = load_judge(
        "verifier-7b",
        backend="openai",
        base_url="http://127.0.0.1:9/v1",  # discard port: nothing listens
        use_cache=False,
        max_retries=0,
        retry_backoff_s=0.0,
    )
    hybrid = HybridVerifier(judge, workers=0)
    assert hybrid.verify("\\boxed{12}", "12").correct  # the rule's pairs need no server
    with pytest.raises(JudgeError, match="openai:verifier-7b could not answer.*127.0.0.1:9"):
        hybrid.verify("\\boxed{XII}", "12")


def test_judge_dying_mid_file_keeps_the_rows_already_graded(
    server: JudgeServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(verify_cli, "CHUNK_SIZE", 2)
    rows = [
        {"gold": "12", "response": "so \\boxed{XII}"},
        {"gold": "42", "response": "so \\boxed{42}"},
        {"gold": "0.5", "response": "so \\boxed{half}"},
        {"gold": "42", "response": "so \\boxed{41}"},
    ]
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    out = tmp_path / "graded.jsonl"
    server.budget = 2  # the first pair and its control are answered, then the server is gone
    args = ["verify", str(data), "-o", str(out), "--workers", "0", "--no-progress"]
    judge_args = ["--judge", "verifier-7b", "--judge-base-url", server.url]
    judge_args += ["--judge-cache", str(tmp_path / "judge.sqlite")]
    judge_args += ["--judge-option", "max_retries=0", "--judge-option", "retry_backoff_s=0"]
    assert main(args + judge_args) == 2
    error = capsys.readouterr().err
    assert "could not answer" in error and f"2 rows graded before it are written to {out}" in error
    graded = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(row["correct"], row["decided_by"]) for row in graded] == [
        (True, "judge"),
        (True, "rule"),
    ]
    server.budget = None  # back up: a rerun asks only what is not cached
    asked = len(server.prompts)
    assert main(args + judge_args) == 0
    assert len(server.prompts) == asked + 2  # the half/0.5 pair and its control
    assert "decided by the judge: 2 of 4" in capsys.readouterr().out


def test_cli_single_pair_with_a_judge(
    server: JudgeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["verify", "--gold", "12", "--response", "In Roman numerals: \\boxed{XII}"]
    args += ["--judge", "verifier-7b", "--judge-base-url", server.url, "--no-judge-cache"]
    assert main(args) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["correct"] is True and verdict["decided_by"] == "judge"
    assert len(server.prompts) == 2 and "Student answer: XII" in server.prompts[0]
