"""Words for messages: a count with its noun in the right number.

Messages count things ("1 prediction but 2 targets"); a count that can be 1
goes through :func:`plural`, so no message says "1 predictions".

>>> from micrograd_nn._words import plural
>>> plural(1, "prediction"), plural(2, "prediction"), plural(0, "entry"), plural(1, "class")
('1 prediction', '2 predictions', '0 entries', '1 class')
>>> plural(3, "Value"), plural(1, "matrix", "matrices")
('3 Values', '1 matrix')
"""
from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is 1.

    Args:
        count: how many (0 takes the plural: "0 samples").
        noun: the singular, e.g. "prediction", "entry", "class".
        many: the plural when it is irregular; by default "entry" -> "entries",
            "class" -> "classes", anything else gets an "s" ("epoch" -> "epochs").
    """
    if count == 1:
        return f"{count} {noun}"
    if many is None:
        if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
            many = noun[:-1] + "ies"
        elif noun.endswith(("s", "x", "sh")):  # not "ch": epochs, but batches (pass many=)
            many = noun + "es"
        else:
            many = noun + "s"
    return f"{count} {many}"
