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

A checkpoint written by :func:`micrograd_nn.train.train` is version 2: the
same document plus a ``training`` section with everything the run needs to go
on bit for bit::

      "training": {
        "epoch": 500,
        "optimizer": {"type": "Adam", "lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-08,
                      "t": 500, "m": [...], "v": [...]},
        "shuffle": {"bit_generator": "PCG64", "state": "<decimal>", "inc": "<decimal>",
                    "has_uint32": 0, "uinteger": 0},
        "batch": "full",
        "loss": "mse",
        "l2": 0.0
      }

``epoch`` is the number of epochs finished; ``optimizer`` is the optimizer's
``state_dict()`` (``m`` and ``v``, or SGD's ``velocity``, one entry per
parameter in ``named_parameters()`` order); ``shuffle`` is the state of the
random generator that orders the mini-batches (null without shuffling), its
128-bit numbers written as decimal text. :func:`load` returns the model of
any version-1 or version-2 file; :func:`load_checkpoint` also returns the
``training`` section (None for a version-1 file, which then resumes as weights
only).

Saving is atomic: the text goes to a temporary file in the same folder,
which is flushed and synced to the disk, then renamed over the target, so a
crash or Ctrl-C mid-save leaves the previous file whole (see
:func:`write_atomically`: symbolic links are written through, permissions
kept). Loading never runs code (plain JSON, no pickle) and checks everything:
a truncated or edited file raises ``ValueError`` saying what is wrong and
where; anything that is not a regular file (a folder, a FIFO, ``/dev/zero``),
or larger than :data:`MAX_BYTES`, is refused before it is read.
"""
from __future__ import annotations

import json
import math
import numbers
import os
import stat

from ._checks import quote
from ._words import plural
from ._saving import FORMAT, VERSION, _as_path, save, to_dict, write_atomically
from .nn import ACTIVATIONS, MLP

__all__ = ["FORMAT", "MAX_BYTES", "VERSION", "from_dict", "load", "load_checkpoint", "save",
           "to_dict", "write_atomically"]

#: The largest file :func:`load` reads: 64 MiB, some 25 times the text of a model of
#: a million weights (and a million weights take this engine minutes per step).
MAX_BYTES = 64 * 2**20

_KEYS = ("format", "version", "architecture", "parameters")
_OPTIONAL_KEYS = ("labels",)
_TRAINING_KEYS = ("epoch", "optimizer")
_OPTIONAL_TRAINING_KEYS = ("shuffle", "batch", "loss", "l2")
_OPTIMIZER_KEYS = {"SGD": ("lr", "momentum", "velocity"),
                   "Adam": ("lr", "betas", "eps", "t", "m", "v")}
_SHUFFLE_KEYS = ("bit_generator", "state", "inc", "has_uint32", "uinteger")
_GENERATORS = ("PCG64", "PCG64DXSM")  # numpy's default and its successor: the same state layout
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
                raise self.fail(f"{where} has an unexpected key {quote(key)}; the keys are {known}")
        for key in required:
            if key not in mapping:
                raise self.fail(f"{where} has no {key!r}; the file is incomplete or was edited")
        return mapping

    def list_of(self, value: object, where: str, length: int | None = None) -> list:
        if not isinstance(value, list):
            raise self.fail(f"{where} must be a list [...], got {_kind(value)}")
        if length is not None and len(value) != length:
            raise self.fail(f"{where} has {plural(len(value), 'entry')}, expected {length}")
        return value

    def positive_int(self, value: object, where: str, low: int = 1) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(f"{where} must be a whole number >= {low}, got {_kind(value)}")
        return value

    def number(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise self.fail(f"{where} must be a number, got {_kind(value)}")
        try:
            number = float(value)
        except OverflowError:  # a huge integer
            number = math.inf
        if not math.isfinite(number):
            what = "every weight" if where.startswith("parameters") else "it"
            raise self.fail(f"{where} is {quote(value)}; {what} must be a finite number")
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
    return _read(document, source)[0]


def _read(document: object, source: str) -> tuple[MLP, dict | None]:
    """from_dict, and the checked ``training`` section (None when the document has none)."""
    check = _Check(source)
    if not isinstance(document, dict):
        raise check.fail(
            f"holds {_kind(document)}, not a saved model (a JSON object with \"format\": \"{FORMAT}\")"
        )
    if document.get("format") != FORMAT:
        found = (f"has format {quote(document['format'])}" if "format" in document
                 else "has no 'format' key")
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
    optional = _OPTIONAL_KEYS + (("training",) if version >= 2 else ())
    check.keys(document, "the file", _KEYS, optional)

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
                f"architecture.activations[{i}] is {quote(name)}; "
                f"choose one of: {', '.join(ACTIVATIONS)}"
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
                raise check.fail(f"{where} has {plural(len(row), 'number')}, expected {width} ({why})")
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
    training = None
    if "training" in document:
        training = _training(check, document["training"], len(model.parameters()))
    return model, training


def _training(check: _Check, section: object, count: int) -> dict:
    """The ``training`` section, checked: every number finite, one moment per parameter."""
    section = check.keys(section, "training", _TRAINING_KEYS, _OPTIONAL_TRAINING_KEYS)
    training = {"epoch": check.positive_int(section["epoch"], "training.epoch", low=0)}
    optimizer = section["optimizer"]
    kind = optimizer.get("type") if isinstance(optimizer, dict) else None
    if kind not in _OPTIMIZER_KEYS:
        found = f"'type' {_kind(kind)}" if isinstance(optimizer, dict) else _kind(optimizer)
        raise check.fail("training.optimizer must be an object with 'type' \"SGD\" or \"Adam\", "
                         f"got {found}")
    check.keys(optimizer, "training.optimizer", ("type",) + _OPTIMIZER_KEYS[kind])
    state = {"type": kind}
    for key in _OPTIMIZER_KEYS[kind]:
        where = f"training.optimizer.{key}"
        value = optimizer[key]
        if key in ("velocity", "m", "v"):
            values = check.list_of(value, where, count)
            state[key] = [check.number(x, f"{where}[{i}]") for i, x in enumerate(values)]
        elif key == "betas":
            betas = check.list_of(value, where, 2)
            state[key] = [check.number(x, f"{where}[{i}]") for i, x in enumerate(betas)]
        elif key == "t":
            state[key] = check.positive_int(value, where, low=0)
        else:
            state[key] = check.number(value, where)
    training["optimizer"] = state
    shuffle = section.get("shuffle")
    if shuffle is not None:
        shuffle = check.keys(shuffle, "training.shuffle", _SHUFFLE_KEYS)
        if shuffle["bit_generator"] not in _GENERATORS:
            raise check.fail(
                f"training.shuffle.bit_generator is {_kind(shuffle['bit_generator'])}; "
                f"checkpoints hold one of: {', '.join(_GENERATORS)}")
        for key in ("state", "inc"):
            text = check.string(shuffle[key], f"training.shuffle.{key}")
            if not (text.isascii() and text.isdigit() and len(text) <= 39 and int(text) < 2**128):
                raise check.fail(f"training.shuffle.{key} must be a whole number below 2**128 "
                                 f"written as decimal text, got {_kind(text)}")
        if shuffle["has_uint32"] not in (0, 1) or isinstance(shuffle["has_uint32"], bool):
            raise check.fail("training.shuffle.has_uint32 must be 0 or 1, "
                             f"got {_kind(shuffle['has_uint32'])}")
        uinteger = check.positive_int(shuffle["uinteger"], "training.shuffle.uinteger", low=0)
        if uinteger >= 2**32:
            raise check.fail(
                f"training.shuffle.uinteger must be below 2**32, got {_kind(uinteger)}")
        shuffle = dict(shuffle)
    training["shuffle"] = shuffle
    if "batch" in section:
        batch = section["batch"]
        if batch != "full":
            batch = check.positive_int(batch, "training.batch")
        training["batch"] = batch
    if "loss" in section:
        from .train import LOSSES  # lazily: only a checkpoint's training section needs it

        loss = check.string(section["loss"], "training.loss")
        if loss not in LOSSES:
            raise check.fail(f"training.loss is {quote(loss)}, not a loss train knows; "
                             f"one of: {', '.join(LOSSES)}")
        training["loss"] = loss
    if "l2" in section:
        l2 = check.number(section["l2"], "training.l2")
        if l2 < 0:
            raise check.fail(f"training.l2 is {quote(l2)}; the weight of the L2 penalty is >= 0")
        training["l2"] = l2
    return training


def _no_duplicates(pairs: list) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(
                f"the key {quote(key)} appears twice in one object; the file was edited")
        result[key] = value
    return result


def _not_a_json_number(name: str):
    raise ValueError(f"{name} is not a number JSON allows; every number in a model file must be "
                     "finite")


def load(path: str | os.PathLike) -> MLP:
    """The MLP saved at ``path`` by :meth:`MLP.save`, with its labels (of a checkpoint,
    the weights: :func:`load_checkpoint` also returns its training state).

    Reads plain JSON (no code runs) and checks all of it before building the model.

    Raises:
        FileNotFoundError: no file at ``path`` (the message names it).
        ValueError: not a regular file (a folder, a FIFO, a device such as
            /dev/zero), larger than :data:`MAX_BYTES`, not valid JSON (cut
            short, followed by other text, NUL bytes, nested too deeply), not a
            saved model, or edited into something inconsistent: the message says
            what is wrong and where.
    """
    return load_checkpoint(path)[0]


def load_checkpoint(path: str | os.PathLike) -> tuple[MLP, dict | None]:
    """The model saved at ``path`` and its ``training`` section (see the module's
    docstring), or None for a plain model or a version-1 file (which resume as weights
    only). ``train(model, ..., resume=training)`` continues the run bit for bit.

    Raises:
        as :func:`load`.
    """
    path = _as_path(path, "load")
    return _read(_parse(path, _read_regular_file(path)), str(path))


def _read_regular_file(path) -> bytes:
    """The bytes of ``path``, refused unless it is a regular file of at most MAX_BYTES.

    The file is checked with os.stat before it is opened (opening a FIFO would block),
    opened with O_NONBLOCK, and checked again on the open descriptor (it may have been
    swapped in between); at most MAX_BYTES + 1 bytes are read.
    """
    _regular(path, os.stat(path))  # FileNotFoundError names the path
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        _regular(path, os.fstat(fd))
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_BYTES:
        raise ValueError(f"load: {path}: the file grew past {MAX_BYTES // 2**20} MiB while being "
                         "read; a saved model is never that large")
    return b"".join(chunks)


_KINDS = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket")]


def _regular(path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise ValueError(f"load: {path}: is {kind}, not a file; give the model.json a save wrote")
    if info.st_size > MAX_BYTES:
        raise ValueError(
            f"load: {path}: the file is {info.st_size / 2**20:,.0f} MiB, more than any saved model "
            f"(at most {MAX_BYTES // 2**20} MiB are read); it is not a model file"
        )


def _parse(path, raw: bytes) -> object:
    """The JSON document in ``raw``, or a ValueError saying what the bytes are instead."""
    if raw and not raw.strip(b"\0"):
        raise ValueError(
            f"load: {path}: the file is {len(raw):,} NUL (zero) bytes and no text: its content "
            "never reached the disk (a crash or power cut soon after it was written); "
            "use an older copy"
        )
    nul = raw.find(b"\0")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"load: {path}: is not a text (UTF-8) file "
            f"(byte {error.start:,} is 0x{raw[error.start]:02x}), so not a saved model"
        ) from None
    if not text.strip():
        raise ValueError(
            f"load: {path}: the file is empty; it was not saved by MLP.save, or was cut short"
        )
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ValueError(
            f"load: {path}: holds a NUL (zero) byte at byte {nul:,} (line {line}); a saved model "
            "is plain text, so the file was damaged (a crash mid-write leaves runs of zeros)"
        )
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_not_a_json_number)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        if error.msg == "Extra data":
            raise ValueError(
                f"load: {path}: not valid JSON: the document ends before {where}, where more text "
                f"follows ({_snippet(text, error.pos)}); the file was edited or two files were "
                "joined"
            ) from None
        # A saved file ends with its closing brace; without one it was cut short.
        cut = error.pos >= len(text.rstrip()) or not text.rstrip().endswith("}")
        hint = "the file was edited"
        if cut:
            hint = "the text ends early, so the file was probably cut short"
        raise ValueError(f"load: {path}: not valid JSON: {error.msg} at {where}; {hint}") from None
    except RecursionError:
        raise ValueError(
            f"load: {path}: the JSON is nested too deeply to read (a saved model is nested 4 "
            "levels); it is not a model file"
        ) from None
    except ValueError as error:  # from the two hooks, or an integer of more than 4300 digits
        raise ValueError(f"load: {path}: {str(error)[:200]}") from None


def _snippet(text: str, pos: int) -> str:
    """The text at ``pos`` as the message shows it: at most 20 characters, in quotes."""
    part = text[pos : pos + 20]
    return quote(part if len(text) - pos <= 20 else part + "...", 30)
