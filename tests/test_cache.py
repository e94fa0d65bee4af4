"""The result cache: reruns are answered from it, and never when an input changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

from kbind.cache import ResultCache


def _kbind(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kbind", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "top.h").write_text('#include "sub/inner.h"\nint top_fn(struct inner *p);\n')
    (src / "sub" / "inner.h").write_text(
        "struct inner { int a; };\n#ifdef BIG\n#define INNER_VALUE 100\n#else\n"
        "#define INNER_VALUE 1\n#endif\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return src, env


def _audit(src: Path, env: dict[str, str], *extra: str) -> dict:
    out = _kbind(src, env, "audit", "top.h", "--format", "json", *extra)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _entries(env: dict[str, str]) -> list[Path]:
    audit = Path(env["XDG_CACHE_HOME"]) / "kbind" / "audit"
    return sorted(p for p in audit.iterdir() if not p.name.startswith(".")) \
        if audit.exists() else []


def _const(report: dict, name: str) -> int:
    return next(i["value"] for i in report["items"] if i["name"] == name)


def test_rerun_is_answered_from_the_cache(project: tuple[Path, dict[str, str]]) -> None:
    src, env = project
    first = _audit(src, env)
    [entry] = _entries(env)
    # Poison the stored answer: if the rerun prints it, it came from the cache.
    blob = entry / "out-json"
    blob.write_text(blob.read_text().replace('"INNER_VALUE"', '"FROM_CACHE"'))
    second = _audit(src, env)
    assert any(i["name"] == "FROM_CACHE" for i in second["items"])
    assert len(second["items"]) == len(first["items"])


def test_edited_included_header_is_never_served_stale(
        project: tuple[Path, dict[str, str]]) -> None:
    src, env = project
    assert _const(_audit(src, env), "INNER_VALUE") == 1
    inner = src / "sub" / "inner.h"
    stat = inner.stat()
    inner.write_text(inner.read_text().replace("INNER_VALUE 1", "INNER_VALUE 2"))
    os.utime(inner, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same timestamp: content decides
    assert _const(_audit(src, env), "INNER_VALUE") == 2


def test_changed_flag_or_profile_is_a_different_entry(
        project: tuple[Path, dict[str, str]]) -> None:
    src, env = project
    assert _const(_audit(src, env), "INNER_VALUE") == 1
    assert _const(_audit(src, env, "--", "-DBIG"), "INNER_VALUE") == 100
    stock = _audit(src, env, "--profile", "stock")
    assert stock["profile"] == "stock"
    assert len(_entries(env)) == 3


def test_no_cache_neither_reads_nor_writes(project: tuple[Path, dict[str, str]]) -> None:
    src, env = project
    _audit(src, env, "--no-cache")
    assert _entries(env) == []


def test_eviction_keeps_the_budget(tmp_path: Path) -> None:
    dep = tmp_path / "dep.h"
    dep.write_text("int x;\n")
    cache = ResultCache(tmp_path / "c", budget=3000)
    for n in range(5):
        cache.put(f"k{n}", [str(dep)], {"blob": b"x" * 1000})
    kept = [p.name for p in (tmp_path / "c" / "audit").iterdir()]
    assert len(kept) <= 2 and "k4" in kept
    assert cache.get("k4", "blob") == b"x" * 1000


def test_library_cache_returns_equal_report(tmp_path: Path) -> None:
    import kbind

    header = tmp_path / "lib.h"
    header.write_text("struct s { long l; char c; };\nint f(struct s *);\n")
    cache = ResultCache(tmp_path / "c")
    cold = kbind.audit(str(header), cache=cache, root=str(tmp_path))
    warm = kbind.audit(str(header), cache=cache, root=str(tmp_path))
    assert warm.to_json() == cold.to_json()
    assert warm is not cold


def test_folder_dependency_notices_added_files(tmp_path: Path) -> None:
    folder = tmp_path / "rust"
    folder.mkdir()
    (folder / "lib.rs").write_text("use bindings::A;\n")
    cache = ResultCache(tmp_path / "c")
    cache.put("k", [str(folder), str(folder / "lib.rs")], {"blob": b"old"})
    assert cache.get("k", "blob") == b"old"
    (folder / "new.rs").write_text("use bindings::B;\n")
    assert cache.get("k", "blob") is None


def test_unfingerprintable_code_is_never_cached(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """When kbind cannot list its own modules (run by a user who cannot read
    them), it cannot tell old code from new: it audits without the cache."""
    import kbind
    from kbind import cache as cache_module

    monkeypatch.setattr(cache_module, "code_digest", lambda: None)
    header = tmp_path / "lib.h"
    header.write_text("int f(void);\n")
    store = ResultCache(tmp_path / "c")
    report = kbind.audit(str(header), cache=store, root=str(tmp_path))
    assert [i.name for i in report.items] == ["f"]
    assert not (tmp_path / "c" / "audit").exists()
