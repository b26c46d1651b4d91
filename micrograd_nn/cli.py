"""The ``micrograd-nn`` command (also ``python -m micrograd_nn``).

With no arguments it runs the walk-through; ``walkthrough`` does the same
with options. Bad options give a one-line message and exit status 2.
"""
from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="micrograd-nn",
        description="Backpropagation you can see, step through and check. "
        "With no command, runs the walk-through of document 001's 2-2-1 network.",
        epilog="example: micrograd-nn walkthrough --seed 7 --epochs 500",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    walk = commands.add_parser(
        "walkthrough",
        help="document 001's 2-2-1 network end to end (the default command)",
        description="Feedforward check, the document's MSE example, per-sample SGD training on "
        "the four people, and predictions for Emily and Frank.",
        epilog="example: micrograd-nn walkthrough --seed 7 --epochs 500",
    )
    walk.add_argument("--seed", type=int, default=None, help="seed for the initial weights (default: 42)")
    walk.add_argument("--epochs", type=_positive_int, default=1000, help="training epochs (default: 1000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    from . import walkthrough  # imported here so `--help` stays instant

    seed = walkthrough.DEFAULT_SEED if getattr(args, "seed", None) is None else args.seed
    walkthrough.run(seed=seed, epochs=getattr(args, "epochs", 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
