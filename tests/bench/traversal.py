"""Traversal benchmark: access and erasure through the real engine and a real RQ worker, against the
sandbox Twilio served over HTTP with injected latency. Not part of the test suite.

    .venv/bin/python tests/bench/traversal.py [--conversations 200 --messages 500 --latency-ms 50
        --concurrency 10 --json tests/bench/results/latest.json]

It brings up its own environment (PostgreSQL database `pp_bench`, Redis db 13, a gunicorn serving the
sandbox), then runs: the full account at the cap, a tenth of it at concurrency 1, and the same number of
messages as fewer, longer conversations (M x 4) to show the worker's memory does not grow with M. Access runs
three times per scenario (it changes nothing in the account) and the median counts; the JSON keeps every wall time.

The sandbox answers every request L after it arrived, its own work included (as Twilio's latency includes
Twilio's work). The floor of a run is `requests x L / cap + depth x L`: the time the work needs if every
slot is always busy and nothing but that latency costs anything. `depth` is the longest chain of requests that
must follow one another (the user, then the pages of their conversations, then one conversation's
message pages; an erasure adds one masking request per collection and the verifying re-read).
"""

import argparse
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# A fixed, throwaway key: the benchmark's database holds nothing worth protecting.
BENCH_FERNET_KEY = "YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMDA="
SUBJECT = "subject@example.com"
GOAL_FLOOR_RATIO = 1.3
GOAL_SPEEDUP = 8.0
GOAL_RSS_MB = 250.0
LOG_DIR = ROOT / "tests" / "bench" / "results"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--subject-share", type=float, default=0.2)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--server-workers", type=int, default=4)
    parser.add_argument("--server-threads", type=int, default=8)
    parser.add_argument("--access-repeats", type=int, default=3, help="access runs per scenario; the median counts")
    parser.add_argument("--skip", default="", help="comma-separated scenarios to skip: cap1, long")
    parser.add_argument("--types", default="access,erasure", help="request types to run, comma-separated")
    parser.add_argument("--json", default=str(ROOT / "tests" / "bench" / "results" / "latest.json"))
    return parser.parse_args()


def environment() -> dict[str, str]:
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_bench")
    if "conn_max_age" not in database_url:
        # Persistent connections, as a production deployment should run: without them every request to
        # the sandbox opens a PostgreSQL connection (a backend process fork), about a fifth of the
        # server's CPU per request on this two-core machine.
        database_url += ("&" if "?" in database_url else "?") + "conn_max_age=600"
    return {
        "DJANGO_SETTINGS_MODULE": "privacyportal.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
        # Production mode, as deployed: with DEBUG on Django records every SQL query in memory, which costs
        # CPU on both the sandbox server and the worker. SANDBOX keeps the fake Twilio mounted.
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SANDBOX": "true",
        "READ_DOT_ENV": "false",
        "FIELD_ENCRYPTION_KEY": BENCH_FERNET_KEY,
        "PACKAGE_STORAGE_DIR": str(ROOT / "var" / "bench-packages"),
    }


def ensure_database(url: str, *, fresh: bool) -> None:
    """Create the database if missing; `fresh` drops it first (only the benchmark's own default database):
    earlier runs leave millions of dead message rows and their checkpoints, which slow every later run."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres", query="").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fake_twilio_database_url(url: str) -> str:
    """The fake Twilio does not need durable commits (its data is regenerated each run); the product does,
    so only the sandbox server waits for no WAL flush. Without this, every masked message costs the fake
    two synchronous commits, which is latency real Twilio does not add on our side."""
    if not url.startswith("postgres"):
        return url
    return url + ("&" if "?" in url else "?") + "options=-c%20synchronous_commit%3Doff"


def start_server(env: dict, args) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "privacyportal.wsgi",
            "-k",
            "gthread",
            "--threads",
            str(args.server_threads),
            "-w",
            str(args.server_workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            **env,
            "DATABASE_URL": fake_twilio_database_url(env["DATABASE_URL"]),
            # Only the fake Twilio, without the portal's middleware (sessions, CSRF, ...).
            "DJANGO_SETTINGS_MODULE": "twilio_sandbox.server_settings",
        },
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/sandbox/twilio/v1/Users", timeout=2)  # noqa: S310
        except urllib.error.HTTPError:
            return server, base  # 401: up and authenticating
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the sandbox server did not come up")


class Sampler(threading.Thread):
    """Samples requests in flight (the limiter's leases) and the worker tree's memory high-water mark."""

    def __init__(self, limiter, interval: float = 0.05):
        super().__init__(daemon=True)
        self.limiter = limiter
        self.interval = interval
        self.pids: set[int] = set()
        self.in_flight: list[int] = []
        self.peak_kb: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        import redis

        client = redis.Redis.from_url(self.limiter.redis_url)
        key = f"privacyportal:limiter:{self.limiter.name}"
        while not self.stop.is_set():
            self.in_flight.append(int(client.zcard(key)))
            for pid in list(self.pids):
                for child in _children(pid):
                    self.pids.add(child)
                kb = _vm_hwm_kb(pid)
                if kb:
                    self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), kb)
            time.sleep(self.interval)

    def active_mean(self) -> float:
        """Mean requests in flight while any was (the gaps of worker start-up and DB work count as 0)."""
        samples = self.in_flight
        if not samples:
            return 0.0
        first = next((i for i, n in enumerate(samples) if n), 0)
        last = len(samples) - next((i for i, n in enumerate(reversed(samples)) if n), 0)
        window = samples[first:last] or [0]
        return sum(window) / len(window)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pids) -> float:
    """User + system CPU time of processes, from /proc (the sandbox server's workers, PostgreSQL)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def process_ids(root: int | None = None, name: str | None = None) -> list[int]:
    if root is not None:
        return [root, *_children(root)]
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def seed(conversations: int, messages: int, share: float):
    from django.db import connection

    from connector.models import ExecutionRecord
    from twilio_sandbox.models import SandboxAccount, SandboxMessage
    from twilio_sandbox.seed import seed_bulk

    SandboxMessage.objects.all().delete()
    SandboxAccount.objects.all().delete()
    started = time.monotonic()
    result = seed_bulk(conversations=conversations, messages=messages, subject_share=share, seed=42)
    if connection.vendor == "postgresql":
        # Every scenario starts from the same state: no dead rows of the previous one, fresh planner statistics.
        with connection.cursor() as cursor:
            for model in (SandboxMessage, SandboxAccount, ExecutionRecord):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return result, time.monotonic() - started


def run_one(
    env: dict,
    seeded,
    *,
    request_type: str,
    base_url: str,
    latency_ms: int,
    cap: int,
    conversations: int,
    messages: int,
    server_pid: int,
) -> dict:
    from connector.models import TwilioConnection
    from connector.runner import connection_limiter
    from privacyportal import queueing
    from requests_app.jobs import execute_request
    from requests_app.models import PrivacyRequest, Status
    from twilio_sandbox.counters import call_counts, message_update_counts, reset_calls, status_counts
    from twilio_sandbox.models import SandboxAccount, SandboxMessage

    SandboxAccount.objects.filter(sid=seeded.account_sid).update(latency_ms=latency_ms, fault_rate=0)
    TwilioConnection.objects.all().delete()
    connection = TwilioConnection.objects.create(
        account_sid=seeded.account_sid,
        auth_token=seeded.auth_token,
        base_url=base_url + "/sandbox/twilio",
        concurrency=cap,
        page_size=1000,
    )
    reset_calls()
    queue = queueing.get_queue()
    queue.empty()
    limiter = connection_limiter(connection)
    privacy_request = PrivacyRequest.objects.create(request_type=request_type, email=SUBJECT, status=Status.APPROVED)
    queue.enqueue(execute_request, privacy_request.pk)

    server_pids, postgres_pids = process_ids(server_pid), process_ids(name="postgres")
    cpu_before = cpu_seconds(server_pids), cpu_seconds(postgres_pids)
    sampler = Sampler(limiter)
    log = open(LOG_DIR / f"worker-{privacy_request.pk}.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "rqworker", "--burst", "default"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    sampler.pids.add(worker.pid)
    sampler.start()
    # wait4 gives the largest resident set of the worker and the work-horse it forked and reaped.
    try:
        _, status, usage = os.wait4(worker.pid, 0)
    except BaseException:
        for pid in (*_children(worker.pid), worker.pid):
            os.kill(pid, signal.SIGKILL)
        raise
    worker.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop.set()
    sampler.join()
    log.close()
    server_cpu = cpu_seconds(server_pids) - cpu_before[0]
    # Connections opened during the run are new backends: count all of their time.
    postgres_cpu = cpu_seconds(process_ids(name="postgres")) - cpu_before[1]

    privacy_request.refresh_from_db()
    if privacy_request.status != Status.COMPLETE:
        raise SystemExit(f"{request_type} ended {privacy_request.status}: {privacy_request.failure_reason}")
    wall = (privacy_request.finished_at - privacy_request.started_at).total_seconds()
    by_route = call_counts()
    by_method: dict[str, int] = {}
    for (method, _route), n in by_route.items():
        by_method[method] = by_method.get(method, 0) + n
    requests_total = sum(by_method.values())
    latency = latency_ms / 1000
    depth = 1 + math.ceil(conversations / 50) + math.ceil(messages / 100)
    if request_type == "erasure":
        depth = 2 * depth + 3  # discovery, one masking request per collection (3), the verifying re-read
    floor = requests_total * latency / cap + depth * latency
    result = {
        "request_type": request_type,
        "conversations": conversations,
        "messages_per_conversation": messages,
        "messages": conversations * messages,
        "subject_messages": seeded.subject_messages,
        "latency_ms": latency_ms,
        "cap": cap,
        "wall_seconds": round(wall, 2),
        "requests": requests_total,
        "requests_by_method": by_method,
        "statuses": {str(k): v for k, v in status_counts().items()},
        "requests_per_second": round(requests_total / wall, 1),
        "concurrency_in_flight": round(sampler.active_mean(), 2),
        "concurrency_latency_bound": round(requests_total * latency / wall, 2),
        "depth": depth,
        "floor_seconds": round(floor, 2),
        "floor_ratio": round(wall / floor, 3) if floor else None,
        "cpu_seconds": {
            "worker": round(usage.ru_utime + usage.ru_stime, 1),
            "sandbox_server": round(server_cpu, 1),
            "postgres_all": round(postgres_cpu, 1),
        },
        "worker_peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "worker_peak_rss_sampled_mb": round(max(sampler.peak_kb.values(), default=0) / 1024, 1),
        "worker_peak_rss_sampled_by_pid_mb": {str(p): round(kb / 1024, 1) for p, kb in sampler.peak_kb.items()},
    }
    if request_type == "erasure":
        updates = message_update_counts()
        masked = SandboxMessage.objects.filter(body="[erased]").count()
        result["masked_messages"] = masked
        result["each_masked_once"] = masked == seeded.subject_messages and set(updates.values()) == {1}
    return result


def _stop(signum, frame) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    args = parse_args()
    env = environment()
    own_database = "DATABASE_URL" not in os.environ
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    ensure_database(env["DATABASE_URL"], fresh=own_database)
    LOG_DIR.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    import redis
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    skip = set(filter(None, args.skip.split(",")))
    server, base_url = start_server(env, args)
    runs: list[dict] = []
    C, M, L, cap = args.conversations, args.messages, args.latency_ms, args.concurrency
    plan = [("main", C, M, cap)]
    if "cap1" not in skip:
        plan.append(("cap1", max(1, C // 10), M, 1))
    if "long" not in skip:
        plan.append(("long", max(1, C // 4), M * 4, cap))
    started = time.monotonic()
    try:
        for label, conversations, messages, run_cap in plan:
            seeded, seed_seconds = seed(conversations, messages, args.subject_share)
            print(f"[{label}] seeded {conversations}x{messages} in {seed_seconds:.1f}s", flush=True)
            for request_type in args.types.split(","):
                # An access run lasts seconds, so a moment of a busy machine moves its ratio by a tenth:
                # it runs several times (it changes nothing in the account) and the median counts.
                repeats = args.access_repeats if request_type == "access" else 1
                samples = [
                    run_one(
                        env,
                        seeded,
                        request_type=request_type,
                        base_url=base_url,
                        latency_ms=L,
                        cap=run_cap,
                        conversations=conversations,
                        messages=messages,
                        server_pid=server.pid,
                    )
                    for _ in range(repeats)
                ]
                result = median_run(samples)
                result["scenario"] = label
                runs.append(result)
                spread = f" (median of {repeats}: {result['samples_wall_seconds']})" if repeats > 1 else ""
                print(
                    f"[{label}] {request_type}: {result['wall_seconds']}s{spread}, {result['requests']} requests, "
                    f"{result['requests_per_second']}/s, floor x{result['floor_ratio']}, "
                    f"RSS {result['worker_peak_rss_mb']} MB, CPU s {result['cpu_seconds']}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=20)
    report = summarize(runs, args, time.monotonic() - started)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    print(f"\nresults: {out}")


def median_run(samples: list[dict]) -> dict:
    """The run of median wall time, with every run's wall time and the largest RSS of them all."""
    ordered = sorted(samples, key=lambda r: r["wall_seconds"])
    result = dict(ordered[len(ordered) // 2])
    if len(samples) > 1:
        result["samples_wall_seconds"] = [r["wall_seconds"] for r in samples]
        result["worker_peak_rss_mb"] = max(r["worker_peak_rss_mb"] for r in samples)
    return result


def summarize(runs: list[dict], args, total_seconds: float) -> dict:
    def find(scenario, request_type):
        return next((r for r in runs if r["scenario"] == scenario and r["request_type"] == request_type), None)

    goals = {"floor": all((r["floor_ratio"] or 0) <= GOAL_FLOOR_RATIO for r in runs)}
    speedups = {}
    for request_type in ("access", "erasure"):
        main, one = find("main", request_type), find("cap1", request_type)
        if main and one:
            speedups[request_type] = round(main["requests_per_second"] / one["requests_per_second"], 2)
    if speedups:
        goals["speedup"] = all(s >= GOAL_SPEEDUP for s in speedups.values())
    big = [r for r in runs if r["messages"] >= 100_000]
    if big:
        goals["rss"] = all(r["worker_peak_rss_mb"] < GOAL_RSS_MB for r in big)
    return {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "args": vars(args),
        "total_seconds": round(total_seconds, 1),
        "runs": runs,
        "speedup_cap_vs_1": speedups,
        "goals_met": goals,
    }


def print_table(report: dict) -> None:
    header = (
        f"{'scenario':<8} {'type':<8} {'C x M':>10} {'cap':>4} {'wall s':>7} {'floor s':>7} {'x floor':>7} "
        f"{'GET':>6} {'POST':>6} {'req/s':>6} {'in-flight':>9} {'RSS MB':>7}"
    )
    print("\n" + header)
    print("-" * len(header))
    for r in report["runs"]:
        m = r["requests_by_method"]
        print(
            f"{r['scenario']:<8} {r['request_type']:<8} {r['conversations']:>4}x{r['messages_per_conversation']:<5} "
            f"{r['cap']:>4} {r['wall_seconds']:>7} {r['floor_seconds']:>7} {r['floor_ratio']:>7} "
            f"{m.get('GET', 0):>6} {m.get('POST', 0):>6} {r['requests_per_second']:>6} "
            f"{r['concurrency_in_flight']:>9} {r['worker_peak_rss_mb']:>7}"
        )
    if report["speedup_cap_vs_1"]:
        print(
            "req/s at the cap vs concurrency 1: "
            + ", ".join(f"{k} {v}x" for k, v in report["speedup_cap_vs_1"].items())
        )
    print("goals met: " + ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in report["goals_met"].items()))


if __name__ == "__main__":
    main()
