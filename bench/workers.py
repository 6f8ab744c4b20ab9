"""Memory of a gunicorn master's workers, read from /proc (Linux)."""

from __future__ import annotations

import os
from pathlib import Path


def worker_memory_mb(master: int, field: str = "VmRSS") -> dict[int, float]:
    """`field` of /proc/<pid>/status (VmRSS: resident now, VmHWM: peak resident) of
    each child of `master`, in MB."""
    out: dict[int, float] = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master) and field in fields:
            out[int(pid)] = int(fields[field].split()[0]) / 1024
    return out
