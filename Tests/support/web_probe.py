"""Talks HTTP to optoutd serve the way browsers and hostile clients do, on loopback only,
and prints what came back as JSON.

    python3 Tests/support/web_probe.py get URL [HEADER:VALUE ...]
    python3 Tests/support/web_probe.py post URL BODY [HEADER:VALUE ...]
    python3 Tests/support/web_probe.py method METHOD URL
    python3 Tests/support/web_probe.py padded-post URL BODY COUNT
    python3 Tests/support/web_probe.py chunked-post URL BODY COUNT
    python3 Tests/support/web_probe.py idle-then-get COUNT URL
    python3 Tests/support/web_probe.py slow URL
    python3 Tests/support/web_probe.py huge-header URL
    python3 Tests/support/web_probe.py half-close URL REQUEST
    python3 Tests/support/web_probe.py unread-pipeline URL SECONDS
    python3 Tests/support/web_probe.py sending-while-flooded COUNT URL
    python3 Tests/support/web_probe.py post-and-wait URL BODY
    python3 Tests/support/web_probe.py send-open URL REQUEST
    python3 Tests/support/web_probe.py expect-continue URL BODY

get, post and method print {"status", "headers", "body"}; padded-post sends BODY with
COUNT more "a" after it (with Content-Length), chunked-post the same in 4 KB chunks
without a length, and both print {"status"} (0 when the server closed without one). idle-then-get opens COUNT connections
that send nothing, then GETs URL on a new one while they stay open, and prints its
status and how many of the idle ones the server closed. slow sends half a request line
and prints how many seconds pass before the server closes the connection. huge-header
sends a 9 KB header and prints the status line's code (or 0 when the server just closed).
half-close sends REQUEST (with \\r\\n written as such), closes its sending side and reads
until the server closes: it prints the first answer's status and headers, how many
answers came and whether the server closed. unread-pipeline sends GET requests for URL
one after the other for SECONDS without reading any answer, and prints how many it sent.
sending-while-flooded sends the first half of a GET for URL, then opens COUNT connections
that send nothing, then the rest of the GET, and prints its status (0 when the server
closed the connection instead). post-and-wait sends a POST of BODY (with the page's
Origin), prints a line "sent" at once and then, once the answer came, its JSON as post does.
send-open is half-close without closing the sending side (reading for 5 seconds at most),
and both also print how many seconds passed. expect-continue sends a POST's head with
Expect: 100-continue, reads the interim status, then sends BODY and prints both statuses.
"""
import http.client
import json
import socket
import sys
import time
import urllib.parse


def connection(url):
    parts = urllib.parse.urlsplit(url)
    return parts, http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)


def request(method, url, body=None, headers=()):
    parts, conn = connection(url)
    fields = dict(h.split(":", 1) for h in headers)
    if body is not None:
        fields.setdefault("Content-Type", "application/x-www-form-urlencoded")
    conn.request(method, parts.path, body=body.encode() if body is not None else None, headers=fields)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    return {"status": response.status, "headers": dict(response.getheaders()), "body": text}


def status_line(sock):
    """The status code of the answer on `sock`, or 0 when the server closed without one."""
    reply = b""
    try:
        while b"\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    except OSError:
        pass
    line = reply.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) > 1 else 0


def large_post(url, body, count, chunked):
    parts = urllib.parse.urlsplit(url)
    data = body.encode() + b"a" * count
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    head = f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nOrigin: {parts.scheme}://{parts.netloc}\r\n"
    head += "Content-Type: application/x-www-form-urlencoded\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {len(data)}\r\n\r\n"
    try:
        sock.sendall(head.encode())
        step = 4096
        for start in range(0, len(data), step):
            piece = data[start:start + step]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server may close before all is sent: its answer is already there
    return {"status": status_line(sock)}


def idle_then_get(count, url):
    parts = urllib.parse.urlsplit(url)
    idle = [socket.create_connection((parts.hostname, parts.port)) for _ in range(count)]
    time.sleep(0.5)
    result = request("GET", url)
    closed = 0
    for sock in idle:
        sock.settimeout(0.2)
        try:
            if sock.recv(1) == b"":
                closed += 1
        except socket.timeout:
            pass
        except OSError:
            closed += 1
        sock.close()
    return {"status": result["status"], "closed": closed}


def sending_while_flooded(count, url):
    parts = urllib.parse.urlsplit(url)
    sending = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sending.sendall(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n".encode())
    time.sleep(0.2)
    idle = [socket.create_connection((parts.hostname, parts.port)) for _ in range(count)]
    time.sleep(0.3)
    try:
        sending.sendall(b"Connection: close\r\n\r\n")
    except OSError:
        return {"status": 0}
    status = status_line(sending)
    for sock in idle:
        sock.close()
    return {"status": status}


def post_and_wait(url, body):
    parts, conn = connection(url)
    conn.request("POST", parts.path, body=body.encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": f"{parts.scheme}://{parts.netloc}"})
    print("sent", flush=True)
    try:
        response = conn.getresponse()
    except (OSError, http.client.HTTPException):
        return {"status": 0}
    return {"status": response.status, "headers": dict(response.getheaders()),
            "body": response.read().decode("utf-8", "replace")}


def slow(url):
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    start = time.monotonic()
    # A query that never ends: every byte is valid, so only the time limit can end it.
    sock.sendall(b"GET /healthz?")
    sock.settimeout(1)
    while time.monotonic() - start < 30:
        try:
            sock.sendall(b"a")  # a byte now and then must not keep it open
            if sock.recv(1) == b"":
                break
        except socket.timeout:
            continue
        except OSError:
            break
    return {"seconds": round(time.monotonic() - start, 1)}


def huge_header(url):
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * 9000 + b"\r\n\r\n")
    return {"status": status_line(sock)}


def half_close(url, text, shut=True):
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=15 if shut else 5)
    start = time.monotonic()
    sock.sendall(text.replace("\\r\\n", "\r\n").encode())
    if shut:
        sock.shutdown(socket.SHUT_WR)
    reply, closed = b"", False
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                closed = True
                break
            reply += chunk
    except socket.timeout:
        pass
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1]) if len(head[0].split()) > 1 else 0
    headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
    return {"status": status, "headers": headers, "answers": reply.count(b"HTTP/1.1 "), "closed": closed,
            "seconds": time.monotonic() - start}


def expect_continue(url, body):
    """Sends a POST's head with Expect: 100-continue and waits for the interim answer
    before the body, as curl does."""
    parts = urllib.parse.urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    head = (f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nOrigin: {parts.scheme}://{parts.netloc}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            "Expect: 100-continue\r\nConnection: close\r\n\r\n")
    sock.sendall(head.encode())
    interim = status_line(sock)
    sock.sendall(body.encode())
    reply = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    except socket.timeout:
        pass
    final = reply.split(b"\r\n", 1)[0].split()
    return {"interim": interim, "status": int(final[1]) if len(final) > 1 else 0}


def unread_pipeline(url, seconds):
    parts = urllib.parse.urlsplit(url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((parts.hostname, parts.port))
    sock.setblocking(False)
    requests = f"GET {parts.path} HTTP/1.1\r\nHost: x\r\n\r\n".encode() * 100
    sent, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            sent += sock.send(requests)
        except BlockingIOError:
            time.sleep(0.01)
        except OSError:
            break
    sock.close()
    return {"sent": sent}


command = sys.argv[1]
if command == "get":
    result = request("GET", sys.argv[2], headers=sys.argv[3:])
elif command == "post":
    result = request("POST", sys.argv[2], body=sys.argv[3], headers=sys.argv[4:])
elif command == "method":
    result = request(sys.argv[2], sys.argv[3])
elif command in ("padded-post", "chunked-post"):
    result = large_post(sys.argv[2], sys.argv[3], int(sys.argv[4]), command == "chunked-post")
elif command == "idle-then-get":
    result = idle_then_get(int(sys.argv[2]), sys.argv[3])
elif command == "sending-while-flooded":
    result = sending_while_flooded(int(sys.argv[2]), sys.argv[3])
elif command == "post-and-wait":
    result = post_and_wait(sys.argv[2], sys.argv[3])
elif command == "slow":
    result = slow(sys.argv[2])
elif command == "huge-header":
    result = huge_header(sys.argv[2])
elif command == "half-close":
    result = half_close(sys.argv[2], sys.argv[3])
elif command == "send-open":
    result = half_close(sys.argv[2], sys.argv[3], shut=False)
elif command == "expect-continue":
    result = expect_continue(sys.argv[2], sys.argv[3])
elif command == "unread-pipeline":
    result = unread_pipeline(sys.argv[2], float(sys.argv[3]))
else:
    sys.exit(f"unknown command {command}")
print(json.dumps(result))
