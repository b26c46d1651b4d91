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

import contextlib
import json
import math
import numbers
import os
import secrets
from pathlib import Path

from . import _checks
from .nn import ACTIVATIONS, MLP

__all__ = ["FORMAT", "VERSION", "from_dict", "load", "save", "to_dict", "write_atomically"]

#: The ``format`` name every saved model carries.
FORMAT = "micrograd_nn.MLP"
#: The format version this module writes and reads.
VERSION = 1

_KEYS = ("format", "version", "architecture", "parameters")
_OPTIONAL_KEYS = ("labels",)
_ARCHITECTURE_KEYS = ("nin", "sizes", "activations", "bias")


# ------------------------------------------------------------------ saving


def _labels(model: MLP) -> dict:
    return {
        "parameters": [p.label for p in model.parameters()],
        "neurons": [[n.name for n in layer.neurons] for layer in model.layers],
    }


def to_dict(model: MLP) -> dict:
    """The model as the JSON document :func:`save` writes (a dict of lists, strings and floats).

    Raises:
        TypeError: model is not an MLP, or a label is not a str.
        ValueError: a weight is NaN or infinite; the neurons of one layer have
            different activations; some neurons have biases and others not.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"save takes an MLP, got {type(model).__name__}")
    labels = _labels(model)
    for name in labels["parameters"] + [name for names in labels["neurons"] for name in names]:
        if not isinstance(name, str):
            raise TypeError(f"save: the label {name!r} is a {type(name).__name__}; labels must be str")
    for name, p in model.named_parameters():
        if not math.isfinite(p.data):
            raise ValueError(
                f"save: parameter {name} is {p.data!r}; JSON has no NaN or infinity, and a model "
                "holding one is broken. Find where it came from with detect_anomaly(), or load "
                "the last good checkpoint"
            )
    activations = []
    for i, layer in enumerate(model.layers, start=1):
        kinds = sorted({n.activation for n in layer.neurons})
        if len(kinds) > 1:
            raise ValueError(
                f"save: the neurons of layer {i} have different activations ({', '.join(kinds)}); "
                "the format stores one activation per layer"
            )
        activations.append(kinds[0])
    parameters = model.to_parameters()
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": {
            "nin": model.nin,
            "sizes": [len(layer.neurons) for layer in model.layers],
            "activations": activations,
            "bias": "b1" in parameters,
        },
        "parameters": {key: array.tolist() for key, array in parameters.items()},
    }
    if labels != _labels(MLP.from_parameters(parameters, activation=activations)):  # not the defaults
        document["labels"] = labels
    return document


def _json_text(value: object, indent: str = "") -> str:
    """JSON with one line per dict entry and per row of a matrix (a list of numbers is one line)."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        entries = [f"{inner}{json.dumps(key)}: {_json_text(item, inner)}" 
                   for key, item in value.items()]
        return "{\n" + ",\n".join(entries) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(item, (list, dict)) for item in value):
        rows = [inner + _json_text(item, inner) for item in value]
        return "[\n" + ",\n".join(rows) + "\n" + indent + "]"
    return json.dumps(value, allow_nan=False)  # floats as repr: they read back bit for bit


def _as_path(path: object, what: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{what}: path must be a str or a pathlib.Path, got {type(path).__name__}")
    path = Path(path)
    if str(path) in ("", "."):
        raise ValueError(f"{what}: the path is empty; give a file name such as 'model.json'")
    return path


def save(model: MLP, path: str | os.PathLike) -> Path:
    """Write ``model`` to ``path`` as JSON, atomically; return the path.

    The folder is created if needed. Everything that can be wrong with the
    model is checked before the disk is touched, and the file is replaced in
    one step (see :func:`write_atomically`), so ``path`` always holds either
    its previous content or the whole new model.

    Raises:
        TypeError, ValueError: as :func:`to_dict`, or a bad path.
        OSError: the file cannot be written (the message names it).
    """
    text = _json_text(to_dict(model)) + "\n"
    path = _as_path(path, "save")
    if path.is_dir():
        example = str(path / "model.json")
        raise IsADirectoryError(f"save: {str(path)!r} is a folder; give a file name, such as {example!r}")
    _checks.make_folder(path.parent, "save")
    write_atomically(path, text)
    return path


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path``'s content with ``text`` so that no reader, and no crash, ever sees a part.

    The text goes to a new temporary file in the same folder (a rename is
    only atomic within one file system), named ``.<name>.<random>.tmp``;
    it is flushed and ``os.fsync``'ed to the disk, then ``os.replace``'d
    over ``path`` (atomic on POSIX and Windows), and the folder is synced so
    the rename itself survives a power cut. On any error, Ctrl-C included,
    the temporary file is removed and ``path`` is untouched. (Only a hard
    kill between the two steps can leave a ``.tmp`` file behind; ``path`` is
    whole even then.)
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # Windows cannot open a folder; its renames need no sync
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse to sync a folder
        pass
    finally:
        os.close(fd)


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
