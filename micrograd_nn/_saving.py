"""Writing a model file: the JSON text of an MLP, written atomically.

This is the writing half of :mod:`micrograd_nn.serialize` (which documents the
format and reads it back). It sits under :mod:`micrograd_nn.nn`, so that
``MLP.save`` can use it, and knows models only through ``layers``,
``to_parameters`` and ``from_parameters``.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
from pathlib import Path

from . import _checks

__all__ = ["FORMAT", "VERSION", "save", "to_dict", "write_atomically"]

#: The ``format`` name every saved model carries.
FORMAT = "micrograd_nn.MLP"
#: The format version this module writes and reads.
VERSION = 1


def _labels(model) -> dict:
    return {
        "parameters": [p.label for p in model.parameters()],
        "neurons": [[n.name for n in layer.neurons] for layer in model.layers],
    }


def to_dict(model) -> dict:
    """The model as the JSON document :func:`save` writes (a dict of lists, strings and floats).

    Raises:
        TypeError: model is not an MLP, or a label is not a str.
        ValueError: a weight is NaN or infinite; the neurons of one layer have
            different activations; some neurons have biases and others not.
    """
    if not all(hasattr(model, name) for name in ("layers", "to_parameters", "from_parameters")):
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
    if labels != _labels(type(model).from_parameters(parameters, activation=activations)):  # not the defaults
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


def save(model, path: str | os.PathLike) -> Path:
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
