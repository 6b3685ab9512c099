"""Sample from any OpenAI-compatible chat server (vLLM, SGLang, llama.cpp, TGI, OpenAI).

Standard library only: urllib for HTTP, a thread pool to keep `concurrency` requests in flight.
Connection errors, 429 and 5xx are retried with exponential backoff; other 4xx fail at once.
Each request gets its own seed, so k copies of one prompt are k different samples.

Continuing a partial assistant turn (a step prefix being valued) is not part of the OpenAI API.
vLLM's server (and SGLang's) takes it as two extra request fields, `continue_final_message:
true` with `add_generation_prompt: false`, and then returns only the new text. A server cannot
be asked whether it honours them (one that ignores them answers afresh, silently), so the
sampler sends them only when told the server takes them (`continue_final_message=True`);
without that, a conversation ending with an assistant turn is refused, and a server that
rejects the fields is an error naming them.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from reasonloop.backends.base import (
    Completion,
    Conversation,
    FinishReason,
    SamplerError,
    SamplingParams,
)
from reasonloop.backends.seeds import request_seeds


class RetryableError(Exception):
    """A failure worth another try (connection error, 429, 5xx)."""


class OpenAISampler:
    """A model behind an OpenAI-compatible `/chat/completions` endpoint.

    The API key comes from `api_key` or the `OPENAI_API_KEY` environment variable; local
    servers usually need none. `continue_final_message`: the server continues a trailing
    assistant turn when asked with vLLM's request fields (see the module docstring).
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str = "http://localhost:8000/v1",
        api_key: str | None = None,
        concurrency: int = 8,
        timeout: float = 60.0,
        max_retries: int = 3,
        retry_backoff_s: float = 0.5,
        continue_final_message: bool = False,
    ) -> None:
        if not model:
            raise SamplerError("the openai backend needs the model name the server serves")
        if concurrency < 1:
            raise SamplerError(f"concurrency must be at least 1, got {concurrency}")
        self.model = model
        self.model_id = f"openai:{model}"
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self.concurrency = concurrency
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_backoff_s = retry_backoff_s
        self.continues_final_message = continue_final_message
        self._calls = 0
        self._lock = threading.Lock()

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        with self._lock:
            call, self._calls = self._calls, self._calls + 1
        seeds = request_seeds(params.seeds, params.seed, call, len(conversations))
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            futures = [
                pool.submit(self._complete, conversation, params, seed)
                for conversation, seed in zip(conversations, seeds, strict=True)
            ]
            return collect_results(futures)

    def _complete(
        self, conversation: Conversation, params: SamplingParams, seed: int
    ) -> Completion:
        continues = bool(conversation) and conversation[-1]["role"] == "assistant"
        if continues and not self.continues_final_message:
            raise SamplerError(
                f"{self.model_id}: the conversation ends with an assistant turn to continue, and "
                "the server was not said to take vLLM's continue_final_message; if it does "
                "(vLLM, SGLang), pass --backend-option continue_final_message=true"
            )
        body = build_request_body(self.model, conversation, params, seed, continues=continues)
        started = time.perf_counter()
        response = self._post_with_retries(body)
        return parse_completion(response, latency_s=time.perf_counter() - started)

    def _post_with_retries(self, body: dict[str, Any]) -> dict[str, Any]:
        for attempt in range(self.max_retries + 1):
            try:
                return self._post(body)
            except RetryableError as error:
                if attempt == self.max_retries:
                    raise self._gave_up(error) from error
                time.sleep(self.retry_backoff_s * 2**attempt)
        raise AssertionError("unreachable")

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:500]
            if error.code == 429 or error.code >= 500:
                raise RetryableError(f"HTTP {error.code}: {detail}") from error
            if body.get("continue_final_message"):
                raise SamplerError(
                    f"the server at {self.url} refused to continue a partial assistant turn "
                    f"(HTTP {error.code}: {detail}): it does not take vLLM's "
                    "continue_final_message / add_generation_prompt request fields; serve the "
                    "model with vLLM, or value steps with another backend"
                ) from error
            raise SamplerError(
                f"the server at {self.url} refused the request (HTTP {error.code}): {detail}"
            ) from error
        except (urllib.error.URLError, OSError) as error:  # refused, reset, DNS, timeout
            raise RetryableError(str(getattr(error, "reason", error))) from error
        try:
            decoded: dict[str, Any] = json.loads(payload)
        except json.JSONDecodeError as error:
            raise SamplerError(f"the server at {self.url} sent invalid JSON: {error}") from error
        return decoded

    def _gave_up(self, error: RetryableError) -> SamplerError:
        return SamplerError(
            f"no answer from the OpenAI-compatible server at {self.url} after "
            f"{self.max_retries + 1} attempts ({error}); start the server (e.g. "
            f"`vllm serve {self.model}`) or pass the right base_url"
        )


def build_request_body(
    model: str,
    conversation: Conversation,
    params: SamplingParams,
    seed: int,
    *,
    continues: bool = False,
) -> dict[str, Any]:
    """The JSON body of one `/chat/completions` request; `continues` asks (in vLLM's fields)
    for a continuation of the conversation's final assistant turn.

    >>> body = build_request_body("m", [], SamplingParams(max_new_tokens=8), seed=3)
    >>> body["max_tokens"], body["seed"], "continue_final_message" in body
    (8, 3, False)
    """
    continuation = {"continue_final_message": True, "add_generation_prompt": False}
    return {
        **(continuation if continues else {}),
        "model": model,
        "messages": list(conversation),
        "max_tokens": params.max_new_tokens,
        "temperature": max(params.temperature, 0.0),
        "top_p": params.top_p,
        "seed": seed,
    }


def parse_completion(response: dict[str, Any], latency_s: float) -> Completion:
    """A Completion from a `/chat/completions` reply; malformed replies raise SamplerError."""
    try:
        choice = response["choices"][0]
        usage = response["usage"]
        text = choice["message"]["content"] or ""
        prompt_tokens = int(usage["prompt_tokens"])
        completion_tokens = int(usage["completion_tokens"])
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise SamplerError(
            f"unexpected reply from the server (missing {error}); expected choices[0].message"
            f".content and usage: {json.dumps(response)[:300]}"
        ) from error
    # Servers say "stop", "eos", "stop_sequence", ...; only running out of tokens matters here.
    finish_reason: FinishReason = "length" if choice.get("finish_reason") == "length" else "stop"
    return Completion(
        text=text,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        finish_reason=finish_reason,
        latency_s=latency_s,
    )


def collect_results(futures: list[Future[Completion]]) -> list[Completion]:
    """Results in submission order; on the first failure, cancel what has not started."""
    try:
        return [future.result() for future in futures]
    except BaseException:
        for future in futures:
            future.cancel()
        raise
