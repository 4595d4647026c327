#!/usr/bin/python3
"""A hostile provider on loopback, for e2e test `hostile` (issue 15).

It speaks just enough of the OpenAI chat completions (/v1/chat/completions)
and Anthropic messages (/v1/messages) APIs, and misbehaves as the request's
model name says (the case names below). It listens on 127.0.0.1 only, on a
port it picks, prints "listening on PORT" and serves until killed; every
loop it runs is bounded. Each request's model is appended to the log file
given as its first argument, so the test can count what was sent.

    hostile_server.py LOG
"""
import json
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = "42"
PAD = "x" * 320  # an error message longer than any cut at 300 characters
BOMB_BYTES = 1 << 30  # the gzip bomb's decoded size: 1 GiB
_bomb = None
_bomb_lock = threading.Lock()


def gzip_bomb():
    """1 GiB of spaces after a JSON prefix, gzipped (about 1 MB), made in well
    under a second: after a full flush a deflate block needs nothing before
    it, so the block of 1 MiB of spaces is compressed once and repeated."""
    global _bomb
    with _bomb_lock:
        if _bomb is None:
            prefix = b'{"choices":[{"message":{"content":"'
            chunk = b" " * (1 << 20)
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
            block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
            tail = c.flush()
            crc = zlib.crc32(prefix)
            for _ in range(BOMB_BYTES >> 20):
                crc = zlib.crc32(chunk, crc)
            size = len(prefix) + BOMB_BYTES
            _bomb = (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + head + block * (BOMB_BYTES >> 20) + tail +
                     struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
        return _bomb


def openai_body(model, key, text=ANSWER, usage=None):
    u = {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}
    if usage is not None:
        u.update(usage)
    return {"id": "h", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}], "usage": u}


def anthropic_body(model, text=ANSWER, usage=None):
    u = {"input_tokens": 20, "output_tokens": 5}
    if usage is not None:
        u.update(usage)
    return {"id": "h", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "usage": u}


# usage and cost cases: (OpenAI usage members, Anthropic usage members)
USAGE_CASES = {
    "usage-1e308": ({"prompt_tokens": 1e308}, {"input_tokens": 1e308}),
    "usage-1e19": ({"completion_tokens": 1e19}, {"output_tokens": 1e19}),
    "usage-neg": ({"prompt_tokens": -500}, {"input_tokens": -500}),
    "usage-str": ({"completion_tokens": "5000"}, {"output_tokens": "5000"}),
    "cost-1e308": ({"cost": 1e308}, None),
    "cost-neg": ({"cost": -3}, None),
    "byok-neg": ({"cost": 0.001, "is_byok": True, "cost_details": {"upstream_inference_cost": -1000}}, None),
    "byok-huge": ({"cost": 1e308, "is_byok": True, "cost_details": {"upstream_inference_cost": 1e308}}, None),
    # what the budget test asks: every answer as long as max_tokens allows
    "dollar": ({"completion_tokens": 100000}, {"output_tokens": 100000}),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/json", extra=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def stream_start(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def event(self, data, name=None):
        head = ("event: %s\n" % name) if name else ""
        self.wfile.write((head + "data: " + json.dumps(data) + "\n\n").encode())
        self.wfile.flush()

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        req = json.loads(self.rfile.read(n) or b"{}")
        model = req.get("model", "")
        with open(sys.argv[1], "a") as log:
            log.write(model + "\n")
        anthropic = self.path.endswith("/messages")
        key = self.headers.get("x-api-key") if anthropic else (self.headers.get("Authorization") or "")[7:]
        try:
            self.play(model, key or "", anthropic, req)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up: what it should do on some cases

    def play(self, model, key, anthropic, req):
        case = model
        if case in USAGE_CASES:
            o, a = USAGE_CASES[case]
            if anthropic:
                return self.send(200, anthropic_body(model, usage=a))
            return self.send(200, openai_body(model, key, usage=o))
        if case == "gzip-bomb":
            return self.send(200, gzip_bomb(), extra={"Content-Encoding": "gzip"})
        if case == "sse-longline":
            # one SSE line of up to 100 MB with no newline; stops when the client hangs up
            self.stream_start()
            self.wfile.write(b"data: ")
            chunk = b"a" * (1 << 20)
            for _ in range(100):
                self.wfile.write(chunk)
            return
        if case == "stall-stream":
            # thousands of bytes of tokens, then silence past the client's timeout
            self.stream_start()
            for i in range(200):
                if anthropic:
                    self.event({"type": "content_block_delta", "index": 0,
                                "delta": {"type": "text_delta", "text": "token%d " % i}}, "content_block_delta")
                else:
                    self.event({"choices": [{"index": 0, "delta": {"content": "token%d " % i}}]})
            time.sleep(6)
            return
        if case == "echo-key-error":
            # the key after more padding than any cut keeps
            return self.send(400, {"error": {"type": "invalid_request_error", "message": PAD + key}})
        if case == "echo-key-error-short":
            return self.send(400, {"error": {"type": "invalid_request_error", "message": "x" * 274 + key}})
        if case == "echo-key":
            text = "%s\nyour key is %s and its end is %s" % (ANSWER, key, key[-16:])
            if anthropic:
                return self.send(200, anthropic_body(model, text=text, usage={"note": key, "service_tier": key}))
            return self.send(200, openai_body(model, key, text=text, usage={"note": key, "key_tail": key[-12:]}))
        if case == "echo-key-sse":
            self.stream_start()
            if anthropic:
                self.event({"type": "message_start", "message": {"id": key, "usage": {"input_tokens": 20,
                            "output_tokens": 1, "note": key}}}, "message_start")
                self.event({"type": "content_block_delta", "index": 0,
                            "delta": {"type": "text_delta", "text": ANSWER + " " + key}}, "content_block_delta")
                self.event({"type": "ping", "key": key}, "ping")
                self.event({"type": "message_delta", "delta": {"stop_reason": "end_turn"},
                            "usage": {"output_tokens": 5, "note": key}}, "message_delta")
                self.event({"type": "message_stop"}, "message_stop")
            else:
                self.event({"id": key, "choices": [{"index": 0, "delta": {"content": ANSWER + " " + key}}]})
                self.event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                self.event({"choices": [], "usage": {"prompt_tokens": 20, "completion_tokens": 5, "note": key}})
                self.wfile.write(b"data: [DONE]\n\n")
            return
        # anything else: a plain, honest answer
        if anthropic:
            return self.send(200, anthropic_body(model))
        return self.send(200, openai_body(model, key))


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print("listening on %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
