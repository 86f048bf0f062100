#!/usr/bin/python3
"""Benchmarks of `optoutd run` (stdlib only). Needs root and a private journald:

    scripts/test-sandbox /usr/bin/python3 Benchmarks/daemon_bench.py BINARY OUTDIR

Measures: start to READY=1 (and peak RSS), reload (RELOADING=1 -> READY=1), the
time for a burst of policy-applies notices to reach the journal, and an idle
daemon's CPU time and wake-ups, with and without a watchdog.

Environment:
  BENCH_RUNS            runs per figure, the median is shown (default 3)
  BENCH_DAEMON_ACCOUNTS accounts for start and reload (default 100000)
  BENCH_BURST           accounts (= notices) for the burst and idle runs (default 10000)
  BENCH_IDLE_SECONDS    length of each idle sample, run once (default 60)
"""

import csv
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def env_int(name, default):
    value = os.environ.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        sys.exit(f"{name} must be a positive integer")
    return int(value)


RUNS = env_int("BENCH_RUNS", 3)
ACCOUNTS = env_int("BENCH_DAEMON_ACCOUNTS", 100000)
BURST = env_int("BENCH_BURST", 10000)
IDLE_SECONDS = env_int("BENCH_IDLE_SECONDS", 60)
BURST_TIMEOUT = 120.0


def notify_fields(datagram):
    """An sd_notify datagram's KEY=VALUE lines as a dict."""
    return dict(line.split("=", 1) for line in datagram.decode().splitlines() if "=" in line)


class Daemon:
    """One `optoutd run` with its own state directory and notification socket."""

    def __init__(self, binary, config, watchdog_usec=None):
        self.dir = tempfile.mkdtemp(prefix="optoutd-bench-")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.bind(os.path.join(self.dir, "notify"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
        env["NOTIFY_SOCKET"] = os.path.join(self.dir, "notify")
        if watchdog_usec:
            env["WATCHDOG_USEC"] = str(watchdog_usec)
        self.stderr = open(os.path.join(self.dir, "stderr"), "w+")
        self.started = time.monotonic()
        self.started_wall = time.time()
        self.state = os.path.join(self.dir, "state", "state.sqlite")
        self.proc = subprocess.Popen(
            [binary, "run", "--config", config, "--state", self.state],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr)
        self.pid = self.proc.pid

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def message(self, timeout):
        """The next sd_notify datagram as a dict, and when it arrived."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                self.stderr.seek(0)
                sys.exit(f"optoutd exited with {self.proc.returncode}:\n{self.stderr.read()[-2000:]}")
            left = deadline - time.monotonic()
            if left <= 0:
                sys.exit(f"optoutd (pid {self.pid}): no sd_notify message within {timeout:.0f} s")
            self.sock.settimeout(min(left, 0.5))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            at = time.monotonic()
            return notify_fields(data), at

    def poll_message(self):
        """A waiting sd_notify datagram as a dict, or None at once."""
        try:
            data = self.sock.recv(65536, socket.MSG_DONTWAIT)
        except (BlockingIOError, TimeoutError):
            return None
        return notify_fields(data)

    def wait_for(self, key, timeout=600):
        """Waits for a datagram that sets KEY; returns its arrival time."""
        while True:
            fields, at = self.message(timeout)
            if key in fields:
                return fields, at

    def peak_rss_mb(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def threads(self):
        """{tid: (utime+stime in clock ticks, voluntary context switches)} of the live threads."""
        result = {}
        task_dir = f"/proc/{self.pid}/task"
        for tid in os.listdir(task_dir):
            try:
                with open(f"{task_dir}/{tid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                with open(f"{task_dir}/{tid}/status") as f:
                    switches = next(int(line.split()[1]) for line in f
                                    if line.startswith("voluntary_ctxt_switches:"))
                result[tid] = (int(fields[11]) + int(fields[12]), switches)   # utime, stime
            except (FileNotFoundError, ProcessLookupError):                  # the thread just ended
                pass
        return result

    def idle_usage(self, seconds):
        """CPU ms and wake-ups (voluntary context switches) over SECONDS, summed over the
        threads. Threads come and go (idle worker threads exit), so the threads are read
        every second and each one counts from its first to its last reading."""
        first = self.threads()
        last = dict(first)
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            time.sleep(min(1.0, left))
            last.update(self.threads())
        ticks = sum(last[t][0] - first.get(t, (0, 0))[0] for t in last)
        switches = sum(last[t][1] - first.get(t, (0, 0))[1] for t in last)
        return ticks * 1000 / os.sysconf("SC_CLK_TCK"), switches

    def journal(self, event=None):
        """The daemon's journal entries (JSON objects), optionally of one event kind."""
        matches = [f"_PID={self.pid}"] + ([f"OPTOUT_EVENT={event}"] if event else [])
        out = subprocess.run(
            ["journalctl", "--no-pager", "-o", "json", "--output-fields=OPTOUT_ACCOUNT"] + matches,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def journal_count(self, event=None):
        matches = [f"_PID={self.pid}"] + ([f"OPTOUT_EVENT={event}"] if event else [])
        out = subprocess.run(
            ["journalctl", "--no-pager", "-o", "cat", "--output-fields=OPTOUT_ACCOUNT"] + matches,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout
        return out.count(b"\n")

    def wait_journal_quiet(self, quiet=2.0, timeout=1800):
        """Waits until the count of the daemon's journal entries is above 0 and stops
        growing for QUIET s."""
        deadline = time.monotonic() + timeout
        count, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now_count = self.journal_count()
            if now_count != count or count == 0:
                count, since = now_count, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return count
            time.sleep(0.2)
        sys.exit(f"optoutd (pid {self.pid}): journal still growing after {timeout} s")

    def stop(self):
        """SIGTERM, then SIGKILL after 60 s; removes the state directory."""
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    print(f"  optoutd (pid {self.pid}) ignored SIGTERM for 60 s, killed", file=sys.stderr)
                    self.proc.kill()
                    self.proc.wait()
        finally:
            self.sock.close()
            self.stderr.close()
            shutil.rmtree(self.dir, ignore_errors=True)


# --- inputs ------------------------------------------------------------------

def csv_config(outdir, n):
    """The generator's CSV config for N accounts (generated when missing)."""
    path = os.path.join(outdir, f"optoutd-csv-{n}.yaml")
    if not (os.path.exists(path) and os.path.exists(os.path.join(outdir, f"accounts-{n}.csv"))):
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), outdir, "--accounts", str(n)],
                       check=True)
    return path


def burst_config(outdir, n):
    """N accounts and one policy that applies to all of them: exactly N notices."""
    csv_path = os.path.join(outdir, f"burst-{n}.csv")
    with open(csv_path, "w") as f:
        f.write("id,platform,region,timezone\n")
        for i in range(1, n + 1):
            f.write(f"burst{i:06d},linkedin,DE,Europe/Berlin\n")
    path = os.path.join(outdir, f"burst-{n}.yaml")
    with open(path, "w") as f:
        f.write(f"""# optoutd burst benchmark, generated by Benchmarks/daemon_bench.py
version: 1
timezone: Europe/Berlin
catalog: {{builtin: false}}
policies:
  - id: bench-burst
    platform: linkedin
    title: "Benchmark policy"
    summary: "Applies to every account."
    effective: 2027-03-01
    deadline: 2027-03-01
    regions: ["*"]
    actions:
      - {{id: ai-improvement-toggle, title: "Turn off", where: "Settings"}}
defaults:
  platform: linkedin
accounts_files: [burst-{n}.csv]
""")
    return path


# --- measurements --------------------------------------------------------------

def bench_start(binary, config):
    """Median seconds from spawn to READY=1, and the largest peak RSS (MB)."""
    times, rss = [], []
    for _ in range(RUNS):
        with Daemon(binary, config) as d:
            _, ready = d.wait_for("READY")
            times.append(ready - d.started)
            rss.append(d.peak_rss_mb())
    return statistics.median(times), max(rss)


def pending_accounts(config, n):
    """The first N accounts of the config's inventory with nothing marked done (an ack
    of an account whose actions are all done already sends nothing)."""
    with open(config) as f:
        inventory = next(line.split("[")[1].split("]")[0] for line in f if line.startswith("accounts_files:"))
    with open(os.path.join(os.path.dirname(config), inventory)) as f:
        rows = csv.DictReader(f)
        return [row["id"] for row in rows if not row["done"]][:n]


def bench_reload(binary, config):
    """Median seconds from RELOADING=1 to READY=1 after SIGHUP, on a daemon past its
    burst; how long recording that first burst took (READY=1 to the next STATUS=); and the longest
    time a notice made due during a reload took to reach the journal.

    The notice is an `opted-out`: `optoutd ack` records every action of one account's
    policy while the daemon reloads. Its delay counts from the moment `ack` returns, and
    only runs where that happened before READY=1 count."""
    times, delays = [], []
    with Daemon(binary, config) as d:
        _, up = d.wait_for("READY")
        _, delivered = d.wait_for("STATUS", timeout=3600)   # sent once the burst is recorded
        d.wait_journal_quiet()                  # and delivered: a notice due later would queue behind it
        for _ in range(RUNS):
            os.kill(d.pid, signal.SIGHUP)
            _, begun = d.wait_for("RELOADING")
            _, ready = d.wait_for("READY")
            times.append(ready - begun)
            d.wait_for("STATUS")                # the status after the (empty) advance
        for account in pending_accounts(config, RUNS):
            os.kill(d.pid, signal.SIGHUP)
            d.wait_for("RELOADING")
            subprocess.run([binary, "ack", account, "bench-future-policy", "--config", config, "--state", d.state],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            acked, ready, sent = time.monotonic(), None, None
            while (ready is None or sent is None) and time.monotonic() - acked < 60:
                fields = d.poll_message()
                if fields is not None and "READY" in fields and ready is None:
                    ready = time.monotonic()
                if sent is None and any(e.get("OPTOUT_ACCOUNT") == account for e in d.journal("opted-out")):
                    sent = time.monotonic()
                time.sleep(0.01)
            if sent is None:
                sys.exit(f"no opted-out entry for {account} within 60 s of the ack")
            if ready is None or ready > acked:     # the ack landed while the reload was under way
                delays.append(sent - acked)
            if ready is None:
                d.wait_for("READY")
    return statistics.median(times), delivered - up, max(delays, default=float("nan")), len(delays)


def bench_burst(binary, config, n):
    """Median seconds from spawn until journalctl shows N policy-applies entries,
    and the fewest distinct accounts kept over the runs."""
    times, kept = [], []
    for _ in range(RUNS):
        with Daemon(binary, config) as d:
            elapsed = None
            while time.monotonic() - d.started < BURST_TIMEOUT:
                if d.journal_count("policy-applies") >= n:
                    elapsed = time.monotonic() - d.started
                    break
                time.sleep(0.1)
            entries = d.journal("policy-applies")
            kept.append(len({e.get("OPTOUT_ACCOUNT") for e in entries} - {None}))
            times.append(elapsed if elapsed is not None else float("inf"))
    return statistics.median(times), min(kept)


def bench_idle(binary, config, watchdog_usec=None):
    """CPU ms and wake-ups over IDLE_SECONDS once the burst is over."""
    with Daemon(binary, config, watchdog_usec) as d:
        d.wait_for("READY")
        d.wait_for("STATUS", timeout=1800)      # the burst is delivered
        d.wait_journal_quiet()
        return d.idle_usage(IDLE_SECONDS)


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: daemon_bench.py BINARY OUTDIR   (as root, under scripts/test-sandbox)")
    binary, outdir = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    os.makedirs(outdir, exist_ok=True)
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    print(f"machine: {os.uname().nodename}")
    print(f"nproc:   {len(os.sched_getaffinity(0))}")
    print(f"commit:  {commit or 'unknown'}")
    print(f"daemon:  {RUNS} runs per figure (median); idle {IDLE_SECONDS} s, once")
    print(flush=True)

    big = csv_config(outdir, ACCOUNTS)
    small = csv_config(outdir, BURST)
    burst = burst_config(outdir, BURST)

    print("running daemon benchmarks...", file=sys.stderr)
    start_s, start_rss = bench_start(binary, big)
    print("  start done", file=sys.stderr)
    burst_s, burst_kept = bench_burst(binary, burst, BURST)
    print("  burst done", file=sys.stderr)
    idle = bench_idle(binary, small)
    idle_wd = bench_idle(binary, small, 20_000_000)
    print("  idle done", file=sys.stderr)
    reload_s, big_burst_s, due_delay_s, due_runs = bench_reload(binary, big)   # last: its burst fills the journal most
    print("  reload done", file=sys.stderr)

    rows = [
        (f"start to READY=1, {ACCOUNTS} accounts", f"{start_s:.3f} s", f"peak RSS {start_rss:.1f} MB"),
        (f"reload (SIGHUP), {ACCOUNTS} accounts", f"{reload_s:.3f} s",
         f"RELOADING=1 -> READY=1; recording its first burst took {big_burst_s:.1f} s"),
        ("notice due during a reload, delay", f"{due_delay_s:.3f} s",
         f"ack -> journal, longest of {due_runs} runs that landed mid-reload"),
        (f"burst of {BURST} notices to journal",
         "timeout" if burst_s == float("inf") else f"{burst_s:.3f} s",
         f"kept {burst_kept} of {BURST}"),
        (f"idle {IDLE_SECONDS} s, {BURST} accounts", f"{idle[0]:.0f} ms CPU", f"{idle[1]} wake-ups"),
        (f"idle {IDLE_SECONDS} s, {BURST} acc., watchdog 20 s", f"{idle_wd[0]:.0f} ms CPU", f"{idle_wd[1]} wake-ups"),
    ]
    print(f"{'daemon':<40} {'figure':>14}  note")
    print(f"{'-' * 40} {'-' * 14}  {'-' * 24}")
    for label, figure, note in rows:
        print(f"{label:<40} {figure:>14}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
