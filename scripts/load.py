#!/usr/bin/env python3
"""The load run behind scripts/load (issue 12; not part of the tests).

A fresh private cluster under target/bench-var/load with `demo-data --scale 1`, the people and meetings
of scripts/load-setup.sql, one release server on a loopback port; then N simulated users (threads, each
with one keep-alive connection and its own cookies) for M minutes. Each user, after a ramp-up offset:

  signs in through the login form (GET /login for the CSRF token, POST /login, the redirect to the start
  page), reads the meeting page of their group's next planned meeting (published agenda), sends an
  apology there (T4; the form disappears once sent, so once per user), reads the minutes of the group's
  latest held meeting (sent, comment window open: R3) and posts a comment on its item; then, until the
  time is up, reads the start page, the meeting page or the minutes at random with 0.5-2 s think time.
  Half the users post one more comment at a random moment (a member adding a remark within the window);
  nobody comments more than twice.

Afterwards it checks in the database that every apology and comment answered with success is stored
exactly once (and each apology queued exactly one mail per substitute of the member's party), prints per
request kind count, p50, p95, p99 and max, the total req/s and the server's peak RSS, and exits non-zero
on any error (a status other than the expected one, a connection error, a page without its form) or any
loss. Only loopback addresses are ever contacted.

Usage: scripts/load.py [--users 200] [--minutes 5] [--host 127.0.0.1]
"""

import argparse
import collections
import http.client
import os
import random
import re
import sys
import threading
import time
import urllib.parse

from benchlib import PASSWORD, ROOT, free_port, peak_rss_mb, prepare, psql, psql_file, start_server, stop

LOOPBACK = ("127.0.0.1", "localhost", "::1")
KINDS = ["login form", "sign-in", "start page", "meeting page", "minutes page", "apology", "comment"]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def loopback_only(host):
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {host!r}: this script targets 127.0.0.1 or localhost only")


class Stats:
    """Latencies and errors of every request, and what the server confirmed, shared by the users."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {k: [] for k in KINDS}
        self.errors = []
        self.apologies = {}   # note -> (membership id, meeting id), answered with success
        self.comments = {}    # body -> email, answered with success
        self.attempted = set()  # notes and bodies sent, whatever the answer
        self.first = None
        self.last = None

    def record(self, kind, started, ended):
        with self.lock:
            self.latency[kind].append(ended - started)
            self.first = started if self.first is None else min(self.first, started)
            self.last = ended if self.last is None else max(self.last, ended)

    def error(self, kind, message):
        with self.lock:
            self.errors.append((kind, message))


class Browser:
    """One simulated user's browser: one keep-alive connection to the loopback server and its cookies."""

    def __init__(self, host, port, stats):
        loopback_only(host)
        self.host, self.port, self.stats = host, port, stats
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies = {}
        self.token = None

    def _send(self, kind, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            self.conn.request(method, path, body, headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as e:
            self.stats.error(kind, f"{method} {path}: {type(e).__name__}: {e}")
            self.conn.close()
            return None
        self.stats.record(kind, started, time.monotonic())
        for header in resp.headers.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if "max-age=0" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        return resp.status, resp.getheader("Location"), data.decode("utf-8", "replace")

    def get(self, kind, path, must_contain=None):
        got = self._send(kind, "GET", path)
        if got is None:
            return None
        status, _, html = got
        if status != 200:
            self.stats.error(kind, f"GET {path}: {status}")
            return None
        if must_contain and must_contain not in html:
            self.stats.error(kind, f"GET {path}: no {must_contain!r} on the page")
            return None
        m = TOKEN.search(html)
        if m:
            self.token = m.group(1)
        return html

    def post(self, kind, path, form, then_kind):
        """A form POST answered by 303; follows the redirect (a browser would) as `then_kind`."""
        got = self._send(kind, "POST", path, dict(form, csrf_token=self.token or ""))
        if got is None:
            return False
        status, location, _ = got
        if status != 303 or not location:
            self.stats.error(kind, f"POST {path}: {status}")
            return False
        target = urllib.parse.urlsplit(location)
        if target.hostname is not None:
            loopback_only(target.hostname)
        return self.get(then_kind, target.path or "/") is not None


def think(rng, deadline=None):
    pause = rng.uniform(0.5, 2.0)
    if deadline is not None:
        pause = max(0.0, min(pause, deadline - time.monotonic()))
    time.sleep(pause)


def simulate(n, user, host, port, start_at, deadline, stats, run_id):
    email, membership, planned, held = user
    rng = random.Random(f"{run_id}-{n}")
    time.sleep(max(0.0, start_at - time.monotonic()))
    b = Browser(host, port, stats)
    if b.get("login form", "/login", 'name="csrf_token"') is None:
        return
    if not b.post("sign-in", "/login", {"email": email, "password": PASSWORD}, "start page"):
        return
    think(rng)
    if b.get("meeting page", f"/moeder/{planned}", f'action="/moeder/{planned}/afbud"') is None:
        return
    think(rng)
    note = f"Load-afbud u{n} {run_id}"
    with stats.lock:
        stats.attempted.add(note)
    if b.post("apology", f"/moeder/{planned}/afbud", {"note": note}, "meeting page"):
        with stats.lock:
            stats.apologies[note] = (membership, planned)
    think(rng)
    comments = 0

    def comment():
        nonlocal comments
        html = b.get("minutes page", f"/moeder/{held}/referat", f'action="/moeder/{held}/referat/bemaerkninger"')
        if html is None:
            return
        item = re.search(r'name="minutes_item_id" value="(\d+)"', html).group(1)
        think(rng)
        comments += 1
        body = f"Load-bemærkning u{n} nr. {comments} {run_id}: punktet bør nævne fristen for tilbagemelding."
        with stats.lock:
            stats.attempted.add(body)
        if b.post("comment", f"/moeder/{held}/referat/bemaerkninger", {"minutes_item_id": item, "body": body},
                  "meeting page"):
            with stats.lock:
                stats.comments[body] = email

    comment()
    second_at = rng.uniform(time.monotonic(), deadline) if rng.random() < 0.5 else None
    pages = [("start page", "/"), ("meeting page", f"/moeder/{planned}"), ("minutes page", f"/moeder/{held}/referat")]
    while time.monotonic() < deadline:
        think(rng, deadline)
        if time.monotonic() >= deadline:
            break
        if second_at is not None and time.monotonic() >= second_at:
            second_at = None
            comment()
            continue
        kind, path = rng.choice(pages)
        b.get(kind, path)
    b.conn.close()


def users_from_setup(sock, count):
    out = psql_file(sock, os.path.join(ROOT, "scripts/load-setup.sql"), users=count)
    users = []
    for line in out.splitlines():
        email, membership, planned, held = line.split("|")
        users.append((email, int(membership), int(planned), int(held)))
    if len(users) != count:
        raise SystemExit(f"the scale data holds {len(users)} suitable members, not {count}")
    return users


def verify(sock, stats, run_id):
    """Nothing lost, nothing doubled: returns a list of problems."""
    problems = []
    stored = {}
    mails_total = 0
    rows = psql(sock, f"""
        SELECT a.apology_note, count(*) OVER (PARTITION BY a.apology_note), a.membership_id, a.meeting_id,
               (SELECT count(*) FROM outbox o
                 WHERE o.idempotency_key LIKE 'apology:' || a.meeting_id || ':' || a.membership_id || ':%'),
               (SELECT count(*) FROM memberships s JOIN memberships me ON me.id = a.membership_id
                 WHERE s.group_id = me.group_id AND s.role = 'substitute' AND s.status = 'active'
                   AND s.party_id IS NOT DISTINCT FROM me.party_id)
        FROM attendance a WHERE a.status = 'apology' AND a.apology_note LIKE 'Load-afbud % {run_id}'""")
    for line in filter(None, rows.splitlines()):
        note, copies, membership, meeting, mails, substitutes = line.split("|")
        stored[note] = (int(copies), int(membership), int(meeting))
        mails_total += int(mails)
        if int(mails) != int(substitutes):
            problems.append(f"apology {note!r}: {mails} mails queued for {substitutes} substitutes (T4)")
    for note, (membership, meeting) in stats.apologies.items():
        if note not in stored:
            problems.append(f"lost: apology {note!r}")
        elif stored[note] != (1, membership, meeting):
            problems.append(f"apology {note!r} stored as (copies, membership, meeting) {stored[note]}")
    for note in stored.keys() - stats.apologies.keys():
        problems.append(f"apology {note!r} stored without a success answer")

    stored = {}
    rows = psql(sock, f"""
        SELECT c.body, p.email, count(*) FROM minutes_comments c JOIN people p ON p.id = c.person_id
        WHERE c.body LIKE 'Load-bemærkning %{run_id}:%' GROUP BY c.body, p.email""")
    for line in filter(None, rows.splitlines()):
        body, email, copies = line.rsplit("|", 2)
        stored.setdefault(body, []).append((email, int(copies)))
    for body, email in stats.comments.items():
        if body not in stored:
            problems.append(f"lost: comment {body!r}")
        elif stored[body] != [(email, 1)]:
            problems.append(f"comment {body!r} stored as {stored[body]}")
    for body in stored.keys() - stats.comments.keys():
        problems.append(f"comment {body!r} stored without a success answer")
    return problems, f"{len(stats.apologies)} apologies (with {mails_total} substitute mails), {len(stats.comments)} comments"


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, max(0, -(-len(sorted_values) * p // 100) - 1))]


def report(stats, rss, users, minutes):
    total = sum(len(v) for v in stats.latency.values())
    span = (stats.last - stats.first) if stats.first is not None else 0.0
    errors = {k: 0 for k in KINDS}
    for kind, _ in stats.errors:
        errors[kind] += 1
    print(f"\n{users} users, {minutes} min: {total:,} requests in {span:.1f} s = {total / max(span, 1e-9):.1f} req/s, "
          f"{len(stats.errors)} errors, server peak RSS {rss:.0f} MB\n")
    print("| request | count | errors | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for kind in KINDS:
        v = sorted(stats.latency[kind])
        ms = [1000 * percentile(v, p) for p in (50, 95, 99)] + [1000 * (v[-1] if v else 0.0)]
        print(f"| {kind} | {len(v):,} | {errors[kind]} | " + " | ".join(f"{x:,.1f}" for x in ms) + " |")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--minutes", type=float, default=5.0)
    p.add_argument("--ramp", type=float, default=30.0,
                   help="seconds over which the users start (at most 30%% of the run); sign-ins queue for argon2id")
    p.add_argument("--host", default="127.0.0.1", help="a loopback name only: 127.0.0.1 or localhost")
    a = p.parse_args()
    loopback_only(a.host)
    if not 1 <= a.users <= 500:
        raise SystemExit("--users: 1 to 500 (ten a group over the 50 groups of one scale batch)")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()}", flush=True)
    data_dir = os.path.join(ROOT, "target/bench-var/load")
    sock = prepare(1, data_dir)
    proc = None
    try:
        users = users_from_setup(sock, a.users)
        groups = len({u[2] for u in users})
        print(f"  {len(users)} users with accounts in {groups} groups (scripts/load-setup.sql)", flush=True)
        port = free_port(a.host)
        proc, _ = start_server(data_dir, port, a.host)
        run_id = f"r{int(time.time())}"
        seconds = a.minutes * 60
        ramp = min(a.ramp, seconds * 0.3)
        stats = Stats()
        begin = time.monotonic() + 0.5
        deadline = begin + seconds
        threads = [threading.Thread(target=simulate, daemon=True,
                                    args=(n, u, a.host, port, begin + ramp * n / len(users), deadline, stats, run_id))
                   for n, u in enumerate(users)]
        for t in threads:
            t.start()
        print(f"  running: ramp-up {ramp:.0f} s, until {seconds:.0f} s", flush=True)
        for t in threads:
            t.join()
        alive = proc.poll() is None
        rss = peak_rss_mb(proc.pid) if alive else 0.0
        problems, confirmed = verify(sock, stats, run_id)
        if not alive:
            problems.append(f"the server exited ({proc.returncode})")
        report(stats, rss, a.users, a.minutes)
        print(f"\nconfirmed by the server: {confirmed}; each checked in the database "
              f"({len(problems)} problems)")
        for (kind, message), times in collections.Counter(stats.errors).most_common(20):
            print(f"  error ({kind}), {times}x: {message}")
        for problem in problems:
            print(f"  {problem}")
        ok = not stats.errors and not problems
        print("\nOK: no errors, nothing lost" if ok else "\nFAILED", flush=True)
        return 0 if ok else 1
    finally:
        stop(proc, data_dir)


if __name__ == "__main__":
    sys.exit(main())
