"""Parses a stored message with Python's email package and prints it as JSON:
decoded headers, the raw header lines, the body as text, its charset and encoding.

    /usr/bin/python3 Tests/support/parse_mail.py FILE
"""
import email
import email.policy
import json
import sys

raw = open(sys.argv[1], "rb").read()
message = email.message_from_bytes(raw, policy=email.policy.default)
head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
print(json.dumps({
    "headers": {name: str(value) for name, value in message.items()},
    "raw_headers": head.split("\r\n"),
    "body": message.get_content(),
    "charset": message.get_content_charset(),
    "encoding": message["Content-Transfer-Encoding"],
    "defects": [str(d) for d in message.defects],
}))
