"""Set-up shared by scripts/bench.py and scripts/load.py (issue 12; not part of the tests): the release
binary, a private cluster with the demo and `demo-data --scale N`, the server on a loopback port, psql
against that cluster, and the server's peak RSS.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/samarbejdsrum")
SECRETARIAT = "sekretariat@dmp.example"
PASSWORD = "demo-samarbejde"


def pg_bin():
    dirs = sorted((d for d in os.listdir("/usr/lib/postgresql")), key=lambda v: int(v))
    return f"/usr/lib/postgresql/{dirs[-1]}/bin"


def as_postgres(args):
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--"] + args
    return subprocess.run(args, check=True, capture_output=True, text=True)


def psql(sock, sql):
    """One statement against the cluster; unaligned output."""
    return _psql(sock, ["-c", sql])


def psql_file(sock, path, **variables):
    """A script file against the cluster, with psql variables (-v name=value); unaligned output."""
    return _psql(sock, [arg for k, v in variables.items() for arg in ("-v", f"{k}={v}")] + ["-f", path])


def _psql(sock, args):
    base = ["psql", "-h", sock, "-U", "postgres", "-d", "samarbejdsrum", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
    out = subprocess.run(base + args, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def free_port(host="127.0.0.1"):
    s = socket.socket()
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def prepare(scale, data_dir):
    """A fresh cluster with the demo and `scale` batches; returns the socket folder."""
    shutil.rmtree(data_dir, ignore_errors=True)
    os.makedirs(data_dir)
    env = dict(os.environ, RUST_LOG="error")
    env.pop("DATABASE_URL", None)
    started = time.time()
    subprocess.run([BIN, "--data-dir", data_dir, "demo-data", "--scale", str(scale)], check=True, env=env)
    print(f"  demo-data --scale {scale}: {time.time() - started:.1f} s", flush=True)
    subprocess.run([BIN, "--data-dir", data_dir, "stop-db"], check=True, env=env, capture_output=True)
    sock = os.path.join(data_dir, "pg")
    # The options devdb uses, plus pg_stat_statements to count statements per request.
    options = (f"-k {sock} -c listen_addresses='' -c unix_socket_permissions=0700 -c max_connections=200 "
               "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_utility=on")
    as_postgres([f"{pg_bin()}/pg_ctl", "-D", os.path.join(sock, "data"), "-o", options,
                 "-l", os.path.join(sock, "postgresql.log"), "-w", "start"])
    psql(sock, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    return sock


def process_cpu_seconds(pid, children=False):
    """User plus system CPU seconds of one process (from /proc), with its reaped children's if asked."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # After the command: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (1-based).
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def cluster_cpu_seconds(sock):
    """CPU seconds of every process of the private cluster: the postmaster (with the backends it has
    reaped) and each live child (backends, background writer, WAL writer ...)."""
    with open(os.path.join(sock, "data", "postmaster.pid")) as f:
        postmaster = int(f.readline())
    total = process_cpu_seconds(postmaster, children=True)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
            if parent == postmaster:
                total += process_cpu_seconds(int(entry))
        except (OSError, ValueError, IndexError):
            continue  # a backend that ended while we looked: the postmaster's reaped total has it
    return total


def start_server(data_dir, port, host="127.0.0.1"):
    """The release server on host:port, once /readyz answers; returns (process, seconds to ready)."""
    env = dict(os.environ, RUST_LOG="warn", BIND=f"{host}:{port}", BASE_URL=f"http://{host}:{port}")
    env.pop("DATABASE_URL", None)
    started = time.time()
    proc = subprocess.Popen([BIN, "--data-dir", data_dir, "serve"], env=env,
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(data_dir, "server.log"), "w"))
    while True:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}); see {data_dir}/server.log")
        if time.time() - started > 60:
            raise SystemExit("the server did not get ready in 60 s")
        time.sleep(0.01)
    return proc, time.time() - started


def stop(proc, data_dir):
    """Stops the server this script started (by its own handle) and the private cluster."""
    if proc is not None:
        proc.terminate()
        proc.wait()
    subprocess.run([BIN, "--data-dir", data_dir, "stop-db"], capture_output=True)


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0
