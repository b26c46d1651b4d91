"""The ``micrograd-nn`` console script: Ctrl-C while it starts says one line, no traceback.

Importing :mod:`micrograd_nn` (numpy, matplotlib's helpers, graphviz) takes a
good part of a second, and a Ctrl-C during it would print a KeyboardInterrupt
traceback from deep inside an import. This module sits outside the package so
that the handler below is in place before the package's first import; once
the command line is set up, :func:`micrograd_nn.cli.main` handles Ctrl-C itself
(one line, exit status 130).
"""
import os  # already imported by Python's start-up

# _signal, the built-in half of the signal module: `import signal` would first import
# enum and functools, and a Ctrl-C in those would show a traceback.
import _signal


def _interrupted_while_starting(signum, frame):
    os.write(2, b"micrograd-nn: interrupted\n")  # os.write: no buffered stream to re-enter
    os._exit(130)


def main() -> int:
    """Install the quiet Ctrl-C handler, import the command line, run it."""
    _signal.signal(_signal.SIGINT, _interrupted_while_starting)
    from micrograd_nn.cli import main as command_line

    _signal.signal(_signal.SIGINT, _signal.default_int_handler)  # main() takes over from here
    return command_line()
