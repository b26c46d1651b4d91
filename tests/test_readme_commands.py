"""Every ``micrograd-nn`` command the README shows runs, and prints what the README shows.

The README's Python examples are doctests; this is the same for its command
lines. The convention, for everyone who adds a command to the README:

* Put it in a fenced block marked ``console``. A line starting with ``$ `` is
  a command (it must start with ``micrograd-nn``); the lines under it, up to
  the next ``$ `` line or the end of the block, are what it prints (stdout and
  stderr together). A ``# ...`` after the command is a comment for the reader.
* A line that is only ``...`` stands for any number of lines (none included);
  ``...`` inside a line stands for any text within that line.
* Runs of spaces count as one, so columns may be realigned; times (``0.3s``,
  ``4.1 s``, ``12 ms``, ``(2,159 epochs/s)``) are compared as ``<time>``, and
  round-off (a number in e-notation below 1e-12, ``2.7e-15``) as ``<round-off>``:
  its last bits follow the order of a sum, which numpy may choose by CPU.
* The command must exit with status 0, unless the last line of its output
  is ``[exit status N]``.
* The commands of one block run in order, in one fresh temporary folder (so a
  later command can read what an earlier one wrote, and nothing lands in the
  checkout) that holds ``demos/`` and ``docs/`` (links to the repository's, so
  ``micrograd-nn check demos/homework.py`` finds its file as in a clone), on a
  pipe (no progress bars), with ``MPLBACKEND=Agg``.

Fenced blocks of another kind (``sh``, ``text``) must not hold a line starting
with ``micrograd-nn`` or ``$ micrograd-nn``: those would go unchecked. Commands
written inline in the prose (``micrograd-nn walkthrough --seed 7``) are parsed
with the real argument parser, so an option that no longer exists is caught.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PROGRAM = Path(sys.executable).with_name("micrograd-nn")

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.M | re.S)
TIME = re.compile(r"\(?\b[\d,]+(\.\d+)?\s?(s|ms|epochs/s)\b\)?")
ROUND_OFF = re.compile(r"\b\d(\.\d+)?e-(1[2-9]|[2-9]\d|\d{3})\b")
EXIT = re.compile(r"^\[exit status (\d+)\]$")


@dataclass
class Command:
    line: int  # in README.md, for the failure message
    argv: list[str]
    expected: list[str]
    status: int = 0


def blocks(text: str) -> list[tuple[str, int, str]]:
    """(kind, first line number, body) of every fenced block."""
    return [
        (m.group(1), text.count("\n", 0, m.start()) + 2, m.group(2)) for m in FENCE.finditer(text)
    ]


def console_blocks(text: str) -> list[list[Command]]:
    found = []
    for kind, first, body in blocks(text):
        if kind != "console":
            continue
        commands: list[Command] = []
        for number, line in enumerate(body.splitlines(), first):
            if line.startswith("$ "):
                words = shlex.split(line[2:], comments=True)
                commands.append(Command(number, words, []))
            elif not commands:
                raise AssertionError(f"README.md:{number}: a console block starts with a `$ ` line")
            else:
                commands[-1].expected.append(line)
        for command in commands:
            while command.expected and not command.expected[-1].strip():
                command.expected.pop()
            if command.expected and EXIT.match(command.expected[-1]):
                command.status = int(EXIT.match(command.expected.pop()).group(1))
        found.append(commands)
    return found


def normalise(line: str) -> str:
    return " ".join(ROUND_OFF.sub("<round-off>", TIME.sub("<time>", line)).split())


def line_pattern(expected: str) -> re.Pattern:
    parts = [re.escape(part.strip()) for part in normalise(expected).split("...")]
    return re.compile(r"\s*" + ".*?".join(parts) + r"\s*$")


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` fits ``expected``, whose lines may be wildcards (see the module)."""
    expected = [normalise(line) for line in expected]
    actual = [normalise(line) for line in actual]
    # Drop blank lines at either end; keep the ones inside.
    while expected and not expected[-1]:
        expected.pop()
    while actual and not actual[-1]:
        actual.pop()
    memo: dict[tuple[int, int], bool] = {}

    def fit(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(expected):
                memo[i, j] = j == len(actual)
            elif expected[i] == "...":
                memo[i, j] = fit(i + 1, j) or (j < len(actual) and fit(i, j + 1))
            else:
                memo[i, j] = (
                    j < len(actual)
                    and bool(line_pattern(expected[i]).match(actual[j]))
                    and fit(i + 1, j + 1)
                )
        return memo[i, j]

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * (len(expected) + len(actual)) + 100))
    return fit(0, 0)


def run(command: Command, folder: Path) -> tuple[int, list[str]]:
    assert command.argv[0] == "micrograd-nn", (
        f"README.md:{command.line}: a console block runs micrograd-nn commands only"
    )
    env = dict(os.environ, MPLBACKEND="Agg", COLUMNS="100", PYTHONHASHSEED="0")
    done = subprocess.run(
        [str(PROGRAM), *command.argv[1:]], cwd=folder, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300,
    )
    text = done.stdout.replace(str(folder) + os.sep, "").replace(str(folder), ".")
    return done.returncode, text.splitlines()


README_TEXT = README.read_text(encoding="utf-8")
BLOCKS = console_blocks(README_TEXT)


def test_the_readme_has_console_blocks():
    assert len(BLOCKS) >= 3 and all(BLOCKS)


@pytest.mark.slow
@pytest.mark.parametrize(
    "commands", BLOCKS, ids=[f"line{commands[0].line}" for commands in BLOCKS]
)
def test_each_command_prints_what_the_readme_shows(commands, tmp_path):
    for shared in ("demos", "docs"):
        (tmp_path / shared).symlink_to(ROOT / shared, target_is_directory=True)
    for command in commands:
        status, actual = run(command, tmp_path)
        shown = "\n".join(command.expected)
        assert status == command.status, (
            f"README.md:{command.line}: `{shlex.join(command.argv)}` exited {status}, "
            f"not {command.status}:\n" + "\n".join(actual)
        )
        assert matches(command.expected, actual), (
            f"README.md:{command.line}: `{shlex.join(command.argv)}` printed\n"
            + "\n".join(actual)
            + f"\n\nbut the README shows\n{shown}"
        )


def test_no_command_hides_in_another_kind_of_block():
    hidden = [
        f"README.md:{first + k}: {line}"
        for kind, first, body in blocks(README_TEXT)
        if kind != "console"
        for k, line in enumerate(body.splitlines())
        if re.match(r"(\$ )?micrograd-nn\b", line)
    ]
    assert not hidden, "put these in a ```console block (see tests/test_readme_commands.py):\n" + (
        "\n".join(hidden)
    )


PLACEHOLDER = re.compile(r"[\[\]|<>]|\.\.\.|\b(NAME|FILE|N|X|Y|DIR|PATH|COMMAND)\b")


def inline_commands(text: str) -> list[str]:
    prose = FENCE.sub("", text)
    return [
        m.group(1)
        for m in re.finditer(r"`(micrograd-nn(?: [^`]*)?)`", prose)
        if not PLACEHOLDER.search(m.group(1))
    ]


def test_inline_commands_parse():
    from micrograd_nn.cli import COMMANDS, _parser

    parser = _parser()
    commands = inline_commands(README_TEXT)
    assert len(commands) >= 3
    for command in commands:
        words = shlex.split(command)[1:]
        if len(words) == 1 and words[0] in COMMANDS:
            continue  # the command's name, as in "`micrograd-nn train` starts from ..."
        try:
            parser.parse_args(words)
        except SystemExit as exit:
            raise AssertionError(f"README: `{command}` does not parse") from exit


# ------------------------------------------------------------ the matcher itself


@pytest.mark.parametrize(
    "expected, actual, result",
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "c"], False),
        (["a", "..."], ["a", "b", "c"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["a", "...", "d"], ["a", "b", "c"], False),
        (["x ... z"], ["x y y z"], True),
        (["x ... z"], ["x y y"], False),
        (["col  1    2.5s  pass"], ["col 1  14.0s pass"], True),  # spaces, times
        (["loss 0.3 -> 0.1 in 0.5 s (2,159 epochs/s)"], ["loss 0.3 -> 0.1 in 12.1 s (30 epochs/s)"], True),
        (["loss 0.3"], ["loss 0.4"], False),  # numbers other than times count
        (["diff 1.9e-15 pass"], ["diff 2.7e-15 pass"], True),  # round-off
        (["diff 1.9e-15"], ["diff 0.0e+00"], False),  # zero is not round-off
        (["diff 1.9e-11"], ["diff 2.7e-11"], False),  # nor is 1e-11
        (["a"], ["a", "b"], False),  # nothing unshown at the end
        (["a", ""], ["a"], True),
    ],
)
def test_matches(expected, actual, result):
    assert matches(expected, actual) is result


def test_console_blocks_parse_commands_outputs_and_exit_status():
    text = (
        "```console\n$ micrograd-nn list   # every network\ndoc000 ...\n...\n"
        "$ micrograd-nn train nosuch\nmicrograd-nn: ...\n[exit status 1]\n```\n"
    )
    (block,) = console_blocks(text)
    assert [c.argv for c in block] == [["micrograd-nn", "list"], ["micrograd-nn", "train", "nosuch"]]
    assert block[0].expected == ["doc000 ...", "..."] and block[0].status == 0
    assert block[1].expected == ["micrograd-nn: ..."] and block[1].status == 1
