"""Where the ETL reads and writes, how a file is written whole or not at all, and the lock that lets one writer
at a time write there."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
KPI_DIR = REPO / "kpis"


def write_atomic(path: Path, data: bytes, mode: int = 0o640) -> None:
    """`data` as `path`, whole or not at all (written beside it, then renamed over it); `mode` as given (a temporary
    file is private): the service's group by default."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def data_dir() -> Path:
    """The curated data folder; NQ57_DATA overrides it (tests and benchmarks build from fixtures)."""
    return Path(os.environ.get("NQ57_DATA", DATA_DIR))


def warehouse_path() -> Path:
    """The DuckDB file; NQ57_DB overrides the default data/warehouse.duckdb."""
    return Path(os.environ.get("NQ57_DB", DATA_DIR / "warehouse.duckdb"))


def kpi_dir() -> Path:
    """The registry folder; NQ57_KPIS overrides kpis/ (tests build from fixtures)."""
    return Path(os.environ.get("NQ57_KPIS", KPI_DIR))


@contextlib.contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (made if absent): writers of one place wait for each other, and what a
    dead writer left there can be cleared by the next one."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


SCRATCH_PREFIX = "nq57_"
SCRATCH_MAX_AGE = 24 * 3600  # no parse or upload check lasts this long (see the limits in etl/sheets.py)


def scratch(kind: str) -> Path:
    """A new private folder in the system's temporary folder for one check or load; whoever makes it removes it,
    and what a killed process left is swept by the next one (the folder's name carries its maker's pid)."""
    sweep_scratch()
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{kind}_{os.getpid()}_"))


@contextlib.contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    folder = scratch(kind)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_scratch() -> None:
    """Remove this project's scratch folders whose maker is dead, or that are older than a day (the pid may have
    been given to another process since)."""
    cutoff = time.time() - SCRATCH_MAX_AGE
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*_*_*"):
        with contextlib.suppress(OSError, ValueError):
            if folder.is_dir() and (not _alive(int(folder.name.split("_")[2])) or folder.stat().st_mtime < cutoff):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
