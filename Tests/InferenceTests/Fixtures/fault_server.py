#!/usr/bin/env python3
"""A test double for inference servers that injects faults on request.

Speaks just enough of llama.cpp's and the OpenAI API for the Inference tests. The test posts a
plan to /__plan: a list of behaviours consumed one per completion request (and one list for
/health); when a list runs out the server answers normally. Only for faults: the real path is
tested against the real llama-server.

Behaviours: ok, loading (503), 500, 429, 400, 401 (echoes the Authorization header, to prove
the client scrubs it), slow:SECONDS, reset (TCP RST), truncated (body shorter than
Content-Length, then close), truncated_json (complete HTTP, cut JSON), malformed (HTML page),
stall_body:SECONDS (headers and half a body, then silence).

A fixed-rate server for the concurrency tests: with --service SECONDS every completion holds
one of --slots slots for that long and the rest wait their turn (like llama.cpp's deferred
requests); --jitter F varies each service time by up to F either way (seeded); --metrics adds llama.cpp's /metrics gauges (requests_processing, requests_deferred).
/__stats then also lists how many requests were in the server when each one finished.

A poison prompt for the lost-worker tests: a plan's "poison" is a string; a completion whose
prompt contains it is counted in /__stats "poison_seen" and never answered (the connection is
held, then reset after "poison_hang" seconds), as if the request crashed its worker.
"""
import argparse
import json
import os
import random
import socket
import stat
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
# Shares LOCK, so the slot bookkeeping and the counters above move together.
SLOT_FREE = threading.Condition(LOCK)
STATE = {
    "plan": {"completion": [], "health": []},
    "stats": {"completion": 0, "health": 0, "props": 0, "tokenize": 0, "models": 0},
    "authorization_seen": 0,
    "last_completion_body": None,
    "in_flight": 0,
    "max_in_flight": 0,
    "processing": 0,
    "in_flight_at_completion": [],
    "poison": None,
    "poison_hang": 60.0,
    "poison_seen": 0,
}
SERVICE = {"seconds": None, "slots": None, "jitter": 0.0, "rng": None}


def next_behaviour(kind):
    with LOCK:
        STATE["stats"][kind] += 1
        queue = STATE["plan"][kind]
        return queue.pop(0) if queue else "ok"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-double/1"
    slots = 4
    with_props = True
    with_metrics = False

    def log_message(self, fmt, *args):
        pass

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, status, payload, extra_headers=()):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def reset(self):
        # SO_LINGER 0 makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def fault(self, behaviour, ok_payload):
        name, _, arg = behaviour.partition(":")
        if name == "ok":
            self.send_json(200, ok_payload)
        elif name == "loading":
            self.send_json(503, {"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}})
        elif name == "500":
            self.send_json(500, {"error": {"code": 500, "message": "internal failure " + "x" * 2000}})
        elif name == "429":
            self.send_json(429, {"error": {"code": 429, "message": "slow down"}}, [("Retry-After", arg or "0")])
        elif name == "400":
            self.send_json(400, {"error": {"code": 400, "message": "bad request"}})
        elif name == "401":
            auth = self.headers.get("Authorization", "")
            self.send_json(401, {"error": {"message": "invalid api key: " + auth}})
        elif name == "slow":
            time.sleep(float(arg or "2"))
            self.send_json(200, ok_payload)
        elif name == "reset":
            self.reset()
        elif name == "truncated":
            body = json.dumps(ok_payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 500))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif name == "truncated_json":
            body = json.dumps(ok_payload).encode()[:25]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif name == "malformed":
            body = b"<html><body>502 Bad Gateway from some proxy</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif name == "stall_body":
            body = json.dumps(ok_payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:10])
            self.wfile.flush()
            time.sleep(float(arg or "5"))
            self.close_connection = True
        else:
            self.send_json(500, {"error": "unknown behaviour " + behaviour})

    def serve_at_fixed_rate(self, payload):
        # Waits for a free slot (the request is "deferred" meanwhile), holds it for the service
        # time, and notes how many requests were in the server as it finished.
        with SLOT_FREE:
            while STATE["processing"] >= SERVICE["slots"]:
                SLOT_FREE.wait()
            STATE["processing"] += 1
            # Seeded jitter spreads the completions out, as real prompts of varying length do.
            seconds = SERVICE["seconds"] * SERVICE["rng"].uniform(1 - SERVICE["jitter"], 1 + SERVICE["jitter"])
        time.sleep(seconds)
        with SLOT_FREE:
            STATE["processing"] -= 1
            STATE["in_flight_at_completion"].append(STATE["in_flight"])
            SLOT_FREE.notify()
        self.send_json(200, payload)

    def note_auth(self):
        if self.headers.get("Authorization"):
            with LOCK:
                STATE["authorization_seen"] += 1

    def do_GET(self):
        self.note_auth()
        if self.path == "/metrics" and self.with_metrics:
            with LOCK:
                waiting = STATE["in_flight"] - STATE["processing"]
                text = ("# HELP llamacpp:requests_processing Number of requests processing\n"
                        "# TYPE llamacpp:requests_processing gauge\n"
                        f"llamacpp:requests_processing {STATE['processing']}\n"
                        "# HELP llamacpp:requests_deferred Number of requests deferred\n"
                        "# TYPE llamacpp:requests_deferred gauge\n"
                        f"llamacpp:requests_deferred {waiting}\n")
            body = text.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/health":
            self.fault(next_behaviour("health"), {"status": "ok"})
        elif self.path == "/props" and self.with_props:
            with LOCK:
                STATE["stats"]["props"] += 1
            self.send_json(200, {"total_slots": self.slots, "default_generation_settings": {"n_ctx": 512},
                                 "model_path": "double.gguf"})
        elif self.path == "/v1/models":
            with LOCK:
                STATE["stats"]["models"] += 1
            self.send_json(200, {"object": "list", "data": [{"id": "double-model", "object": "model"}]})
        elif self.path == "/__stats":
            with LOCK:
                self.send_json(200, {"stats": STATE["stats"], "authorization_seen": STATE["authorization_seen"],
                                     "max_in_flight": STATE["max_in_flight"],
                                     "in_flight_at_completion": STATE["in_flight_at_completion"],
                                     "poison_seen": STATE["poison_seen"],
                                     "last_completion_body": STATE["last_completion_body"]})
        else:
            self.send_json(404, {"error": "not found"})

    def do_POST(self):
        self.note_auth()
        raw = self.read_body()
        if self.path == "/__plan":
            plan = json.loads(raw)
            with LOCK:
                STATE["plan"]["completion"] = list(plan.get("completion", []))
                STATE["plan"]["health"] = list(plan.get("health", []))
                STATE["poison"] = plan.get("poison")
                STATE["poison_hang"] = float(plan.get("poison_hang", 60))
            self.send_json(200, {"ok": True})
        elif self.path in ("/completion", "/v1/completions"):
            body = json.loads(raw or b"{}")
            with LOCK:
                STATE["last_completion_body"] = body
            behaviour = next_behaviour("completion")
            with LOCK:
                STATE["in_flight"] += 1
                STATE["max_in_flight"] = max(STATE["max_in_flight"], STATE["in_flight"])
            if self.path == "/completion":
                payload = {"content": " a rewritten caption", "model": "double-model", "tokens_predicted": 4,
                           "tokens_evaluated": 12, "tokens_cached": 0, "stop_type": "word",
                           "generation_settings": {"n_predict": body.get("n_predict"),
                                                   "temperature": body.get("temperature"),
                                                   "top_p": body.get("top_p")}}
            else:
                payload = {"object": "text_completion", "model": "double-model",
                           "choices": [{"index": 0, "text": " a rewritten caption", "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16}}
            prompt = json.dumps(body.get("prompt", ""))
            with LOCK:
                poison = STATE["poison"]
                hang = STATE["poison_hang"]
                if poison and poison in prompt:
                    STATE["poison_seen"] += 1
                    behaviour = "poison"
            try:
                if behaviour == "poison":
                    time.sleep(hang)
                    self.reset()
                elif behaviour == "ok" and SERVICE["seconds"] is not None:
                    self.serve_at_fixed_rate(payload)
                else:
                    self.fault(behaviour, payload)
            finally:
                with LOCK:
                    STATE["in_flight"] -= 1
        elif self.path == "/tokenize":
            with LOCK:
                STATE["stats"]["tokenize"] += 1
            body = json.loads(raw or b"{}")
            self.send_json(200, {"tokens": list(range(len(body.get("content", "").split())))})
        else:
            self.send_json(404, {"error": "not found"})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slots", type=int, default=4)
    parser.add_argument("--no-props", action="store_true", help="behave like vLLM: no /props")
    parser.add_argument("--service", type=float, default=None, help="seconds each completion holds a slot")
    parser.add_argument("--jitter", type=float, default=0.0, help="service time varies by this fraction either way")
    parser.add_argument("--metrics", action="store_true", help="serve llama.cpp's /metrics queue gauges")
    args = parser.parse_args()
    SERVICE["seconds"] = args.service
    SERVICE["slots"] = args.slots
    SERVICE["jitter"] = args.jitter
    SERVICE["rng"] = random.Random(7)
    Handler.with_metrics = args.metrics
    Handler.slots = args.slots
    Handler.with_props = not args.no_props
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    # Exit when the test process goes away, so no double outlives a crashed or killed test run.
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    def watch_stdin():
        # A caller that holds our stdin open can also stop us by closing it.
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    # Only a pipe can be closed on purpose; /dev/null would read as closed at once.
    if stat.S_ISFIFO(os.fstat(0).st_mode):
        threading.Thread(target=watch_stdin, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
