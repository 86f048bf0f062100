"""An SMTP server for e-mail tests (Debian's python3-aiosmtpd), on loopback only.

    /usr/bin/python3 Tests/support/smtp_server.py DIR [--port N] [--tls CERT KEY]
        [--require-starttls] [--auth USER PASSWORD] [--no-auth-offered]

Stores each message as DIR/message-N.eml (exactly as received) with DIR/message-N.json
(envelope sender and recipients, whether TLS and AUTH were used), and prints the port
it listens on as its first line. With --no-auth-offered, its EHLO reply lists no AUTH,
as a relay on port 25 may not.
"""
import argparse
import json
import os
import socket
import ssl
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("directory")
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--require-starttls", action="store_true")
parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
parser.add_argument("--no-auth-offered", action="store_true")
options = parser.parse_args()


class Mailbox:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Mailbox.count += 1
        base = os.path.join(options.directory, f"message-{Mailbox.count}")
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "tls": session.ssl is not None,
                "authenticated": bool(session.authenticated),
            }, f)
        return "250 Message accepted"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if options.no_auth_offered:
            responses = [line for line in responses if not line[4:].upper().startswith("AUTH")]
            responses[-1] = "250 " + responses[-1][4:]
        return responses


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == tuple(options.auth)
    return AuthResult(success=ok, handled=False)


port = options.port
if port == 0:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
context = None
if options.tls:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*options.tls)
controller = Controller(
    Mailbox(), hostname="127.0.0.1", port=port, decode_data=False, tls_context=context,
    require_starttls=options.require_starttls,
    authenticator=authenticator if options.auth else None, auth_required=bool(options.auth),
    auth_require_tls=bool(options.tls))
controller.start()
print(port, flush=True)
while True:
    time.sleep(3600)
