"""``python -m micrograd_nn``: the same as the ``micrograd-nn`` command.

(Python imports the package before this module runs, so a Ctrl-C in that first
part of a second shows a traceback here; the ``micrograd-nn`` script does not.)
"""
import sys

from .cli import main

if __name__ == "__main__":  # not when a tool such as pytest's doctest imports the module
    sys.exit(main())
