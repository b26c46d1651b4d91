"""Save and load an MLP as JSON: the architecture and every weight, bit for bit.

>>> import os, tempfile
>>> from micrograd_nn import MLP
>>> from micrograd_nn.serialize import load
>>> model = MLP(2, [3, 1], activation=["tanh", "sigmoid"], seed=0)
>>> with tempfile.TemporaryDirectory() as folder:
...     path = model.save(os.path.join(folder, "model.json"))
...     load(path)([0.5, -1.0]).data == model([0.5, -1.0]).data
True

The file (version 1 of the format ``micrograd_nn.MLP``) for document 001's
network, ``label_2_2_1(MLP(2, [2, 1], activation="sigmoid", seed=0))``::

    {
      "format": "micrograd_nn.MLP",
      "version": 1,
      "architecture": {
        "nin": 2,
        "sizes": [2, 1],
        "activations": ["sigmoid", "sigmoid"],
        "bias": true
      },
      "parameters": {
        "W1": [
          [0.2739233746429086, -0.4604265724722594],
          [-0.9180529521276106, -0.9669447289429418]
        ],
        "b1": [
          [0.0],
          [0.0]
        ],
        "W2": [
          [0.6265404784005448, 0.8255111545554434]
        ],
        "b2": [
          [0.0]
        ]
      },
      "labels": {
        "parameters": ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"],
        "neurons": [
          ["h1", "h2"],
          ["o1"]
        ]
      }
    }

* ``parameters`` is the documents' layout, :meth:`MLP.to_parameters` as lists:
  ``W1`` one row per neuron of layer 1 and one column per input, ``b1`` a
  column ``[[b], [b], ...]``; no ``b`` keys when ``bias`` is false.
* Numbers are written as Python's ``repr`` writes them, the shortest text
  that reads back as the same float, so a loaded model's outputs are
  identical to the saved one's, bit for bit. JSON has no NaN or infinity,
  and a weight that is one is a broken model: saving one raises
  ``ValueError`` naming the parameter.
* ``labels`` is there only when some labels differ from the defaults
  (``W1[j,k]``, ``b1[j]``, neurons ``A1[j]``), for example a network named
  by :func:`~micrograd_nn.nn.label_2_2_1` (``w1..w6``, ``b1..b3``, ``h1``,
  ``h2``, ``o1``): the parameters' labels in ``named_parameters()`` order,
  the neurons' names layer by layer. Loading restores them.

Saving is atomic: the text goes to a temporary file in the same folder,
which is flushed and synced to the disk, then renamed over the target, so a
crash or Ctrl-C mid-save leaves the previous file whole. Loading never runs
code (plain JSON, no pickle) and checks everything: a truncated or edited
file raises ``ValueError`` saying what is wrong and where.
"""
from __future__ import annotations

import json
import math
import numbers
import os

from ._saving import FORMAT, VERSION, _as_path, save, to_dict, write_atomically
from .nn import ACTIVATIONS, MLP

__all__ = ["FORMAT", "VERSION", "from_dict", "load", "save", "to_dict", "write_atomically"]

_KEYS = ("format", "version", "architecture", "parameters")
_OPTIONAL_KEYS = ("labels",)
_ARCHITECTURE_KEYS = ("nin", "sizes", "activations", "bias")

# Saving (MLP.save, save, to_dict, write_atomically) is in micrograd_nn._saving,
# under nn so that MLP.save can use it; this module re-exports it.

# ----------------------------------------------------------------- loading


class _Check:
    """Raises ValueError prefixed with where the document came from."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, problem: str) -> ValueError:
        return ValueError(f"load: {self.source}: {problem}")

    def keys(self, mapping: object, where: str, required: tuple, optional: tuple = ()) -> dict:
        if not isinstance(mapping, dict):
            raise self.fail(f"{where} must be a JSON object {{...}}, got {_kind(mapping)}")
        for key in mapping:
            if key not in required + optional:
                known = ", ".join(required + optional)
                raise self.fail(f"{where} has an unexpected key {key!r}; the keys are {known}")
        for key in required:
            if key not in mapping:
                raise self.fail(f"{where} has no {key!r}; the file is incomplete or was edited")
        return mapping

    def list_of(self, value: object, where: str, length: int | None = None) -> list:
        if not isinstance(value, list):
            raise self.fail(f"{where} must be a list [...], got {_kind(value)}")
        if length is not None and len(value) != length:
            raise self.fail(f"{where} has {len(value)} entries, expected {length}")
        return value

    def positive_int(self, value: object, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(f"{where} must be a whole number >= 1, got {_kind(value)}")
        return value

    def number(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self.fail(f"{where} must be a number, got {_kind(value)}")
        try:
            number = float(value)
        except OverflowError:  # a huge integer
            number = math.inf
        if not math.isfinite(number):
            raise self.fail(f"{where} is {value!r}; every weight must be a finite number")
        return number

    def string(self, value: object, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(f"{where} must be a string, got {_kind(value)}")
        return value


def _kind(value: object) -> str:
    """A value as it looks in the file: ``an object {...}``, ``a list [...]``, or its text."""
    if isinstance(value, dict):
        return "an object {...}"
    if isinstance(value, list):
        return "a list [...]"
    try:
        text = json.dumps(value)  # null, true, "text", 1.5: the file's spelling
    except (TypeError, ValueError):  # from_dict given a Python object that JSON cannot hold
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def from_dict(document: object, source: str = "document") -> MLP:
    """The MLP a document from :func:`to_dict` (or a parsed file) describes, checked throughout.

    Args:
        source: what to call the document in error messages (load passes the path).

    Raises:
        ValueError: anything missing, unexpected, of the wrong type or shape,
            or not finite; the message says what and where, such as
            ``parameters.W2[0][1]``.
    """
    check = _Check(source)
    if not isinstance(document, dict):
        raise check.fail(
            f"holds {_kind(document)}, not a saved model (a JSON object with \"format\": \"{FORMAT}\")"
        )
    if document.get("format") != FORMAT:
        found = f"has format {document['format']!r}" if "format" in document else "has no 'format' key"
        raise check.fail(
            f"{found}; it is not a model saved by micrograd_nn's MLP.save (format {FORMAT!r})"
        )
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise check.fail(f"'version' must be a whole number >= 1, got {_kind(version)}")
    if version > VERSION:
        raise check.fail(
            f"is format version {version}, newer than this micrograd_nn reads ({VERSION}); "
            "upgrade micrograd_nn to load it"
        )
    check.keys(document, "the file", _KEYS, _OPTIONAL_KEYS)

    architecture = check.keys(document["architecture"], "architecture", _ARCHITECTURE_KEYS)
    nin = check.positive_int(architecture["nin"], "architecture.nin")
    sizes = check.list_of(architecture["sizes"], "architecture.sizes")
    if not sizes:
        raise check.fail("architecture.sizes is empty; a network has at least one layer")
    sizes = [check.positive_int(n, f"architecture.sizes[{i}]") for i, n in enumerate(sizes)]
    activations = check.list_of(architecture["activations"], "architecture.activations", len(sizes))
    for i, name in enumerate(activations):
        if check.string(name, f"architecture.activations[{i}]") not in ACTIVATIONS:
            raise check.fail(
                f"architecture.activations[{i}] is {name!r}; choose one of: {', '.join(ACTIVATIONS)}"
            )
    bias = architecture["bias"]
    if not isinstance(bias, bool):
        raise check.fail(f"architecture.bias must be true or false, got {_kind(bias)}")

    dims = [nin] + sizes
    keys = [f"{kind}{l}" for l in range(1, len(sizes) + 1) for kind in ("Wb" if bias else "W")]
    parameters = check.keys(document["parameters"], "parameters", tuple(keys))
    arrays = {}
    for key in keys:
        l = int(key[1:])
        rows = check.list_of(parameters[key], f"parameters.{key}", dims[l])
        if key[0] == "W":
            width, why = dims[l - 1], f"one per input of layer {l}"
        else:
            width, why = 1, "one bias per row"
        arrays[key] = []
        for j, row in enumerate(rows):
            where = f"parameters.{key}[{j}]"
            if len(check.list_of(row, where)) != width:
                raise check.fail(f"{where} has {len(row)} numbers, expected {width} ({why})")
            arrays[key].append([check.number(value, f"{where}[{k}]") for k, value in enumerate(row)])
    model = MLP.from_parameters(arrays, activation=activations)

    if "labels" in document:
        labels = check.keys(document["labels"], "labels", ("parameters", "neurons"))
        params = model.parameters()
        names = check.list_of(labels["parameters"], "labels.parameters", len(params))
        for i, (p, name) in enumerate(zip(params, names)):
            p.label = check.string(name, f"labels.parameters[{i}]")
        layers = check.list_of(labels["neurons"], "labels.neurons", len(sizes))
        for l, (layer, names) in enumerate(zip(model.layers, layers)):
            names = check.list_of(names, f"labels.neurons[{l}]", len(layer.neurons))
            for j, (neuron, name) in enumerate(zip(layer.neurons, names)):
                neuron.name = check.string(name, f"labels.neurons[{l}][{j}]")
    return model


def _no_duplicates(pairs: list) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object; the file was edited")
        result[key] = value
    return result


def _not_a_json_number(name: str):
    raise ValueError(f"{name} is not a number JSON allows; every weight must be a finite number")


def load(path: str | os.PathLike) -> MLP:
    """The MLP saved at ``path`` by :meth:`MLP.save`, with its labels.

    Reads plain JSON (no code runs) and checks all of it before building the model.

    Raises:
        FileNotFoundError: no file at ``path`` (the message names it).
        ValueError: the file is not valid JSON (truncated, say), is not a saved
            model, or was edited into something inconsistent: the message says
            what is wrong and where.
    """
    path = _as_path(path, "load")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"load: {path}: is not a text (UTF-8) file, so not a saved model") from None
    if not text.strip():
        raise ValueError(
            f"load: {path}: the file is empty; it was not saved by MLP.save, or was cut short"
        )
    try:
        document = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_not_a_json_number
        )
    except json.JSONDecodeError as error:
        # A saved file ends with its closing brace; without one it was cut short.
        cut = error.pos >= len(text.rstrip()) or not text.rstrip().endswith("}")
        hint = "the file was edited"
        if cut:
            hint = "the text ends early, so the file was probably cut short"
        where = f"line {error.lineno}, column {error.colno}"
        raise ValueError(f"load: {path}: not valid JSON: {error.msg} at {where}; {hint}") from None
    except ValueError as error:  # from the two hooks
        raise ValueError(f"load: {path}: {error}") from None
    return from_dict(document, source=str(path))
