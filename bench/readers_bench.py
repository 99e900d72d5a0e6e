"""Benchmark of many readers at once (not a test): one `streamlit run serve.py`, then `python -m dashboard.cluster`
with 2 replicas behind HAProxy, each at 1, 5 and 20 readers, in one run; then one replica killed with -9 under load.

The readers are the shared load instrument (load_sessions.py: Streamlit sessions over the app's own websocket, every
reader walking every page, all starting together; the time is the server's share of a page view). Bars (issue #29):
at 20 readers through 2 replicas, p95 <= 2.5 s and <= 0.6 x the single process's p95 in the same run, no errors;
after the kill, readers arriving 5 s later see no error and the replica is back within 60 s.

    python bench/readers_bench.py [--instrument ../shared/tools/load_sessions.py] [--sessions 1,5,20] [--rounds 2]

On a shared machine the figures move with what else runs: the load average is printed with each phase.
Results also go to bench/out/readers.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dashboard import cluster  # noqa: E402  (after the path: the bench runs as a script)

# ../shared beside the repository; a worktree under wt/ has it one level further up
INSTRUMENTS = [REPO.parent / "shared" / "tools" / "load_sessions.py",
               REPO.parent.parent / "shared" / "tools" / "load_sessions.py"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def readers(instrument: Path, url: str, sessions: str, rounds: int) -> list[dict]:
    """The instrument's levels (p50/p95/max, errors, pages/s per number of readers)."""
    run = subprocess.run([sys.executable, str(instrument), "--url", url, "--sessions", sessions, "--rounds",
                          str(rounds)], capture_output=True, text=True, cwd=REPO)
    if run.returncode:
        raise SystemExit(f"the instrument failed: {run.stderr[-2000:]}")
    return json.loads(run.stdout)["levels"]


@contextlib.contextmanager
def single_process(log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run serve.py` (the README's command) on a loopback port, once it answers (after its warm-up)."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "serve.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 240
        while not cluster.healthy(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextlib.contextmanager
def big_data(rows: int) -> Iterator[dict[str, str]]:
    """A copy of data/ with a submission of `rows` province figures loaded (`python -m etl load`): 100 times the
    shipped figures. Yields the environment that points the app at it."""
    import csv

    from bench.load_bench import figure_rows, fresh_copy
    from etl import sheets

    with tempfile.TemporaryDirectory(prefix="nq57_big_") as tmp:
        env = fresh_copy(Path(tmp))
        path = Path(tmp) / "provinces.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([c.vi for c in sheets.KINDS["indicators"]])
            writer.writerows(figure_rows(REPO / "data", rows, provinces=True))
        subprocess.run([sys.executable, "-m", "etl", "load", str(path), "--by", "bench"], env=env, cwd=REPO, check=True,
                       capture_output=True)
        yield env


def haproxy_status(running: cluster.Running, name: str) -> str:
    """The replica's state as HAProxy sees it (UP, DOWN …), from its stats socket."""
    folder = running.text().split("stats socket in ", 1)[1].split(")", 1)[0]
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(Path(folder) / "haproxy.sock"))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    for line in data.decode().splitlines():
        cells = line.split(",")
        if len(cells) > 17 and cells[0] == "replicas" and cells[1] == name:
            return cells[17]
    return "?"


def kill_test(instrument: Path, running: cluster.Running, rounds: int) -> dict:
    """Twenty readers on the cluster; one replica killed with -9; five readers arrive 5 s later."""
    name = "r1"
    pid, _ = running.replicas()[name]
    background = subprocess.Popen([sys.executable, str(instrument), "--url", running.url, "--sessions", "20",
                                   "--rounds", str(rounds + 1)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, cwd=REPO)
    time.sleep(4)  # the readers are in the middle of their pages
    mark = len(running.text())
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    time.sleep(max(0.0, killed_at + 5 - time.monotonic()))
    (late,) = readers(instrument, running.url, "5", rounds)
    up = running.wait_for(rf"replica {name} up: pid (\d+)", after=mark, timeout=180)
    healthy_s = time.monotonic() - killed_at  # (at most the supervisor's 0.5 s tick after its health check)
    while (status := haproxy_status(running, name)) != "UP" and time.monotonic() < killed_at + 240:
        time.sleep(0.1)  # HAProxy checks a down replica every second
    back_s = time.monotonic() - killed_at
    out, _ = background.communicate(timeout=600)
    (under,) = json.loads(out)["levels"]
    return {"killed": name, "pid": pid, "new_pid": int(up[1]), "healthy_s": round(healthy_s, 1),
            "back_s": round(back_s, 1), "haproxy": status,
            "late_readers": late, "readers_during_kill": under}


def table(rows: list[tuple[str, dict]]) -> str:
    lines = ["| configuration | readers | page views | errors | p50 | p95 | max | pages/s |",
             "|---|---|---|---|---|---|---|---|"]
    for config, lv in rows:
        lines.append(f"| {config} | {lv['sessions']} | {lv['requests']} | {lv['errors']} | {lv['p50_s']:.2f} s | "
                     f"{lv['p95_s']:.2f} s | {lv['max_s']:.2f} s | {lv['pages_per_s']} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instrument", type=Path, default=next((p for p in INSTRUMENTS if p.exists()), INSTRUMENTS[0]),
                    help="load_sessions.py (default: ../shared/tools/load_sessions.py beside the repository)")
    ap.add_argument("--sessions", default="1,5,20")
    ap.add_argument("--rounds", type=int, default=2, help="how many times each reader walks every page")
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--big-rows", type=int, default=200_000,
                    help="the 100x phase: one reader on a warehouse with a submission of this many province figures "
                         "(0: skip it)")
    a = ap.parse_args()
    if not a.instrument.exists():
        ap.error(f"no instrument at {a.instrument}: give --instrument PATH/load_sessions.py")
    logs = Path(tempfile.mkdtemp(prefix="nq57_readers_bench_"))
    result: dict = {"load_average": {}, "levels": {}}

    print(f"single process (streamlit run serve.py); load average {load_average()}", flush=True)
    result["load_average"]["single"] = load_average()
    with single_process(logs / "single.log") as url:
        result["levels"]["single"] = readers(a.instrument, url, a.sessions, a.rounds)

    if a.big_rows:
        print(f"100x: one reader, {a.big_rows:,} province figures loaded; load average {load_average()}", flush=True)
        with big_data(a.big_rows) as env, single_process(logs / "big.log", env) as url:
            result["levels"]["big"] = readers(a.instrument, url, "1", a.rounds)

    print(f"cluster ({a.replicas} replicas behind HAProxy); load average {load_average()}", flush=True)
    result["load_average"]["cluster"] = load_average()
    with cluster.launch(a.replicas, free_port(), dict(os.environ), logs / "cluster.log") as running:
        result["levels"]["cluster"] = readers(a.instrument, running.url, a.sessions, a.rounds)
        print(f"kill test; load average {load_average()}", flush=True)
        result["kill"] = kill_test(a.instrument, running, a.rounds)

    single = {lv["sessions"]: lv for lv in result["levels"]["single"]}
    one = single.get(1)
    if one:  # one reader: the overview within 0.1 s, every page within 0.15 s of server time
        # the instrument names the session's first request "/" (a new session: the app's first run, then the
        # overview) and the overview opened from the sidebar ""
        pages = {{"": "tong-quan", "/": "first request"}.get(k, k): v for k, v in one["page_median_s"].items()}
        overview = pages.get("tong-quan", 0.0)
        slow = {k: v for k, v in pages.items() if v > 0.15}
        print(f"one reader, server time per page (median): {', '.join(f'{k} {v:.3f}' for k, v in pages.items())}")
        print(f"  overview {overview:.3f} s (bar 0.1 s: {'met' if overview <= 0.1 else 'NOT met'}); pages over 0.15 s: "
              f"{slow or 'none'}")
    if "big" in result["levels"]:
        (big,) = result["levels"]["big"]
        named = {{"": "tong-quan", "/": "first request"}.get(k, k): v for k, v in big["page_median_s"].items()}
        slow = {k: v for k, v in named.items() if v > 0.3}
        print(f"100x ({a.big_rows:,} province figures), one reader: " + ", ".join(
            f"{k} {v:.3f}" for k, v in named.items())
              + f" — pages over 0.3 s: {slow or 'none'}; {big['kb_per_request']} KB a page view")
    many = {lv["sessions"]: lv for lv in result["levels"]["cluster"]}
    print()
    print(table([("1 process", lv) for lv in single.values()] +
                [(f"{a.replicas} replicas", lv) for lv in many.values()]))
    top = max(many)
    ratio = many[top]["p95_s"] / single[top]["p95_s"]
    result["ratio_p95"] = round(ratio, 2)
    ok = many[top]["p95_s"] <= 2.5 and ratio <= 0.6 and not many[top]["errors"]
    print(f"\nat {top} readers: cluster p95 {many[top]['p95_s']:.2f} s (bar 2.5 s), {ratio:.2f} x the single "
          f"process's {single[top]['p95_s']:.2f} s (bar 0.6), {many[top]['errors']} errors: "
          f"{'met' if ok else 'NOT met'}")
    for config, levels in (("1 process", single), (f"{a.replicas} replicas", many)):
        print(f"per page, median at {top} readers, {config}: " +
              ", ".join(f"{k} {v:.2f}" for k, v in levels[top]["page_median_s"].items()))
    k = result["kill"]
    late, under = k["late_readers"], k["readers_during_kill"]
    print(f"\nkill test: replica {k['killed']} (pid {k['pid']}) killed with -9 under 20 readers")
    print(f"  readers arriving 5 s later: {late['requests']} page views, {late['errors']} errors "
          f"{late['error_samples'] or ''}, p95 {late['p95_s']:.2f} s (bar: no error)")
    print(f"  replica back: restarted as pid {k['new_pid']}, healthy {k['healthy_s']:.1f} s and serving (HAProxy: "
          f"{k['haproxy']}) {k['back_s']:.1f} s after the kill (bar 60 s)")
    print(f"  the 20 readers already connected: {under['requests']} page views, {under['errors']} errors "
          f"(those whose websocket was on the killed replica lose it, as a browser would and then reconnects)")
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "readers.json").write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
