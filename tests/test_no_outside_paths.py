"""No tracked file points outside the repository.

The documents are named by title, author and venue (``DOCUMENT`` in each
``micrograd_nn/documents/docNNN.py``), never by the folder or the file names
the project was built from, which a user of the repository does not have.
Every file ``git ls-files`` lists is read, binary files (a NUL byte) aside.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Written so that this file does not match itself.
OUTSIDE = re.compile(
    r"shared[/\\]+seeds"  # the folder the documents came in
    r"|\.\.[/\\]+shared"  # a relative path up and out of the repository
    r"|\b\d{3}_[0-9a-f]{16}\b"  # a document's file name, NNN_<hash>.txt
    r"|/work[/]"  # the machine's absolute paths
)


def tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode().split("\0")
    return [ROOT / name for name in names if name and (ROOT / name).is_file()]


def test_the_pattern_catches_what_it_is_for():
    # Built from pieces, so that the scan below does not find this line.
    for text in ("see shared" + "/seeds/001.txt", ".." + "/shared/x", "003_" + "82e61894689f4749.txt", "/wo" + "rk/main"):
        assert OUTSIDE.search(text), text
    assert not OUTSIDE.search('"Deep Neural Networks from scratch in Python", Piotr Babel')


def test_no_tracked_file_refers_to_a_path_outside_the_repository():
    files = tracked_files()
    assert len(files) > 50  # the listing worked
    found = []
    for path in files:
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary: PNGs, GIFs
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found, "name the document by its title, not its path:\n" + "\n".join(found)
