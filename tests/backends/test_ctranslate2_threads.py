"""CPUs available to the process: affinity mask capped by the cgroup quota (v1 and v2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reasonloop.backends.cpus import (
    CpuFamily,
    available_cpus,
    cgroup_cpu_quota,
    cpu_family,
    cpu_supports_bfloat16,
)


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text + "\n")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, None),
        ({"cpu.max": "max 100000"}, None),
        ({"cpu.max": "150000 100000"}, 1.5),
        ({"cpu.max": "50000 100000"}, 0.5),
        ({"cpu.max": "garbage"}, None),
        ({"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"}, None),
        ({"cpu/cpu.cfs_quota_us": "200000", "cpu/cpu.cfs_period_us": "100000"}, 2.0),
        ({"cpu,cpuacct/cpu.cfs_quota_us": "100000", "cpu,cpuacct/cpu.cfs_period_us": "50000"}, 2.0),
    ],
)
def test_cgroup_cpu_quota(tmp_path: Path, files: dict[str, str], expected: float | None) -> None:
    write_files(tmp_path, files)
    assert cgroup_cpu_quota(tmp_path) == expected


def affinity() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [
        (None, affinity()),  # no quota: the affinity mask
        ("50000 100000", 1),  # half a CPU still gets one thread
        ("150000 100000", min(2, affinity())),  # 1.5 CPUs round up, never above the mask
        ("6400000 100000", affinity()),  # a quota above the mask does not add CPUs
    ],
)
def test_available_cpus(tmp_path: Path, cpu_max: str | None, expected: int) -> None:
    if cpu_max is not None:
        write_files(tmp_path, {"cpu.max": cpu_max})
    assert available_cpus(tmp_path) == expected


@pytest.mark.parametrize(
    ("cpuinfo", "expected"),
    [
        (None, False),  # not Linux
        ("processor\t: 0\nflags\t\t: fpu avx2 avx512f\n", False),
        ("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16\n", True),
        ("processor\t: 0\nflags\t\t: fpu amx_bf16 amx_tile\n", True),
        ("processor\t: 0\nflags\t\t: fpu avx512_bf16x\n", False),  # whole flags only
    ],
)
def test_cpu_supports_bfloat16(tmp_path: Path, cpuinfo: str | None, expected: bool) -> None:
    path = tmp_path / "cpuinfo"
    if cpuinfo is not None:
        path.write_text(cpuinfo)
    assert cpu_supports_bfloat16(path) is expected


@pytest.mark.parametrize(
    ("cpuinfo", "expected"),
    [
        (None, CpuFamily("unknown", "other", vnni=False)),  # not Linux
        (
            "vendor_id\t: AuthenticAMD\nflags\t\t: fpu avx avx2 fma\n",
            CpuFamily("AMD", "AVX2", vnni=False),
        ),
        (
            "vendor_id\t: GenuineIntel\nflags\t\t: avx avx2 avx512f avx512_vnni\n",
            CpuFamily("Intel", "AVX-512", vnni=True),
        ),
        ("vendor_id\t: HygonGenuine\nflags\t\t: avx\n", CpuFamily("HygonGenuine", "AVX", False)),
    ],
)
def test_cpu_family(tmp_path: Path, cpuinfo: str | None, expected: CpuFamily) -> None:
    path = tmp_path / "cpuinfo"
    if cpuinfo is not None:
        path.write_text(cpuinfo)
    assert cpu_family(path) == expected


def test_the_cpu_family_names_the_int8_library() -> None:
    assert "on Intel MKL" in CpuFamily("Intel", "AVX-512", vnni=True).describe()
    assert CpuFamily("Intel", "AVX-512", vnni=True).describe().startswith("Intel, AVX-512;")


@pytest.mark.parametrize("native", [True, False])
def test_transformers_auto_dtype_on_cpu(monkeypatch: pytest.MonkeyPatch, native: bool) -> None:
    torch = pytest.importorskip("torch")
    from reasonloop.backends import transformers as backend

    monkeypatch.setattr(backend, "cpu_supports_bfloat16", lambda: native)
    assert backend.pick_dtype("auto", "cpu") == (torch.bfloat16 if native else torch.float32)
    assert backend.pick_dtype("float32", "cpu") == torch.float32
    assert backend.pick_dtype("auto", "cuda") == "auto"
