"""A small HTTP server for webhook tests, on loopback only.

    python3 Tests/support/http_server.py DIR STATUS[,STATUS...] [--body TEXT] [--secret whsec_...]

Answers each POST with the next status of the list (the last one repeats) and a body
("ok", or TEXT for statuses outside 2xx), stores each request as DIR/request-N.json
({"path", "headers", "body", "status"}), and prints the port it listens on as its first
line. With --secret it checks each request's Standard Webhooks signature, HMAC-SHA256
over "ID.TIMESTAMP.BODY" with the secret's key, and stores "signature_valid" too.
"""
import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("directory")
parser.add_argument("statuses")
parser.add_argument("--body", default="ok")
parser.add_argument("--secret")
options = parser.parse_args()
statuses = [int(s) for s in options.statuses.split(",")]
count = 0


def signature_valid(headers, body):
    key = base64.b64decode(options.secret.removeprefix("whsec_"))
    signed = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # The header may list several signatures, separated by spaces.
    return any(hmac.compare_digest(expected, given) for given in headers.get("webhook-signature", "").split(" "))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = statuses[min(count, len(statuses) - 1)]
        count += 1
        record = {"path": self.path, "headers": dict(self.headers), "body": body.decode(), "status": status}
        if options.secret:
            record["signature_valid"] = signature_valid(self.headers, body)
        with open(os.path.join(options.directory, f"request-{count}.json"), "w") as f:
            json.dump(record, f)
        answer = b"ok" if 200 <= status < 300 else options.body.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
