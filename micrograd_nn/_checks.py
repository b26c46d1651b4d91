"""Argument checks shared by the modules: each raises TypeError or ValueError
with a message that names the argument, what it got, and what it takes."""
from __future__ import annotations

import numbers
from collections.abc import Mapping, Set


def as_list(obj: object, what: str) -> list:
    """``list(obj)`` for an ordered sequence (list, tuple, 1-D numpy array).

    Strings, dicts and sets are refused: iterating them would silently give
    characters, keys, or an arbitrary order. ``what`` says what was expected,
    e.g. "nouts must be a list of layer sizes"; the message adds what came.
    """
    if isinstance(obj, (str, bytes, Mapping, Set)) or not hasattr(obj, "__len__"):
        raise TypeError(f"{what}, got {type(obj).__name__}")
    try:
        return list(obj)
    except TypeError:  # a 0-d numpy array has __len__ but no length
        raise TypeError(f"{what}, got {type(obj).__name__} {obj!r}") from None


def positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be a positive int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{what} must be a positive int, got {value}")
    return int(value)


def boolean(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be True or False, got {type(value).__name__} {value!r}")
    return value


def choice(value: object, choices, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a name, one of: {', '.join(choices)}; got {type(value).__name__} {value!r}")
    if value not in choices:
        raise ValueError(f"unknown {what} {value!r}; choose one of: {', '.join(choices)}")
    return value


def number_in(value: object, name: str, low: float, high: float, *, low_open: bool, high_open: bool) -> float:
    """A real number inside the interval, as a float (NaN is never inside)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    value = float(value)
    above = value > low if low_open else value >= low
    below = value < high if high_open else value <= high
    if not (above and below):
        interval = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return value


def make_folder(folder, what: str) -> None:
    """``folder.mkdir(parents=True, exist_ok=True)`` (a ``pathlib.Path``), with an error that
    says which part of the path is a file when one is in the way (the bare OSError says
    only "File exists")."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder)
        raise NotADirectoryError(
            f"{what}: cannot create the folder {str(folder)!r}: {str(blocker)!r} is a file, "
            "not a folder; choose another path"
        ) from None


def rng(seed: object, what: str):
    """A numpy Generator: a Generator as it is, else numpy.random.default_rng(seed)
    for None (fresh entropy) or a whole number >= 0. ``what`` names the argument."""
    import numpy as np  # lazily: `import micrograd_nn` stays fast

    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        raise TypeError(
            f"{what} must be an int, None or a numpy.random.Generator, got {type(seed).__name__} {seed!r}"
        )
    if seed is not None and seed < 0:
        raise ValueError(f"{what} must be >= 0, got {seed}")
    return np.random.default_rng(seed)


def seed(value: object, what: str) -> int | None:
    """A seed for numpy.random.default_rng: None or a whole number >= 0."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        raise TypeError(f"{what} must be an int or None, got {type(value).__name__} {value!r}")
    if value is not None and value < 0:
        raise ValueError(f"{what} must be a whole number >= 0, got {value}")
    return None if value is None else int(value)


def quote(value: object, limit: int = 40) -> str:
    """``repr(value)`` for a message, cut to about ``limit`` characters: a weight of
    10**400 or a megabyte-long key must not fill the screen (``1000000...(401 characters)``)."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's digit limit for str()
        return f"an integer of {value.bit_length()} bits"
    if len(text) <= limit:
        return text
    return f"{text[: limit - 3]}...({len(text)} characters)"
