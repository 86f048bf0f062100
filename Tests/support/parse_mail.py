"""Parses a stored message with Python's email package and prints it as JSON:
decoded headers, the raw header lines, the plain-text body with its charset and
encoding, the HTML part, the content types of every part, and each attachment.
Text comes with LF line ends (the wire has CRLF); calendars keep theirs.

    /usr/bin/python3 Tests/support/parse_mail.py FILE
"""
import email
import email.policy
import json
import sys

raw = open(sys.argv[1], "rb").read()
message = email.message_from_bytes(raw, policy=email.policy.default)
head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
text = message.get_body(preferencelist=("plain",))
html = message.get_body(preferencelist=("html",))
attachments = [
    {
        "content_type": part.get_content_type(),
        "content_type_header": str(part["Content-Type"]),
        "filename": part.get_filename(),
        "method": part.get_param("method"),
        "content": part.get_content() if part.get_content_maintype() == "text" else None,
    }
    for part in (message.iter_attachments() if message.is_multipart() else [])
]
print(json.dumps({
    "headers": {name: str(value) for name, value in message.items()},
    "raw_headers": head.split("\r\n"),
    "content_type": message.get_content_type(),
    "parts": [part.get_content_type() for part in message.walk()],
    "body": text.get_content().replace("\r\n", "\n") if text is not None else None,
    "charset": text.get_content_charset() if text is not None else None,
    "encoding": text["Content-Transfer-Encoding"] if text is not None else None,
    "html": html.get_content().replace("\r\n", "\n") if html is not None else None,
    "attachments": attachments,
    "defects": [str(d) for part in message.walk() for d in part.defects],
}))
