#!/usr/bin/env python3
"""A real SMTP server for Loupe's tests (aiosmtpd): STARTTLS, implicit TLS or plain, with
AUTH PLAIN/LOGIN checked against one user. Every message received is parsed with Python's
email package and written to OUT/N.json (envelope, TLS and AUTH state, headers, text and HTML
parts, raw bytes), so the tests check what a real mail client would see. Prints "PORT n" once
it listens; stops on SIGTERM or when standard input closes."""
import argparse, asyncio, json, os, signal, socket, ssl, sys, threading
from email import message_from_bytes, policy
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--mode", choices=["starttls", "implicit", "plain"], default="starttls")
parser.add_argument("--cert"); parser.add_argument("--key")
parser.add_argument("--user"); parser.add_argument("--password")
parser.add_argument("--out", required=True)
args = parser.parse_args()

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        parts = {}
        for part in message.walk():
            if part.get_content_maintype() == "text":
                parts[part.get_content_type()] = part.get_content().replace("\r\n", "\n")
        record = {
            "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "login": session.auth_data.decode() if isinstance(session.auth_data, bytes) else None,
            "headers": {k: str(v) for k, v in message.items()},
            "content_type": message.get_content_type(),
            "text": parts.get("text/plain"), "html": parts.get("text/html"),
            "raw": (envelope.original_content or envelope.content).decode("utf-8", "replace"),
        }
        path = os.path.join(args.out, f"{Sink.count}.json")
        with open(path + ".tmp", "w") as f: json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
        and auth_data.password.decode() == args.password
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)

context = None
if args.cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
port = free_port()
options = dict(hostname="127.0.0.1", port=port)
if args.user:
    options.update(authenticator=authenticator, auth_required=True, auth_require_tls=args.mode == "starttls")
if args.mode == "starttls":
    options.update(tls_context=context, require_starttls=True)
elif args.mode == "implicit":
    options.update(ssl_context=context, server_hostname="localhost")
controller = Controller(Sink(), **options)
controller.start()
print(f"PORT {port}", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
stop.wait()
controller.stop()
