#!/usr/bin/env python3
"""A real HTTP server for Loupe's tests: it receives webhooks and speaks the Ollama
(/api/generate) and OpenAI (/v1/chat/completions) wire protocols, with misbehaviour chosen by
the path or the model name. Every request is written to OUT/<kind>-N.json (path, headers,
body) before it is answered. Prints "PORT n" once it listens; stops when stdin closes.

Webhook paths: /webhook (200), /webhook/flaky (500 twice, then 200), /webhook/always-500,
/webhook/retry-after (429 with Retry-After: 1, then 200).
Models: good (answers in the strict format: anomaly when the event template mentions an
error word, else normal), chatty (prose only), json (a JSON object), garbage (no verdict),
slow (waits 3 s first), flaky (500 on odd calls), malformed (a body that is not JSON)."""
import argparse, itertools, json, os, re, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
args = parser.parse_args()
counter = itertools.count(1)
lock = threading.Lock()
hits = {}

def bump(key):
    with lock:
        hits[key] = hits.get(key, 0) + 1
        return hits[key]

def verdict_for(prompt):
    match = re.search(r"Event template: <log>\n(.*?)\n</log>", prompt, re.S) or \
            re.search(r"<log>\n(.*?)\n</log>", prompt, re.S)
    template = match.group(1) if match else prompt
    bad = re.search(r"error|fail|exception|refused|timeout|denied", template, re.I)
    return ("anomaly", "the event reports a failure", "failure, backend") if bad else \
           ("normal", "routine operation", "routine")

def answer_text(model, prompt):
    label, reason, tags = verdict_for(prompt)
    if model == "chatty":
        return f"Looking at these lines, I would call this {'anomalous' if label == 'anomaly' else 'normal'}."
    if model == "json":
        return json.dumps({"classification": label, "reason": reason, "tags": tags.split(", ")})
    if model == "garbage":
        return "banana"
    return f"**CLASSIFICATION:** {label}\nREASON: {reason}\nTAGS: {tags}"

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass

    def reply(self, code, body, content_type="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers: self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length)
        try: body = json.loads(raw)
        except Exception: body = None
        kind = "webhook" if self.path.startswith("/webhook") else "llm"
        n = next(counter)
        record = {"path": self.path, "headers": dict(self.headers), "body": body, "raw": raw.decode("utf-8", "replace")}
        path = os.path.join(args.out, f"{kind}-{n}.json")
        with open(path + ".tmp", "w") as f: json.dump(record, f)
        os.rename(path + ".tmp", path)

        if kind == "webhook":
            count = bump(self.path)
            if self.path == "/webhook/flaky" and count <= 2: return self.reply(500, {"error": "try again"})
            if self.path == "/webhook/always-500": return self.reply(500, {"error": "down"})
            if self.path == "/webhook/retry-after" and count == 1:
                return self.reply(429, {"error": "slow down"}, headers=[("Retry-After", "1")])
            return self.reply(200, b"ok", "text/plain")

        if self.path == "/api/generate":
            model, prompt = body["model"], body["prompt"]
        elif self.path == "/v1/chat/completions":
            if self.headers.get("Authorization") != "Bearer test-key":
                return self.reply(401, {"error": {"message": "invalid api key"}})
            model = body["model"]
            prompt = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
        else:
            return self.reply(404, {"error": "not found"})
        if model == "slow": time.sleep(3)
        if model == "flaky" and bump("flaky") % 2 == 1: return self.reply(500, {"error": "overloaded"})
        if model == "malformed": return self.reply(200, b"<html>upstream error</html>", "text/html")
        text = answer_text(model, prompt)
        if self.path == "/api/generate":
            return self.reply(200, {"model": model, "response": text, "done": True,
                                    "prompt_eval_count": len(prompt) // 4, "eval_count": len(text) // 4})
        return self.reply(200, {"id": f"c{n}", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(text) // 4}})

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(f"PORT {server.server_address[1]}", flush=True)
sys.stdin.read()
server.shutdown()
