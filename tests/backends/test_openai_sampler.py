"""The OpenAI-compatible backend against a real HTTP server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from reasonloop.backends import Sampler, SamplerError, SamplingParams, load_sampler
from reasonloop.backends.fake import solve_arithmetic
from reasonloop.backends.openai import OpenAISampler, parse_completion


@dataclass
class ServerState:
    """What the test server does and what it saw."""

    fail_first: int = 0  # answer this many requests with `fail_status` first
    fail_status: int = 503
    delay_s: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def answer(body: dict[str, Any]) -> dict[str, Any]:
    """A deterministic chat reply: solves "What is A op B?" and names the request's seed."""
    question = body["messages"][-1]["content"]
    solved = solve_arithmetic(question)
    result = solved[1] if solved else "unknown"
    words = f"The answer is {result}. (seed {body['seed']})".split()
    kept = words[: body["max_tokens"]]
    prompt_tokens = sum(len(m["content"].split()) for m in body["messages"])
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": body["model"],
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": " ".join(kept)},
                "finish_reason": "length" if len(kept) < len(words) else "stop",
            }
        ],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(kept)},
    }


def continuation(body: dict[str, Any]) -> dict[str, Any]:
    """vLLM's reply to continue_final_message: the new text only, after the partial turn."""
    question = body["messages"][-2]["content"]
    solved = solve_arithmetic(question)
    text = f" The answer is {solved[1] if solved else 'unknown'}."
    reply = answer({**body, "messages": body["messages"][:-1], "max_tokens": 99})
    reply["choices"][0]["message"]["content"] = text
    return reply


def make_handler(state: ServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with state.lock:
                state.requests.append(body)
                state.headers.append(dict(self.headers))
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
                failing = len(state.requests) <= state.fail_first
            time.sleep(state.delay_s)
            # Out of flight before the reply goes out: once the client has read it, it may send
            # its next request while this thread is still closing the connection.
            with state.lock:
                state.in_flight -= 1
            if self.path != "/v1/chat/completions":
                self.reply(404, {"error": f"no route {self.path}"})
            elif failing:
                self.reply(state.fail_status, {"error": "try again later"})
            elif body.get("model") == "bad-request":
                self.reply(400, {"error": "max_tokens is too large"})
            elif body.get("model") == "strict" and "continue_final_message" in body:
                # OpenAI's own API rejects fields it does not know
                self.reply(400, {"error": "Unrecognized request argument: continue_final_message"})
            elif body.get("continue_final_message"):
                self.reply(200, continuation(body))
            else:
                self.reply(200, answer(body))

        def reply(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep test output clean

    return Handler


@dataclass
class Server:
    base_url: str
    state: ServerState


@pytest.fixture
def server() -> Iterator[Server]:
    state = ServerState()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{httpd.server_address[1]}/v1", state)
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def ask(question: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}]


def sampler_for(server: Server, model: str = "tiny", **options: Any) -> OpenAISampler:
    return OpenAISampler(model, base_url=server.base_url, retry_backoff_s=0.01, **options)


def test_answers_in_order_with_usage(server: Server) -> None:
    sampler = load_sampler("openai", "tiny", base_url=server.base_url + "/")
    assert isinstance(sampler, Sampler)
    assert sampler.model_id == "openai:tiny"
    questions = [f"What is {n} + 10?" for n in range(12)]
    params = SamplingParams(max_new_tokens=64, temperature=0.7, top_p=0.9, seed=1)
    completions = sampler.generate([ask(q) for q in questions], params)
    for n, completion in enumerate(completions):
        assert completion.text.startswith(f"The answer is {n + 10}. (seed ")
        assert completion.prompt_tokens == 5
        assert completion.completion_tokens == 6
        assert completion.finish_reason == "stop"
        assert completion.latency_s > 0
    (first,) = [r for r in server.state.requests if r["messages"] == ask(questions[0])]
    assert first["model"] == "tiny"
    assert (first["max_tokens"], first["temperature"], first["top_p"]) == (64, 0.7, 0.9)


def test_each_request_gets_its_own_seed(server: Server) -> None:
    sampler = sampler_for(server)
    conversations = [ask("What is 1 + 1?")] * 5
    first = [c.text for c in sampler.generate(conversations, SamplingParams(seed=3))]
    again = [c.text for c in sampler.generate(conversations, SamplingParams(seed=3))]
    fresh = [c.text for c in sampler_for(server).generate(conversations, SamplingParams(seed=3))]
    assert len(set(first)) == 5  # five copies of one prompt are five samples
    assert fresh == first  # reproducible from a fresh sampler
    assert set(again).isdisjoint(first)  # the next call continues, it does not repeat


def test_length_finish_reason(server: Server) -> None:
    (completion,) = sampler_for(server).generate(
        [ask("What is 2 * 3?")], SamplingParams(max_new_tokens=3)
    )
    assert (completion.text, completion.completion_tokens) == ("The answer is", 3)
    assert completion.finish_reason == "length"


def test_keeps_concurrency_bounded(server: Server) -> None:
    server.state.delay_s = 0.05
    sampler_for(server, concurrency=3).generate([ask("Hi")] * 12, SamplingParams())
    assert 2 <= server.state.max_in_flight <= 3


@pytest.mark.parametrize("status", [503, 429, 500])
def test_retries_transient_failures(server: Server, status: int) -> None:
    server.state.fail_first, server.state.fail_status = 2, status
    (completion,) = sampler_for(server).generate([ask("What is 4 - 5?")], SamplingParams())
    assert completion.text.startswith("The answer is -1.")
    assert len(server.state.requests) == 3


def test_gives_up_after_max_retries(server: Server) -> None:
    server.state.fail_first = 10
    with pytest.raises(SamplerError, match=r"after 3 attempts .*HTTP 503"):
        sampler_for(server, max_retries=2).generate([ask("Hi")], SamplingParams())
    assert len(server.state.requests) == 3


def test_client_error_fails_at_once(server: Server) -> None:
    with pytest.raises(SamplerError, match=r"refused the request \(HTTP 400\).*too large"):
        sampler_for(server, model="bad-request").generate([ask("Hi")] * 3, SamplingParams())
    assert len(server.state.requests) <= 3  # no retries


def test_wrong_path_is_a_client_error(server: Server) -> None:
    sampler = OpenAISampler("tiny", base_url=server.base_url.removesuffix("/v1"))
    with pytest.raises(SamplerError, match="HTTP 404"):
        sampler.generate([ask("Hi")], SamplingParams())


@pytest.mark.parametrize(
    ("api_key", "environment", "expected"),
    [("sk-given", None, "Bearer sk-given"), (None, "sk-env", "Bearer sk-env"), (None, None, None)],
)
def test_api_key(
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    api_key: str | None,
    environment: str | None,
    expected: str | None,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    if environment is not None:
        monkeypatch.setenv("OPENAI_API_KEY", environment)
    sampler_for(server, api_key=api_key).generate([ask("Hi")], SamplingParams())
    assert server.state.headers[0].get("Authorization") == expected


def test_dead_port_names_the_url() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sampler = OpenAISampler(
        "tiny", base_url=f"http://127.0.0.1:{port}/v1", max_retries=1, retry_backoff_s=0.01
    )
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    with pytest.raises(SamplerError, match=f"server at {url} after 2 attempts.*start the server"):
        sampler.generate([ask("Hi")], SamplingParams())


@pytest.mark.parametrize(
    ("options", "message"),
    [({"concurrency": 0}, "concurrency must be at least 1")],
)
def test_bad_setup(options: dict[str, Any], message: str) -> None:
    with pytest.raises(SamplerError, match=message):
        OpenAISampler("tiny", **options)


def test_needs_a_model_name() -> None:
    with pytest.raises(SamplerError, match="needs the model name"):
        load_sampler("openai", "")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            {
                "choices": [{"message": {"content": None}, "finish_reason": "eos"}],
                "usage": {"prompt_tokens": 4, "completion_tokens": 1},
            },
            ("", 4, 1, "stop"),
        ),
        (
            {
                "choices": [{"message": {"content": "x y"}, "finish_reason": "length"}],
                "usage": {"prompt_tokens": 2, "completion_tokens": 2},
            },
            ("x y", 2, 2, "length"),
        ),
        ({"choices": [], "usage": {}}, None),
        ({"choices": [{"message": {"content": "hi"}}]}, None),
        ({"error": "overloaded"}, None),
    ],
)
def test_parse_completion(reply: dict[str, Any], expected: tuple[Any, ...] | None) -> None:
    if expected is None:
        with pytest.raises(SamplerError, match="unexpected reply from the server"):
            parse_completion(reply, latency_s=0.1)
        return
    completion = parse_completion(reply, latency_s=0.1)
    assert (
        completion.text,
        completion.prompt_tokens,
        completion.completion_tokens,
        completion.finish_reason,
    ) == expected


def partial_turn(question: str, prefix: str) -> list[dict[str, str]]:
    return [*ask(question), {"role": "assistant", "content": prefix}]


def test_continues_a_partial_assistant_turn_with_vllms_fields(server: Server) -> None:
    from reasonloop.backends.base import check_continues

    sampler = sampler_for(server, continue_final_message=True)
    check_continues(sampler, "valuing steps")
    conversation = partial_turn("What is 2 + 3?", "First, 2 + 3 = 5.")
    [completion] = sampler.generate([conversation], SamplingParams(max_new_tokens=16))
    assert completion.text == " The answer is 5."
    [request] = server.state.requests
    assert request["messages"] == conversation
    assert request["continue_final_message"] is True
    assert request["add_generation_prompt"] is False
    sampler.generate([ask("What is 1 + 1?")], SamplingParams(max_new_tokens=16))
    assert "continue_final_message" not in server.state.requests[-1]  # a new turn: as before


def test_continuation_needs_the_option_and_a_server_that_takes_it(server: Server) -> None:
    from reasonloop.backends.base import check_continues

    conversation = partial_turn("What is 2 + 3?", "First, 2 + 3 = 5.")
    plain = sampler_for(server)
    with pytest.raises(SamplerError, match="continue_final_message=true for a vLLM server"):
        check_continues(plain, "valuing steps")
    with pytest.raises(SamplerError, match="pass --backend-option continue_final_message=true"):
        plain.generate([conversation], SamplingParams(max_new_tokens=16))
    assert server.state.requests == []  # refused before asking: no silent fresh answer
    strict = sampler_for(server, "strict", continue_final_message=True)
    with pytest.raises(SamplerError, match="does not take vLLM's continue_final_message"):
        strict.generate([conversation], SamplingParams(max_new_tokens=16))
