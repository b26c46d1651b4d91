"""``python -m micrograd_nn``: the same as the ``micrograd-nn`` command."""
import sys

from .cli import main

if __name__ == "__main__":  # not when a tool such as pytest's doctest imports the module
    sys.exit(main())
