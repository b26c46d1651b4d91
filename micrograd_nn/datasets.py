"""The documents' data sets, as plain Python lists (no global RNG anywhere).

Document 001's four people: weight in pounds minus 135 and height in inches
minus 66, labelled 1 for female and 0 for male.
"""
from __future__ import annotations

import math
import numbers

__all__ = ["EMILY", "FRANK", "PEOPLE", "four_people", "from_kg_cm"]

#: name -> ([weight - 135 lb, height - 66 in], 1 female / 0 male), document 001's table.
PEOPLE = {
    "Alice": ([-2.0, -1.0], 1.0),
    "Bob": ([25.0, 6.0], 0.0),
    "Charlie": ([17.0, 4.0], 0.0),
    "Diana": ([-15.0, -6.0], 1.0),
}

#: The two people document 001 predicts: 128 lb, 63 in and 155 lb, 68 in.
EMILY = [-7.0, -3.0]
FRANK = [20.0, 2.0]


def four_people() -> tuple[list[list[float]], list[float], list[str]]:
    """Document 001's training set: (inputs, targets, names), in the document's order."""
    names = list(PEOPLE)
    return [list(PEOPLE[n][0]) for n in names], [PEOPLE[n][1] for n in names], names


def from_kg_cm(kg: float, cm: float) -> list[float]:
    """Document 001's ``generate_test_data``: metric units to the shifted inputs.

    ``[kg * 2.20462 - 135, cm * 0.393701 - 66]``. (The document then calls it
    as ``generate_test_data(182, 73)`` for "Steve", a 182 kg, 73 cm person;
    it means 73 kg and 182 cm.)
    """
    for name, value in (("kg", kg), ("cm", cm)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"from_kg_cm: {name} must be a number, got {type(value).__name__}")
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"from_kg_cm: {name} must be a positive finite number, got {value!r}")
    return [kg * 2.20462 - 135, cm * 0.393701 - 66]
