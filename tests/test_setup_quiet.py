"""`make`'s set-up is quiet: one line per step, pip's output in a log shown only when a step fails.

The Makefile's venv rule runs with a stand-in PYTHON whose venv's "pip" prints 100
lines (and, in the second test, fails): nothing is installed, nothing is fetched.
"""
import os
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


FAKE_PYTHON = f"""#!/usr/bin/env bash
# -m venv DIR: DIR/bin/python is a fake pip; anything else runs the real Python.
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
    mkdir -p "$3/bin"
    cat > "$3/bin/python" <<'INNER'
#!/usr/bin/env bash
for i in $(seq 100); do echo "Collecting package-$i"; done
if [ -n "$FAKE_PIP_FAILS" ]; then echo "ERROR: pretend failure of pip"; exit 1; fi
INNER
    chmod +x "$3/bin/python"
    exit 0
fi
exec {sys.executable} "$@"
"""


def make_venv(tmp_path, fail=False):
    python = tmp_path / "python3"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    env = dict(os.environ, FAKE_PIP_FAILS="1" if fail else "")
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), f"VENV={tmp_path / 'venv'}",
         f"PYTHON={python}", "venv"],
        capture_output=True, text=True, env=env, timeout=120,
    )


def test_a_set_up_that_works_prints_one_line_per_step(tmp_path):
    run = make_venv(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines() == [
        f"creating the venv {tmp_path / 'venv'} ... done",
        "upgrading pip ... done",
        "installing micrograd_nn and its test tools (pip install -e '.[test]') ... done",
    ]
    assert run.stderr == ""
    log = (tmp_path / "venv" / "setup.log").read_text()
    assert log.count("Collecting package-") == 200  # pip's output is kept, in the log
    assert (tmp_path / "venv" / ".installed").exists()


def test_a_failed_step_shows_the_end_of_the_log_and_fails(tmp_path):
    run = make_venv(tmp_path, fail=True)
    assert run.returncode != 0
    lines = run.stdout.splitlines()
    assert lines[:3] == [
        f"creating the venv {tmp_path / 'venv'} ... done",
        "upgrading pip ... FAILED",
        f"the last lines of {tmp_path / 'venv' / 'setup.log'}:",
    ]
    assert lines[-1] == "ERROR: pretend failure of pip"
    assert len(lines) == 3 + 40  # the log's last 40 lines, not all of it
    assert not (tmp_path / "venv" / ".installed").exists()  # the next make tries again
