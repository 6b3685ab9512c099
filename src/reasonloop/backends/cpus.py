"""How many CPUs this process may really use: its affinity mask, capped by a cgroup CPU quota.

`os.cpu_count()` counts the machine's cores, not the ones a container or `taskset` grants;
a CPU engine started with more threads than it may run spends its time waiting for them.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
CPUINFO = Path("/proc/cpuinfo")
# CPU flags (Linux names) of native bfloat16 arithmetic: AVX512-BF16 and AMX.
BFLOAT16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


def available_cpus(cgroup_root: Path = CGROUP_ROOT) -> int:
    """CPUs in this process's affinity mask, capped by the cgroup quota; at least 1."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        count = os.cpu_count() or 1
    quota = cgroup_cpu_quota(cgroup_root)
    if quota is not None:
        count = min(count, math.ceil(quota))
    return max(1, count)


def cgroup_cpu_quota(cgroup_root: Path = CGROUP_ROOT) -> float | None:
    """The cgroup's CPU quota in CPUs (e.g. 1.5), or None when there is none.

    cgroup v2 writes "QUOTA PERIOD" (or "max PERIOD") in `cpu.max`; v1 splits them over
    `cpu.cfs_quota_us` (-1 for none) and `cpu.cfs_period_us`.
    """
    v2 = _read(cgroup_root / "cpu.max")
    if v2 is not None:
        fields = v2.split()
        return _quota(fields[0], fields[1]) if len(fields) == 2 else None
    for v1_dir in ("cpu", "cpu,cpuacct"):
        quota = _read(cgroup_root / v1_dir / "cpu.cfs_quota_us")
        period = _read(cgroup_root / v1_dir / "cpu.cfs_period_us")
        if quota is not None and period is not None:
            return _quota(quota, period)
    return None


def _quota(quota: str, period: str) -> float | None:
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:  # "max": no limit
        return None
    return quota_us / period_us if quota_us > 0 and period_us > 0 else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def cpu_supports_bfloat16(cpuinfo: Path = CPUINFO) -> bool:
    """True when the CPU computes in bfloat16 natively (AVX512-BF16 or AMX).

    Without it, bfloat16 matmuls are emulated and slower than float32. Only Linux says so
    (`/proc/cpuinfo`); elsewhere this answers False.
    """
    text = _read(cpuinfo)
    if text is None:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return not BFLOAT16_FLAGS.isdisjoint(line.partition(":")[2].split())
    return False


@dataclass(frozen=True)
class CpuFamily:
    """What decides which kernels CPU inference and training run: the vendor and the widest
    vector instructions (`isa`: "AVX-512", "AVX2", "AVX" or "other").

    The int8 CPU engine (CTranslate2) multiplies matrices with Intel MKL on Intel CPUs and
    with oneDNN elsewhere, and both pick kernels by instruction set, as torch's float32
    training does: the same seeds give other (equally valid) results on another family, so
    the demo's figures are quoted per family.
    """

    vendor: str
    isa: str
    vnni: bool

    @property
    def int8_library(self) -> str:
        """The library CTranslate2 runs int8 matrix products on (its default choice)."""
        return "Intel MKL" if self.vendor == "Intel" else "oneDNN"

    def describe(self) -> str:
        """
        >>> CpuFamily("AMD", "AVX2", vnni=False).describe()
        'AMD, AVX2 (no AVX-512, no VNNI); int8 matrix products on oneDNN'
        """
        missing = [] if self.isa == "AVX-512" else ["AVX-512"]
        missing += [] if self.vnni else ["VNNI"]
        gaps = f" (no {', no '.join(missing)})" if missing else ""
        return f"{self.vendor}, {self.isa}{gaps}; int8 matrix products on {self.int8_library}"


VENDORS = {"GenuineIntel": "Intel", "AuthenticAMD": "AMD"}


def cpu_family(cpuinfo: Path = CPUINFO) -> CpuFamily:
    """This machine's CPU family, read from `/proc/cpuinfo` (Linux; elsewhere "unknown")."""
    vendor, flags = "unknown", set[str]()
    for line in (_read(cpuinfo) or "").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "vendor_id":
            vendor = VENDORS.get(value.strip(), value.strip())
        elif key.strip() == "flags":
            flags = set(value.split())
            break
    isa = next(
        (
            name
            for flag, name in (("avx512f", "AVX-512"), ("avx2", "AVX2"), ("avx", "AVX"))
            if flag in flags
        ),
        "other",
    )
    return CpuFamily(vendor, isa, vnni=bool(flags & {"avx512_vnni", "avx_vnni"}))
