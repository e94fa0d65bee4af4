"""Which bindgen will run on a tree: the one the build would call, else what the
tree was configured with, else the tree's minimum (issue 15's order)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from kbind.kernel.flags import read_kconfig


def bindgen_on_path() -> tuple[str, str] | None:
    """(`bindgen --version`'s version, where it came from) for `$BINDGEN` or the
    `bindgen` on PATH, as the kernel's Makefile would call it."""
    command = os.environ.get("BINDGEN") or shutil.which("bindgen")
    if not command:
        return None
    try:
        out = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"(\d+\.\d+\.\d+)", out.stdout + out.stderr)
    source = "$BINDGEN" if os.environ.get("BINDGEN") else command
    return (found[1], f"`{source} --version`") if found else None


def configured_bindgen(tree: Path) -> tuple[str, str] | None:
    """CONFIG_BINDGEN_VERSION_TEXT of the tree's configuration."""
    for name in ("include/config/auto.conf", ".config"):
        path = tree / name
        if path.is_file():
            text = read_kconfig(path).get("BINDGEN_VERSION_TEXT", "")
            found = re.search(r"(\d+\.\d+\.\d+)", text)
            if found:
                return found[1], f"{name} (CONFIG_BINDGEN_VERSION_TEXT)"
    return None


def minimum_bindgen(tree: Path) -> tuple[str, str] | None:
    """The minimum scripts/min-tool-version.sh gives for bindgen."""
    path = tree / "scripts" / "min-tool-version.sh"
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return None
    found = re.search(r"^bindgen\)\s*\n\s*echo\s+(\d+\.\d+\.\d+)", text, re.MULTILINE)
    return (found[1], "scripts/min-tool-version.sh (the tree's minimum)") if found else None


def detect_bindgen(tree: str | Path | None, newest: str) -> tuple[str, str]:
    """(version, where from): the bindgen that would run, the tree's configured
    one, the tree's minimum, else `newest`."""
    found = bindgen_on_path()
    if found is None and tree is not None:
        found = configured_bindgen(Path(tree)) or minimum_bindgen(Path(tree))
    return found or (newest, "the newest bindgen kbind models (no bindgen found)")
