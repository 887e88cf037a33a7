#!/usr/bin/env python3
"""The page benchmark behind scripts/bench (issue 12; not part of the tests).

For each scale (default 1 and 10): a fresh private cluster under target/bench-var/s<N> with the demo and
`demo-data --scale N`, restarted with pg_stat_statements; the release server on a free port; wrk -t2
-c64 against the signed-in pages, the public JSON directory and the login POST; then the stack's ceiling
(../shared/ceiling/run.sh) in the same run. Prints per page req/s, p50, p99, the share of the ceiling,
SQL statements per request (pg_stat_statements calls / wrk requests) and the server's peak RSS.

Usage: scripts/bench.py [--seconds 10] [--connections 64] [--scales 1,10]
"""

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request

from benchlib import (PASSWORD, ROOT, SECRETARIAT, cluster_cpu_seconds, free_port, peak_rss_mb, prepare,
                      process_cpu_seconds, psql, start_server,
                      stop)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf_session(base):
    """An anonymous session with its CSRF token: (cookie header, token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return opener, jar, cookie, token


def sign_in(base):
    opener, jar, _, token = csrf_session(base)
    body = urllib.parse.urlencode({"csrf_token": token, "email": SECRETARIAT, "password": PASSWORD}).encode()
    try:
        opener.open(f"{base}/login", data=body)
    except urllib.error.HTTPError as e:
        if e.code != 303:
            raise
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def login_script(base, count, path):
    """A wrk Lua script posting the login form, each request with a fresh session and its token.

    Each wrk thread has its own Lua state: thread k takes every second pair from pair k, so no two
    requests ever share a session (a shared one is consumed by the first sign-in and refused after).
    The status codes each thread saw are printed at the end, so anything but 303 is explained."""
    pairs = [csrf_session(base)[2:] for _ in range(count)]
    with open(path, "w") as f:
        f.write("local s = {\n")
        for cookie, token in pairs:
            body = urllib.parse.urlencode({"csrf_token": token, "email": SECRETARIAT, "password": PASSWORD})
            f.write(f'  {{"{cookie}", "{body}"}},\n')
        f.write("}\n")
        f.write("""local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
local i = 0
codes = {}
request = function()
  local k = (offset + 2 * i) % #s + 1
  i = i + 1
  return wrk.format("POST", "/login", {["Cookie"] = s[k][1],
    ["Content-Type"] = "application/x-www-form-urlencoded"}, s[k][2])
end
response = function(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
end
done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("codes")) do
      io.stderr:write(string.format("status %d: %d\\n", status, n))
    end
  end
end
""")


def parse_wrk(out):
    def ms(v):
        n, unit = re.match(r"([\d.]+)(us|ms|s|m)", v).groups()
        return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = ms(re.search(r"^\s+50(?:\.000)?%\s+(\S+)", out, re.M).group(1))
    p99 = ms(re.search(r"^\s+99(?:\.000)?%\s+(\S+)", out, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "total": total, "p50": p50, "p99": p99,
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "errors": errors.group(1) if errors else ""}


def wrk(url, seconds, conns, cookie=None, script=None):
    args = ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    if script:
        args += ["-s", script]
    run = subprocess.run(args + [url], check=True, capture_output=True, text=True)
    out = run.stdout
    if script and run.stderr.strip():
        print("  " + ", ".join(run.stderr.split("\n")).strip(", "), flush=True)
    try:
        return parse_wrk(out)
    except (AttributeError, ValueError):
        print(out, file=sys.stderr)
        raise


def statements(sock):
    return int(psql(sock, "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                          "WHERE d.datname = 'samarbejdsrum' AND s.query NOT ILIKE '%pg_stat_statements%'") or 0)


LOGIN_CONNECTIONS = 2


def run_scale(scale, seconds, conns):
    data_dir = os.path.join(ROOT, f"target/bench-var/s{scale}")
    print(f"\n== scale {scale} ==", flush=True)
    sock = prepare(scale, data_dir)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc, ready = start_server(data_dir, port)
    # Start to ready with the cluster running already: a second start.
    proc.terminate()
    proc.wait()
    proc, ready_again = start_server(data_dir, port)
    print(f"  start to ready: {ready:.3f} s (first), {ready_again:.3f} s (again)", flush=True)
    try:
        meeting = psql(sock, "SELECT m.id FROM meetings m JOIN groups g ON g.id = m.group_id JOIN minutes mi ON mi.meeting_id = m.id "
                             "WHERE g.slug = 'skala-1-1' AND m.status = 'held' ORDER BY m.starts_at DESC LIMIT 1")
        cookie = sign_in(base)
        script = os.path.join(data_dir, "login.lua")
        login_script(base, 1000, script)
        pages = [
            (f"meeting page /moeder/{meeting}", f"/moeder/{meeting}", cookie, None),
            (f"minutes page /moeder/{meeting}/referat", f"/moeder/{meeting}/referat", cookie, None),
            ("group page /grupper/natur", "/grupper/natur", cookie, None),
            ("start page /", "/", cookie, None),
            ("deadlines /frister", "/frister", cookie, None),
            ("public JSON /api/v1/groups", "/api/v1/groups", None, None),
            ("login POST /login", "/login", None, script),
        ]
        results = []
        # The load leaves autovacuum and checkpoint work behind; done now, it does not count against the
        # first pages measured.
        psql(sock, "VACUUM ANALYZE")
        psql(sock, "CHECKPOINT")
        for name, path, c, s in pages:
            if not s:
                # Views between changes: the first views after a start (or a change) read the page from
                # the database once and keep it (store::read_cache); two seconds of them come first.
                wrk(base + path, 2, conns, c)
            psql(sock, "SELECT pg_stat_statements_reset()")
            # Where the time goes: CPU seconds of the server and of every PostgreSQL process around wrk.
            server_before, pg_before = process_cpu_seconds(proc.pid), cluster_cpu_seconds(sock)
            # The login POST at two connections: the server checks at most two passwords at once, and
            # the sign-in throttle (rightly) answers 429 to more parallel attempts on one account from
            # one address, so 64 connections would measure the refusals, not the sign-ins.
            r = wrk(base + path, seconds, LOGIN_CONNECTIONS if s else conns, c, s)
            server_after, pg_after = process_cpu_seconds(proc.pid), cluster_cpu_seconds(sock)
            r["server_ms"] = 1000 * (server_after - server_before) / max(r["total"], 1)
            r["pg_ms"] = 1000 * (pg_after - pg_before) / max(r["total"], 1)
            r["sql"] = statements(sock) / max(r["total"], 1)
            r["name"] = name
            results.append(r)
            print(f"  {name}: {r['rps']:.0f} req/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, "
                  f"{r['sql']:.1f} SQL/req, CPU/req server {r['server_ms']:.2f} ms PostgreSQL {r['pg_ms']:.2f} ms, "
                  f"non-2xx/3xx {r['non2xx']} {r['errors']}", flush=True)
        rss = peak_rss_mb(proc.pid)
        print(f"  server peak RSS: {rss:.0f} MB", flush=True)
        return {"scale": scale, "results": results, "rss": rss, "ready": ready_again}
    finally:
        stop(proc, data_dir)


def ceiling(seconds, conns):
    script = os.path.join(ROOT, "..", "shared", "ceiling", "run.sh")
    out = subprocess.run(["bash", script, str(seconds), str(conns)], check=True, capture_output=True, text=True).stdout
    return parse_wrk(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--scales", default="1,10")
    a = p.parse_args()
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()}", flush=True)
    runs = [run_scale(int(s), a.seconds, a.connections) for s in a.scales.split(",")]
    print("\n== ceiling (../shared/ceiling/run.sh) ==", flush=True)
    c = ceiling(a.seconds, a.connections)
    print(f"  {c['rps']:.0f} req/s, p50 {c['p50']:.1f} ms, p99 {c['p99']:.1f} ms", flush=True)
    print("\n| scale | page | req/s | p50 ms | p99 ms | share of ceiling | SQL/request | server CPU ms/req | PostgreSQL CPU ms/req |")
    print("|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        for r in run["results"]:
            print(f"| {run['scale']} | {r['name']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                  f"{100 * r['rps'] / c['rps']:.1f}% | {r['sql']:.1f} | {r['server_ms']:.2f} | {r['pg_ms']:.2f} |")
    print(f"| | ceiling | {c['rps']:,.0f} | {c['p50']:.1f} | {c['p99']:.1f} | 100% | | | |")
    for run in runs:
        print(f"scale {run['scale']}: peak RSS {run['rss']:.0f} MB, start to ready {run['ready']:.3f} s")


if __name__ == "__main__":
    sys.exit(main())
