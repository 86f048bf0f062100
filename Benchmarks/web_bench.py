#!/usr/bin/python3
"""Benchmarks of `optoutd serve` over the largest generated inventory (stdlib only):

    /usr/bin/python3 Benchmarks/web_bench.py BINARY OUTDIR

Measures the time to the first byte of a person's confirmation page cold (socket
activated with systemd-socket-activate: the process starts and loads the whole
configuration when the first connection comes) and warm (the same server again), and
the page's requests per second with the server held to one core (`taskset -c 0`), wrk
on the other.

Environment:
  BENCH_RUNS         cold starts and warm samples, the median is shown (default 3)
  BENCH_WEB_ACCOUNTS the inventory to use (default 100000)
  BENCH_WEB_SECONDS  length of the wrk run (default 10)
"""

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ACCOUNTS = os.environ.get("BENCH_WEB_ACCOUNTS", "100000")
SECONDS = os.environ.get("BENCH_WEB_SECONDS", "10")
binary, outdir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_byte(port, path):
    """Seconds from connecting to the first byte of the answer, and its status line."""
    start = time.monotonic()
    deadline = start + 60
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=60)
            break
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    with sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        first = sock.recv(1)
        elapsed = time.monotonic() - start
        rest = b""
        while chunk := sock.recv(65536):
            rest += chunk
    return elapsed, (first + rest).split(b"\r\n", 1)[0].decode()


work = tempfile.mkdtemp(prefix="optoutd-web-bench-")
try:
    port = free_port()
    config = os.path.join(outdir, f"optoutd-csv-{ACCOUNTS}.yaml")
    web_config = os.path.join(work, "optoutd.yaml")
    text = open(config, encoding="utf-8").read()
    text = text.replace(f"accounts-{ACCOUNTS}.csv", os.path.join(outdir, f"accounts-{ACCOUNTS}.csv"))
    with open(web_config, "w", encoding="utf-8") as file:
        file.write(text + f'\nweb: {{base_url: "http://127.0.0.1:{port}"}}\n')
    state = os.path.join(work, "state.sqlite")
    # The store the daemon would have made (an acknowledgement creates it).
    subprocess.run([binary, "ack", "--create", "--config", web_config, "--state", state, "acct000001",
                    "linkedin-genai-training-2025", "ai-improvement-toggle"], check=True, stdout=subprocess.DEVNULL)
    link = subprocess.run([binary, "link", "acct000002", "--config", web_config, "--state", state],
                          check=True, capture_output=True, text=True).stdout.strip()
    path = link[link.index("/c/"):]

    cold, warm = [], []
    for _ in range(RUNS):
        server = subprocess.Popen(
            ["systemd-socket-activate", "-l", f"127.0.0.1:{port}", binary, "serve", "--config", web_config,
             "--state", state, "--idle-exit", "1h"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)  # systemd-socket-activate listens; optoutd starts only at the first connection
        seconds, status = first_byte(port, path)
        assert status.endswith("200 OK"), status
        cold.append(seconds)
        for _ in range(10):
            warm.append(first_byte(port, path)[0])
        server.terminate()
        server.wait()

    print(f"{'page, cold (socket activated), ' + ACCOUNTS + ' accounts':<52} {statistics.median(cold):8.3f} s to first byte")
    print(f"{'page, warm':<52} {statistics.median(warm):8.4f} s to first byte")
    if shutil.which("wrk") and shutil.which("taskset"):
        server = subprocess.Popen(
            ["taskset", "-c", "0", binary, "serve", "--config", web_config, "--state", state,
             "--listen", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        first_byte(port, "/healthz")
        output = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", "-c8", f"-d{SECONDS}s", link],
                                capture_output=True, text=True).stdout
        server.terminate()
        server.wait()
        rate = next((line.split()[1] for line in output.splitlines() if line.startswith("Requests/sec")), "?")
        errors = [line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line]
        print(f"{'page, requests per second on one core (wrk -c8)':<52} {rate:>8} {' '.join(errors)}")
    else:
        print("page, requests per second: needs wrk and taskset")
finally:
    shutil.rmtree(work, ignore_errors=True)
