"""Ctrl-C while `micrograd-nn` starts (importing numpy, matplotlib's helpers, ...): one line, exit 130.

A real child process gets SIGINT at several early moments. Before Python runs any
code of ours (its own start-up, ~10 ms: the standard streams, site, the script's first
line) it may die of the signal or print its own report ("Fatal Python error: ..." or a
traceback through frozen modules only); from our first line on, no traceback shows a
frame of ours.
"""
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "micrograd-nn"  # `make test` installs it in the venv


#: A traceback frame in the package or in the script's entry module: ours to prevent.
OUR_FRAME = re.compile(r'File "[^"]*(micrograd_nn/|_micrograd_nn_entry\.py)[^"]*"')


def pythons_own(err):
    """A report from Python's start-up, before any line of ours ran."""
    return "Traceback" in err and not OUR_FRAME.search(err)


def interrupt(delay, *command):
    child = subprocess.Popen([*command, "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    return child.returncode, err


@pytest.mark.parametrize("delay", [0, 0.02, 0.05, 0.1, 0.15])
def test_ctrl_c_while_starting_says_one_line_and_exits_130(delay):
    status, err = interrupt(delay, str(SCRIPT))
    if pythons_own(err):
        return
    assert "Traceback" not in err, err
    assert status in (130, -signal.SIGINT), (status, err)  # -SIGINT: died of it, also 130
    assert err in ("", "micrograd-nn: interrupted\n") or err.endswith("interrupted\n"), err


def test_ctrl_c_while_importing_is_caught():
    """Most of the start-up is the package's imports: a Ctrl-C in the middle of it says one line.

    The script's own timing: its start-up takes a good part of a second, so a
    signal at 40% of it lands in the imports."""
    started = time.perf_counter()
    subprocess.run([str(SCRIPT), "--help"], capture_output=True, check=True, timeout=60)
    startup = time.perf_counter() - started
    # A loaded machine can stretch Python's own start-up past 40%: then try later.
    for share in (0.4, 0.5, 0.6, 0.7):
        status, err = interrupt(share * startup, str(SCRIPT))
        if not pythons_own(err):
            break
    assert (status, err) == (130, "micrograd-nn: interrupted\n")


def test_the_console_script_runs_the_command_line():
    run = subprocess.run([str(SCRIPT), "list"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("doc000")
