"""An SMTP server that refuses every recipient (Debian's python3-aiosmtpd), on loopback only.

    /usr/bin/python3 Tests/support/refusing_smtp_server.py REPLY

Answers each RCPT TO with REPLY (such as "550 5.1.1 <x@example.org>: no such user") and
prints the port it listens on as its first line.
"""
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Refuser:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return sys.argv[1]


with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
controller = Controller(Refuser(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
while True:
    time.sleep(3600)
