"""``micrograd-nn check FILE.py``: a hand-coded backprop (a homework) against autograd.

FILE defines ``grads(parameters, X, Y)``, returning ``{'dW1': ..., 'db1': ...}``
in the documents' layout; it is called on a document network's data and
initial weights, and :func:`micrograd_nn.check_backprop` prints one row per
key: right, or what is wrong with it. The network is ``--network NAME``, else
the one FILE names in a module-level ``NETWORK = "doc002"``, else document
000's. Document 001 steps one sample at a time, so its grads are checked on
each of its four people in turn (m = 1, L = (y_true - y_pred)**2).
"""
from __future__ import annotations

import argparse
import importlib.util
import math
import os
import sys
import traceback
from pathlib import Path

from ..check import check_backprop
from ..documents.networks import MICROGRAD, NETWORKS, get
from ._arguments import seed

HELP = "check a hand-coded backprop, FILE.py's grads(parameters, X, Y), against autograd"
DESCRIPTION = (
    "FILE.py defines grads(parameters, X, Y) returning {'dW1': ..., 'db1': ..., ...}, the\n"
    "derivatives of the document's loss in its layout: W[l] (n[l], n[l-1]), b[l] (n[l], 1),\n"
    "X (n[0], m) and Y (1, m), samples as columns. It is run on a document network's data\n"
    "and initial weights and compared with the Value engine's gradients entry by entry;\n"
    "the table says, for each key, whether it is right and what is wrong (a factor such as\n"
    "1/m, a transpose, a db not summed, a missing key, the first wrong layer).\n"
    "The network: --network NAME, else FILE's NETWORK = \"NAME\", else doc000.\n"
    f"Networks: {', '.join(NETWORKS)} (doc001: checked on each sample, m = 1).\n"
    "Exit status 0 when every row is right, 1 otherwise (or when FILE cannot be run)."
)
EXAMPLE = "micrograd-nn check homework.py --network doc002"

DEFAULT_NETWORK = "doc000"


class _FileError(Exception):
    """FILE cannot be loaded or run: the message is the one line to print."""


def add_arguments(parser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="a Python file defining grads(parameters, X, Y)"
    )
    parser.add_argument(
        "--network",
        default=None,
        metavar="NAME",
        help=f"the network to check on: {', '.join(NETWORKS)} "
        f"(default: FILE's NETWORK, else {DEFAULT_NETWORK})",
    )
    parser.add_argument(
        "--seed", type=seed, default=None,
        help="seed for the data and weights (default: the document's)",
    )
    parser.add_argument(
        "--rtol", type=_tolerance, default=1e-7,
        help="relative tolerance per entry (default: 1e-7)",
    )


def _tolerance(text: str) -> float:
    """argparse type: a finite number >= 0."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value < math.inf:
        raise argparse.ArgumentTypeError(f"a tolerance is a number >= 0, got {text!r}")
    return value


def _network(name: str):
    """The network named, or a one-line error (micrograd's demo: why it cannot be checked)."""
    if name == MICROGRAD.name:
        raise _FileError(
            "micrograd's moons demo has no hand-coded backprop in the documents' layout "
            "(a hinge loss with L2, labels -1/+1), so it cannot be checked; choose one of: "
            + ", ".join(NETWORKS)
        )
    return get(name)  # an unknown name: ValueError listing the names


def command(args) -> int:
    """`micrograd-nn check`: print the table(s); 0 if every row is right, else 1."""
    try:
        if args.network is not None:
            _network(args.network)  # an unknown name fails before FILE runs
        module = _load(args.file)
        grads = getattr(module, "grads", None)
        if not callable(grads):
            raise _FileError(
                f"{args.file} defines no grads(parameters, X, Y) function; define one that returns "
                "{'dW1': ..., 'db1': ..., ...}"
            )
        name = args.network
        if name is None:
            name = getattr(module, "NETWORK", DEFAULT_NETWORK)
        if args.network is None and not isinstance(name, str):
            raise _FileError(
                f"{args.file}: NETWORK must be a network's name such as \"doc002\", got "
                f"{type(name).__name__} {name!r}; choose one of: {', '.join(NETWORKS)}"
            )
        if args.network is None and name not in NETWORKS and name != MICROGRAD.name:
            raise _FileError(  # the name came from FILE, not from the command line: say so
                f"{args.file}'s NETWORK is {name!r}, an unknown network; choose one of: "
                f"{', '.join(NETWORKS)}"
            )
        network = _network(name)
        return _check(args, network, grads)
    except _FileError as error:
        print(f"micrograd-nn check: {error}", file=sys.stderr)
        return 1


def _check(args, network, grads) -> int:
    reference = network.reference
    parameters, X, Y = network.setup(args.seed)
    seed_used = network.default_seed if args.seed is None else args.seed
    options = dict(activations=list(reference.ACTIVATIONS), loss=reference.LOSS, rtol=args.rtol)
    if network.per_sample:
        names = list(network.sample_names) or [str(i) for i in range(X.shape[1])]
        cases = [(f"sample {names[i]} (m = 1):", X[:, [i]], Y[:, [i]]) for i in range(X.shape[1])]
    else:
        cases = [(None, X, Y)]
    # every check first, so that a grads() that raises prints its one line and nothing else
    reports = [
        (title, check_backprop(_guarded(grads, args.file), parameters, x, y, **options))
        for title, x, y in cases
    ]
    print(f"{args.file}'s grads on {network.name}: {network.title}, seed {seed_used}")
    for title, report in reports:
        if title is not None:
            print(title)
        print(report)
    return 0 if all(report.ok for _, report in reports) else 1


def _guarded(grads, file: str):
    """grads, with what it raises turned into one line naming the line of FILE."""

    def call(parameters, X, Y):
        try:
            return grads(parameters, X, Y)
        except Exception as error:  # the homework's bug, whatever it is
            raise _FileError(f"grads() raised {_describe(error, file)}") from None
        except SystemExit as error:  # sys.exit(0) in a homework must not pass as all right
            raise _FileError(
                f"grads() called {_exit_words(error, file)}: nothing was checked; "
                "return the grads instead"
            ) from None

    return call


def _exit_words(error: SystemExit, file: str) -> str:
    """``sys.exit(0) (homework.py, line 3)``: where FILE exits."""
    where = _describe(error, file)
    where = where[where.index(" ("):] if " (" in where else ""
    return f"sys.exit({error.code!r}){where}"


def _describe(error: BaseException, file: str) -> str:
    """``NameError: name 'dz' is not defined (homework.py, line 12)``: the last frame in FILE."""
    where = ""
    path = os.path.abspath(file)
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if os.path.abspath(frame.filename) == path:
            where = f" ({file}, line {frame.lineno})"
            break
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}{': ' + message if message else ''}{where}"


def _load(file: str):
    """FILE run as a module (its folder first on sys.path while it loads, for its own imports)."""
    path = Path(file)
    if not path.exists():
        raise _FileError(f"{file}: no such file")
    if not path.is_file():
        raise _FileError(
            f"{file} is not a file; pass a Python file defining grads(parameters, X, Y)"
        )
    try:
        source = path.read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise _FileError(f"{file} cannot be read: {error}") from None
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as error:
        raise _FileError(
            f"{file}, line {error.lineno}: {error.msg} "
            "(a syntax error: the file is not valid Python)"
        ) from None
    name = f"_micrograd_nn_check_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_loader(name, loader=None, origin=str(path))
    module = importlib.util.module_from_spec(spec)
    module.__file__ = str(path)
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    try:
        exec(code, module.__dict__)
    except Exception as error:
        raise _FileError(f"{file} raised {_describe(error, file)} while it was loaded") from None
    except SystemExit as error:  # a script's exit at import: nothing to check, not a pass
        raise _FileError(
            f"{file} called {_exit_words(error, file)} while it was loaded: nothing was "
            "checked (put the script's own code under if __name__ == \"__main__\":)"
        ) from None
    finally:
        sys.path.remove(folder)
        sys.modules.pop(name, None)
    return module
