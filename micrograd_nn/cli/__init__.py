"""The ``micrograd-nn`` command (also ``python -m micrograd_nn``).

With no arguments it runs the walk-through. Each subcommand is one module
of this package (``cli/train.py`` for ``micrograd-nn train``), which defines:

* ``HELP``: one line for ``micrograd-nn --help``;
* ``add_arguments(parser)``: its options (the parser's description and an
  ``example:`` epilog come from the module's ``DESCRIPTION`` and ``EXAMPLE``);
* ``command(args) -> int``: runs it, returns the exit status.

Bad options give a one-line message (argparse's, then where to find the
usage) and exit status 2. A ``ValueError``, ``TypeError`` or ``OSError``
raised for bad input (an unknown network name, a missing file) is printed as
one line, exit status 1, with no traceback. Ctrl-C says one line and exits
130, also while the subcommands are still being imported (the console script,
``_micrograd_nn_entry``, covers the package's own imports before that).
"""
from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading

from ._arguments import positive_int, seed  # noqa: F401  (the types the commands share)

__all__ = ["COMMANDS", "main"]

#: subcommand -> the module that implements it, in the order --help lists them.
COMMANDS = {
    "walkthrough": "micrograd_nn.cli.walkthrough",
    "list": "micrograd_nn.cli.list_",  # list_: a module `list` would shadow the builtin here
    "train": "micrograd_nn.cli.train",
    "compare": "micrograd_nn.cli.compare",
    "graph": "micrograd_nn.cli.graph",
    "step": "micrograd_nn.cli.step",
    "explore": "micrograd_nn.cli.explore",
    "derive": "micrograd_nn.cli.derive",
    "check": "micrograd_nn.cli.check",
    "errata": "micrograd_nn.cli.errata",
}
DEFAULT_COMMAND = "walkthrough"


class _Parser(argparse.ArgumentParser):
    """argparse, with each error on one line: the problem, then where the usage is."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="micrograd-nn",
        description="Backpropagation you can see, step through and check. "
        "With no command, runs the walk-through of document 001's 2-2-1 network.",
        epilog="example: micrograd-nn walkthrough --seed 7 --epochs 500",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = commands.add_parser(
            name,
            help=module.HELP,
            description=module.DESCRIPTION,
            epilog=f"example: {module.EXAMPLE}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        sub.set_defaults(command_function=module.command)
    return parser


def _interrupted_while_starting(signum, frame):
    os.write(2, b"micrograd-nn: interrupted\n")  # os.write: no buffered stream to re-enter
    os._exit(130)


def _setting_up():
    """Until the command runs, Ctrl-C exits 130 with one line instead of a traceback from
    inside an import; returns the function that gives Ctrl-C back to KeyboardInterrupt."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        return lambda: None  # a thread, or a caller with its own handler: leave it alone
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    return lambda: signal.signal(signal.SIGINT, signal.default_int_handler)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    started = _setting_up()
    try:
        parser = _parser()
        args = parser.parse_args(argv or [DEFAULT_COMMAND])
    finally:
        started()
    if args.command is None:  # only options were given, e.g. `micrograd-nn --seed 3`
        parser.error(f"choose a command: {', '.join(COMMANDS)}")
    try:
        return args.command_function(args)
    except BrokenPipeError:  # the output was piped into a program that stopped reading (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit either
        return 1
    except (ValueError, TypeError, OSError) as error:
        print(f"micrograd-nn {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"micrograd-nn {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
