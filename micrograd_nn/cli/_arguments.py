"""argparse types and options shared by several subcommands."""
from __future__ import annotations

import argparse

__all__ = ["batch", "positive_int", "sample_arguments", "seed"]


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value}")
    return value


def seed(text: str) -> int:
    """argparse type: a seed, a whole number >= 0 (numpy refuses negative seeds)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a seed is a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"a seed is a whole number >= 0, got {value}")
    return value


def batch(text: str) -> str | int:
    """argparse type: "full" or a batch size >= 1."""
    if text == "full":
        return text
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f'expected "full" or a batch size >= 1, got {text!r}')
    return value


def sample_arguments(parser: argparse.ArgumentParser) -> None:
    """--sample and --seed, shared by `graph` and `step` (and any command on one sample's loss)."""
    parser.add_argument(
        "--sample", default=None,
        help="the sample by name or number (document 001: Alice, Bob, Charlie, Diana; "
        "default: the first)",
    )
    parser.add_argument(
        "--seed", type=seed, default=None,
        help="seed for the initial weights (default: the network's own, as in the walk-through)",
    )
