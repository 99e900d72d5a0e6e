"""`python -m dashboard.cluster --replicas N --port P`: N `serve.py` replicas on loopback ports behind HAProxy.

One Streamlit process runs every page on one core (Python's GIL), so readers who arrive together queue behind each
other; N processes use N cores. HAProxy (Debian's `haproxy`) listens on P and sends each browser to one replica,
kept by a cookie (`nq57_replica`): a session's websocket, its media, downloads, uploads and st.login's
/oauth2callback are held by the replica that made it. It checks each replica's /_stcore/health every second, so a
replica still warming its caches (serve.py) or gone gets no new reader, and a reader whose replica died is sent to
another (`option redispatch`). It sets X-Forwarded-For to the client's address (admin.py counts wrong passwords per
client). Websockets may idle for an hour.

This module is the supervisor: it writes HAProxy's configuration into a private scratch folder, starts HAProxy and
the replicas, restarts any of them that exits, and on Ctrl-C / SIGTERM stops them all (each in its own process
group, so what they started goes too; each also gets SIGTERM from Linux if the supervisor itself is killed) and
removes the folder. Every replica reads the same warehouse file: a load done through one swaps a new file in
atomically, and every page run of every replica pins the file there is at its start (dashboard/queries.py), so
the others see the load at their next run. It imports nothing of Streamlit or of the pages.

Options after `--` go to every replica's `streamlit run` (e.g. `-- --secrets.files /etc/nq57/secrets.toml`).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl import paths

REPO = Path(__file__).resolve().parent.parent
COOKIE = "nq57_replica"
HAPROXY = os.environ.get("NQ57_HAPROXY", "haproxy")
STOP_GRACE = 15.0  # seconds a process has to stop after SIGTERM before it is killed
PR_SET_PDEATHSIG = 1


def free_ports(n: int) -> list[int]:
    """`n` distinct free loopback ports (all held open while choosing, so none is chosen twice)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def haproxy_config(host: str, port: int, replica_ports: list[int], stats_socket: Path) -> str:
    """HAProxy's configuration: cookie affinity, health checks, forwarded client address, long websocket idle."""
    servers = "\n".join(f"    server r{i} 127.0.0.1:{p} cookie r{i}" for i, p in enumerate(replica_ports, start=1))
    return f"""\
global
    maxconn 4096
    stats socket {stats_socket} mode 600 level admin
    hard-stop-after 10s

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-request 30s
    timeout http-keep-alive 10s
    # an open page is a websocket that may stay idle (Streamlit pings it); one hour without a byte closes it
    timeout tunnel 1h
    timeout client-fin 30s
    timeout check 2s
    retries 3
    # a request bound by its cookie to a replica that is down or refuses goes to another one
    option redispatch 1

frontend dashboard
    bind {host}:{port}
    # the client's address as this proxy sees it, replacing whatever the client sent (admin.py trusts it from
    # loopback only, where this proxy is)
    http-request set-header X-Forwarded-For %[src]
    # which replica answered (the cookie says the same): for the operator and the tests
    http-response set-header X-NQ57-Replica %[srv_name]
    default_backend replicas

backend replicas
    balance leastconn
    cookie {COOKIE} insert indirect nocache httponly attr "SameSite=Lax"
    option httpchk GET /_stcore/health
    http-check expect status 200
    default-server check inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
{servers}
"""


def _die_with_parent() -> None:
    """In the child before exec: killed when the supervisor dies, however it dies (Linux). SIGKILL, not SIGTERM: a
    replica still warming its caches does not act on SIGTERM until it has finished, and without the proxy its
    sessions are gone anyway."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the supervisor's own stop still reaches them
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _start(cmd: list[str], **kw: object) -> subprocess.Popen:
    # own process group: Ctrl-C at the terminal reaches the supervisor only, which stops the children in order
    return subprocess.Popen(cmd, cwd=REPO, start_new_session=True, preexec_fn=_die_with_parent, **kw)


def _stop(procs: list[subprocess.Popen], at_once: tuple[subprocess.Popen, ...] = ()) -> None:
    """SIGTERM to each process group (SIGKILL to those `at_once`), SIGKILL to what is left after STOP_GRACE
    seconds."""
    for p in procs:
        _signal_group(p, signal.SIGKILL if p in at_once else signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for p in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
    for p in procs:
        _signal_group(p, signal.SIGKILL)  # what is left of the group (a leader that would not stop, its children)
        p.wait()


def _signal_group(p: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(p.pid, sig)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Replica:
    name: str
    port: int
    proc: subprocess.Popen | None = None
    started: float = 0.0
    up: bool = False
    failures: int = 0  # exits in a row soon after a start (the wait before the next start doubles)
    next_start: float = 0.0


@dataclass
class Cluster:
    replicas: int
    host: str
    port: int
    streamlit_options: list[str] = field(default_factory=list)
    folder: Path = field(init=False)
    touched: float = 0.0
    members: list[Replica] = field(init=False)
    proxy: subprocess.Popen | None = None
    proxy_started: float = 0.0
    stopping: bool = False

    def replica_cmd(self, r: Replica) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", str(REPO / "serve.py"), "--server.port", str(r.port),
                "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none", *self.streamlit_options]

    def start(self) -> None:
        # the project's scratch folder (named after this process): what a killed supervisor left is swept later
        self.folder, self.touched = paths.scratch("cluster"), time.monotonic()
        self.members = [Replica(f"r{i}", p) for i, p in enumerate(free_ports(self.replicas), start=1)]
        config = self.folder / "haproxy.cfg"
        config.write_text(haproxy_config(self.host, self.port, [r.port for r in self.members],
                                         self.folder / "haproxy.sock"), encoding="utf-8")
        check = subprocess.run([HAPROXY, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
        if check.returncode:
            raise SystemExit(f"haproxy refused its configuration: {check.stderr.strip()}")
        for r in self.members:
            self.start_replica(r)
        self.start_proxy()

    def start_proxy(self) -> None:
        self.proxy = _start([HAPROXY, "-db", "-f", str(self.folder / "haproxy.cfg")], stdout=subprocess.DEVNULL)
        self.proxy_started = time.monotonic()
        print(f"haproxy: pid {self.proxy.pid} on http://{self.host}:{self.port} (config and stats socket in "
              f"{self.folder})", flush=True)

    def start_replica(self, r: Replica) -> None:
        r.proc = _start(self.replica_cmd(r), stdout=subprocess.DEVNULL)
        r.started, r.up = time.monotonic(), False
        print(f"replica {r.name}: pid {r.proc.pid} on 127.0.0.1:{r.port}", flush=True)

    def proxy_command(self, command: str) -> None:
        """One command to HAProxy's runtime API (its stats socket); a proxy not (yet) listening is no error: its
        health checks decide alone."""
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as s:
            s.settimeout(2)
            s.connect(str(self.folder / "haproxy.sock"))
            s.sendall(command.encode() + b"\n")
            s.recv(4096)

    def tick(self) -> None:
        """One look at every process: restart what exited, say which replica has come up."""
        now = time.monotonic()
        if now - self.touched > 3600:  # a scratch folder untouched for a day is swept even while its maker lives
            os.utime(self.folder)
            self.touched = now
        if self.proxy is not None and self.proxy.poll() is not None:
            code = self.proxy.returncode
            if now - self.proxy_started < 3:  # it could not even start (the port is taken): nothing to serve
                raise SystemExit(f"haproxy could not start on {self.host}:{self.port} (exit code {code})")
            print(f"haproxy exited with code {code}; restarting it", flush=True)
            self.start_proxy()
        for r in self.members:
            if r.proc is not None and r.proc.poll() is not None:
                code, ran = r.proc.returncode, now - r.started
                _signal_group(r.proc, signal.SIGKILL)  # anything the dead replica had started
                r.proc, r.up = None, False
                r.failures = r.failures + 1 if ran < 60 else 0
                r.next_start = now + (min(30, 2 ** (r.failures - 1)) if r.failures > 1 else 0)
                # HAProxy would take two failed checks (up to 4 s) to see it gone, and the new process accepts
                # connections long before it answers them: new readers sent there in between would get a 502
                self.proxy_command(f"set server replicas/{r.name} state maint")
                print(f"replica {r.name} exited with code {code} after {ran:.0f} s; restarting it", flush=True)
            if r.proc is None and now >= r.next_start:
                self.start_replica(r)
            elif r.proc is not None and not r.up and healthy(r.port):
                r.up = True
                self.proxy_command(f"set server replicas/{r.name} state ready")  # its health checks go on deciding
                print(f"replica {r.name} up: pid {r.proc.pid}, healthy {time.monotonic() - r.started:.1f} s after "
                      "its start", flush=True)
                if all(m.up for m in self.members):
                    print(f"ready: {len(self.members)} replicas behind http://{self.host}:{self.port}", flush=True)

    def run(self) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        try:
            self.start()
            while not self.stopping:
                self.tick()
                time.sleep(0.5)
        finally:
            self.stop()
        return 0

    def _on_signal(self, signum: int, _frame: object) -> None:
        self.stopping = True

    def stop(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C does not cut the stop short
        print("stopping: haproxy, then the replicas", flush=True)
        if self.proxy is not None:
            _stop([self.proxy])
        members = [r for r in getattr(self, "members", []) if r.proc is not None]
        # a replica still warming up has no reader yet and would finish its warm-up before acting on SIGTERM
        _stop([r.proc for r in members], at_once=tuple(r.proc for r in members if not r.up))
        if hasattr(self, "folder"):
            shutil.rmtree(self.folder, ignore_errors=True)
        print("stopped", flush=True)


LINE = re.compile(r"replica (r\d+): pid (\d+) on 127\.0\.0\.1:(\d+)")


@dataclass
class Running:
    """A cluster started by `launch`, seen from outside through what its supervisor prints."""

    proc: subprocess.Popen
    url: str
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def replicas(self) -> dict[str, tuple[int, int]]:
        """Each replica's latest (pid, port)."""
        return {name: (int(pid), int(port)) for name, pid, port in LINE.findall(self.text())}

    def pids(self) -> set[int]:
        """Every process it started so far: HAProxy and every replica, restarted ones too."""
        return {int(p) for p in re.findall(r"(?:haproxy|replica r\d+): pid (\d+)", self.text())}

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 240) -> re.Match:
        """The first match of `pattern` in what it printed after character `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.compile(pattern).search(self.text(), after)
            if m:
                return m
            if self.proc.poll() is not None:
                raise RuntimeError(f"the cluster stopped (exit code {self.proc.returncode}):\n{self.text()[-3000:]}")
            time.sleep(0.25)
        raise TimeoutError(f"'{pattern}' not printed within {timeout:.0f} s:\n{self.text()[-3000:]}")

    def stop(self, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)


@contextlib.contextmanager
def launch(replicas: int, port: int, env: dict[str, str], log: Path, options: tuple[str, ...] = (),
           timeout: float = 240) -> Iterator[Running]:
    """`python -m dashboard.cluster` in the background (for tests and benches) until every replica is healthy; stopped
    with SIGTERM after."""
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard.cluster", "--replicas", str(replicas), "--port",
                                 str(port), "--address", "127.0.0.1", "--", *options],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    running = Running(proc, f"http://127.0.0.1:{port}", log)
    try:
        running.wait_for(r"ready: ", timeout=timeout)
        yield running
    finally:
        with contextlib.suppress(subprocess.TimeoutExpired):
            running.stop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    own, extra = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    ap = argparse.ArgumentParser(prog="python -m dashboard.cluster", description=__doc__.split("\n\n")[0],
                                 epilog="Options after -- go to every replica's streamlit run, e.g. "
                                        "-- --secrets.files /etc/nq57/secrets.toml")
    ap.add_argument("--replicas", type=int, default=len(os.sched_getaffinity(0)),
                    help="replicas of serve.py (default: the cores this process may use)")
    ap.add_argument("--port", type=int, default=8501, help="the port readers open (default 8501)")
    ap.add_argument("--address", default="0.0.0.0", help="the address HAProxy listens on (default all)")
    a = ap.parse_args(own)
    if a.replicas < 1:
        ap.error("--replicas must be at least 1")
    if shutil.which(HAPROXY) is None:
        print(f"HAProxy not found ('{HAPROXY}'): apt-get install -y haproxy", file=sys.stderr)
        return 2
    with socket.socket() as s:
        try:
            s.bind((a.address, a.port))
        except OSError as exc:
            print(f"cannot listen on {a.address}:{a.port}: {exc}", file=sys.stderr)
            return 2
    return Cluster(a.replicas, a.address, a.port, extra).run()


if __name__ == "__main__":
    raise SystemExit(main())
