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
import re
import secrets
import stat
import time
from pathlib import Path

from . import _checks

__all__ = ["FORMAT", "VERSION", "save", "to_dict", "write_atomically"]

#: The ``format`` name every saved model carries.
FORMAT = "micrograd_nn.MLP"
#: The newest format version this module writes and reads. Version 2 adds an
#: optional ``training`` section (a checkpoint's optimizer state, epoch and shuffle
#: order); a file without one is written as version 1, exactly as before, so
#: older readers still load plain models.
VERSION = 2

# The temporary files of write_atomically: .<name>.micrograd-nn.<pid>.<random>.tmp, where
# <name> is the target's (and, from older versions, .<name>.<pid>.<random>.tmp and
# .<name>.<random>.tmp). Only the target's own are ever swept: a user's file that merely
# looks like one (.notes.deadbeef.tmp) is not ours.
_TAG = "micrograd-nn"


def _temporary_pattern(name: str) -> re.Pattern:
    """The names of ``name``'s temporary files, this version's and older ones."""
    return re.compile(rf"^\.{re.escape(name)}\.(?:{_TAG}\.)?(?:(?P<pid>\d+)\.)?[0-9a-f]{{8}}\.tmp$")


#: A temporary file of a writer that is still running is left alone unless it is
#: this old (its process id may have been reused); without a process id in its
#: name, after STALE_SECONDS.
STALE_SECONDS = 60.0
STALE_ALIVE_SECONDS = 3600.0


def _labels(model) -> dict:
    return {
        "parameters": [p.label for p in model.parameters()],
        "neurons": [[n.name for n in layer.neurons] for layer in model.layers],
    }


def to_dict(model, training: dict | None = None) -> dict:
    """The model as the JSON document :func:`save` writes (a dict of lists, strings and floats).

    ``training``: a checkpoint's training state (what :func:`micrograd_nn.train.train`
    passes: epoch, optimizer state, shuffle state), stored as the ``training`` section
    of a version-2 file; without it the document is version 1.

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
        "version": 1,  # 2 with a training section, below
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
    if training is not None:
        if not isinstance(training, dict):
            raise TypeError("save: training must be a dict (a checkpoint's state), "
                            f"got {type(training).__name__}")
        document["version"] = 2
        document["training"] = training
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
    try:
        return json.dumps(value, allow_nan=False)  # floats as repr: they read back bit for bit
    except ValueError:
        raise ValueError(f"save: {value!r} cannot be written: JSON has no NaN or infinity") \
            from None


def _as_path(path: object, what: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{what}: path must be a str or a pathlib.Path, got {type(path).__name__}")
    path = Path(path)
    if str(path) in ("", "."):
        raise ValueError(f"{what}: the path is empty; give a file name such as 'model.json'")
    return path


def save(model, path: str | os.PathLike, training: dict | None = None) -> Path:
    """Write ``model`` (and a checkpoint's ``training`` state) to ``path`` as JSON, atomically;
    return the path.

    The folder is created if needed. Everything that can be wrong with the
    model is checked before the disk is touched, and the file is replaced in
    one step (see :func:`write_atomically`), so ``path`` always holds either
    its previous content or the whole new model.

    Raises:
        TypeError, ValueError: as :func:`to_dict`, or a bad path.
        OSError: the file cannot be written (the message names it).
    """
    text = _json_text(to_dict(model, training)) + "\n"
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
    only atomic within one file system), named
    ``.<name>.micrograd-nn.<pid>.<random>.tmp``;
    it is flushed and ``os.fsync``'ed to the disk, then ``os.replace``'d
    over ``path`` (atomic on POSIX and Windows), and the folder is synced so
    the rename itself survives a power cut. On any error, Ctrl-C included,
    the temporary file is removed and ``path`` is untouched.

    * A symbolic link is written through: its target gets the new content
      and the link stays a link.
    * An existing file keeps its permissions (a 0600 file stays 0600); a new
      one gets the usual 0666 less the umask.
    * Errors name ``path`` (not the temporary file).
    * Only a hard kill between the two steps can leave a ``.tmp`` file behind
      (``path`` is whole even then); the next save of that file removes
      its own such files (no other file's) once their writer has exited (or, if the process id in
      the name is alive, after :data:`STALE_ALIVE_SECONDS`; without a process
      id, after :data:`STALE_SECONDS`). A concurrent writer's file is kept.
    """
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    _remove_stale_temporaries(target)
    temporary = target.with_name(
        f".{target.name}.{_TAG}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _naming(error, path) from None
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise _naming(error, path) from None
    try:
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)  # the new file gets the old one's permissions
        with open(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError) and str(temporary) in str(error):
            raise _naming(error, path) from None
        raise
    _sync_folder(target.parent)


def _naming(error: OSError, path: Path) -> OSError:
    """The same kind of OSError, saying what happened to ``path`` (not to the temporary file)."""
    if error.errno is None:
        return type(error)(f"cannot write {str(path)!r}: {error}")
    # [Errno n] what happened: 'path', as Python's own errors read
    return type(error)(error.errno, error.strerror or str(error), str(path))


def _remove_stale_temporaries(target: Path) -> None:
    """Remove what killed saves of ``target`` left beside it (see :func:`write_atomically`);
    best effort."""
    folder, prefix = target.parent, f".{target.name}."
    try:
        names = [name for name in os.listdir(folder)
                 if name.endswith(".tmp") and name.startswith(prefix)]
    except OSError:
        return
    now = time.time()
    pattern = _temporary_pattern(target.name)
    for name in names:
        match = pattern.match(name)
        if match is None:
            continue
        candidate = folder / name
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        age = now - info.st_mtime
        pid = match.group("pid")
        if pid is None:
            stale = age > STALE_SECONDS
        elif int(pid) == os.getpid():
            stale = age > STALE_ALIVE_SECONDS  # another thread of this process may be writing it
        else:
            stale = not _running(int(pid)) or age > STALE_ALIVE_SECONDS
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(candidate)


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # it exists but is someone else's (or we cannot tell: keep its file)
    return True


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
