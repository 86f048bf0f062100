"""A small HTTP server for webhook tests, on loopback only.

    python3 Tests/support/http_server.py DIR STATUS[,STATUS...]

Answers each POST with the next status of the list (the last one repeats), stores
each request as DIR/request-N.json ({"path", "headers", "body", "status"}), and prints
the port it listens on as its first line.
"""
import http.server
import json
import os
import sys

directory, statuses = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
count = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = statuses[min(count, len(statuses) - 1)]
        count += 1
        with open(os.path.join(directory, f"request-{count}.json"), "w") as f:
            json.dump({"path": self.path, "headers": dict(self.headers), "body": body.decode(), "status": status}, f)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
