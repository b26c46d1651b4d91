"""`micrograd-nn check FILE.py`: a homework's grads(parameters, X, Y) against autograd.

The homeworks are written to tmp_path by these tests: a numpy backprop of an
L-layer network (this file's own, below), correct, or broken on purpose.
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from micrograd_nn.cli import COMMANDS, main
from micrograd_nn.documents.networks import NETWORKS

REPO = Path(__file__).resolve().parents[1]

#: A learner's backprop of any of the documents' layered networks. ACTS and LOSS are
#: filled in per network; BREAK_DW_LAST drops the 1/m from the last layer's dW.
HOMEWORK = '''
import numpy as np

{network_line}
ACTS = {acts!r}
LOSS = {loss!r}
BREAK_DW_LAST = {broken!r}


def g(name, Z):
    if name == "relu":
        return np.maximum(Z, 0)
    if name == "tanh":
        return np.tanh(Z)
    return 1 / (1 + np.exp(-Z))


def g_prime(name, Z):
    if name == "relu":
        return (Z > 0) * 1.0
    if name == "tanh":
        return 1 - np.tanh(Z) ** 2
    s = 1 / (1 + np.exp(-Z))
    return s * (1 - s)


def grads(parameters, X, Y):
    L = len(ACTS)
    m = X.shape[1]
    bias = "b1" in parameters
    A, Z = [X], [None]
    for l in range(1, L + 1):
        z = parameters[f"W{{l}}"] @ A[-1] + (parameters[f"b{{l}}"] if bias else 0)
        Z.append(z)
        A.append(g(ACTS[l - 1], z))
    if LOSS == "bce":
        dA = (-(Y / A[L]) + (1 - Y) / (1 - A[L])) / m
    elif LOSS == "mse":
        dA = 2 * (A[L] - Y) / m
    else:  # sse
        dA = 2 * (A[L] - Y)
    out = {{}}
    for l in range(L, 0, -1):
        dZ = dA * g_prime(ACTS[l - 1], Z[l])
        out[f"dW{{l}}"] = dZ @ A[l - 1].T
        if BREAK_DW_LAST and l == L:
            out[f"dW{{l}}"] = out[f"dW{{l}}"] * m
        if bias:
            out[f"db{{l}}"] = dZ.sum(axis=1, keepdims=True)
        dA = parameters[f"W{{l}}"].T @ dZ
    return out
'''


def homework(tmp_path, name="doc000", *, broken=False, network_line=None, file="homework.py"):
    reference = NETWORKS[name].reference
    loss = {"binary_cross_entropy": "bce"}.get(reference.LOSS, reference.LOSS)
    if network_line is None:
        network_line = f"NETWORK = {name!r}"
    text = HOMEWORK.format(network_line=network_line, acts=list(reference.ACTIVATIONS),
                           loss=loss, broken=broken)
    path = tmp_path / file
    path.write_text(text)
    return path


def run_cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "micrograd_nn", "check", *map(str, args)],
        capture_output=True, text=True, env=env, timeout=120, cwd=cwd,
    )


def test_the_command_is_registered():
    assert COMMANDS["check"] == "micrograd_nn.cli.check"


# ------------------------------------------------------------ as a subprocess


def test_a_correct_homework_exits_0(tmp_path):
    path = homework(tmp_path, network_line="")  # names no network: document 000's
    proc = run_cli(path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"{path}'s grads on doc000: L-layer numpy network [2, 4, 4, 1]")
    assert lines[-1] == "all 6 gradients right (rtol 1e-07, m = 1000)"
    assert proc.stderr == ""


def test_a_broken_homework_exits_1_and_names_the_row(tmp_path):
    proc = run_cli(homework(tmp_path, broken=True))
    assert proc.returncode == 1
    rows = {line.split()[0]: line for line in proc.stdout.splitlines()[2:-1]}
    assert "WRONG" in rows["dW3"] and "m = 1000 times the true gradient: the 1/m is missing" in rows["dW3"]
    assert all(" ok " in rows[key] for key in ("dW1", "db1", "dW2", "db2", "db3"))
    assert proc.stdout.splitlines()[-1] == (
        "1 of 6 gradients wrong (rtol 1e-07, m = 1000); first wrong layer: 3"
    )


def test_a_syntax_error_is_one_line(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def grads(parameters, X, Y)\n    return {}\n")
    proc = run_cli(path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == (
        f"micrograd-nn check: {path}, line 1: expected ':' (a syntax error: the file is not valid Python)\n"
    )


# ------------------------------------------------------------ in process


@pytest.mark.parametrize("name", list(NETWORKS))
def test_a_correct_homework_passes_on_every_network(tmp_path, capsys, name):
    assert main(["check", str(homework(tmp_path, name))]) == 0
    out = capsys.readouterr().out
    assert f"grads on {name}:" in out.splitlines()[0]
    assert "WRONG" not in out
    if name == "doc001":  # per-sample SGD: one table per person, m = 1
        for person in ("Alice", "Bob", "Charlie", "Diana"):
            assert f"sample {person} (m = 1):" in out
        assert out.count("all 4 gradients right (rtol 1e-07, m = 1)") == 4
    elif name == "doc004a":  # no biases
        assert out.splitlines()[-1] == "all 2 gradients right (rtol 1e-07, m = 4)"


def test_network_option_overrides_the_file(tmp_path, capsys):
    path = homework(tmp_path, "doc003", network_line='NETWORK = "doc000"')
    assert main(["check", str(path), "--network", "doc003"]) == 0
    assert "grads on doc003:" in capsys.readouterr().out
    assert main(["check", str(path)]) == 1  # doc000's network is not tanh/sigmoid
    assert "grads on doc000:" in capsys.readouterr().out


def test_seed_and_rtol_options(tmp_path, capsys):
    path = homework(tmp_path, broken=True)
    assert main(["check", str(path), "--seed", "7"]) == 1
    assert ", seed 7" in capsys.readouterr().out.splitlines()[0]
    assert main(["check", str(path), "--rtol", "1e4"]) == 0  # everything within 10^4 relative


def write(tmp_path, text, file="homework.py"):
    path = tmp_path / file
    path.write_text(textwrap.dedent(text))
    return str(path)


@pytest.mark.parametrize("text,message", [
    ("x = 1\n", "{path} defines no grads(parameters, X, Y) function"),
    ("grads = 3\n", "{path} defines no grads(parameters, X, Y) function"),
    ("import numpy as np\nnp.nothing()\ndef grads(p, X, Y):\n    return {{}}\n",
     "{path} raised AttributeError: module 'numpy' has no attribute 'nothing' ({path}, line 2) "
     "while it was loaded"),
    ("def grads(p, X, Y):\n    m = X.shape[1]\n    return dz / m\n",
     "grads() raised NameError: name 'dz' is not defined ({path}, line 3)"),
    ("NETWORK = 2\ndef grads(p, X, Y):\n    return {{}}\n",
     "{path}: NETWORK must be a network's name such as \"doc002\", got int 2"),
    ("NETWORK = 'doc009'\ndef grads(p, X, Y):\n    return {{}}\n",
     "check: {path}'s NETWORK is 'doc009', an unknown network; choose one of: doc000, doc001, "
     "doc002, doc003, doc004a, doc004b"),
    ("def grads(p, X, Y):\n    return [p['W1']]\n",
     "error: check_backprop: the grads function returned a list; it must be a dict"),
    # an exit is no pass: sys.exit(0) in a homework used to end the command with status 0
    ("import sys\ndef grads(p, X, Y):\n    sys.exit(0)\n",
     "grads() called sys.exit(0) ({path}, line 3): nothing was checked"),
    ("import sys\nsys.exit(0)\ndef grads(p, X, Y):\n    return {{}}\n",
     "{path} called sys.exit(0) ({path}, line 2) while it was loaded: nothing was checked"),
    ("raise SystemExit(5)\n", "{path} called sys.exit(5) ({path}, line 1) while it was loaded"),
    ("NETWORK = 'micrograd'\ndef grads(p, X, Y):\n    return {{}}\n",
     "micrograd's moons demo has no hand-coded backprop in the documents' layout"),
])
def test_files_that_cannot_be_checked_get_one_line(tmp_path, capsys, text, message):
    path = write(tmp_path, text)
    assert main(["check", path]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("micrograd-nn check: ")
    assert message.format(path=path) in captured.err


def test_micrograd_of_list_is_named_as_not_checkable(tmp_path, capsys):
    path = write(tmp_path, "def grads(p, X, Y):\n    return {}\n")
    assert main(["check", path, "--network", "micrograd"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be checked; choose one of: doc000" in err


def test_a_missing_file(tmp_path, capsys):
    path = tmp_path / "nowhere.py"
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().err == f"micrograd-nn check: {path}: no such file\n"
    assert main(["check", str(tmp_path)]) == 1
    assert "is not a file" in capsys.readouterr().err


def test_missing_keys_are_rows_not_errors(tmp_path, capsys):
    path = write(tmp_path, """
        import numpy as np
        def grads(parameters, X, Y):
            return {"dW1": np.zeros((4, 2))}
    """)
    assert main(["check", path]) == 1
    out = capsys.readouterr().out
    assert "db3  -" in out and "missing: no 'db3' in the grads" in out
    assert out.splitlines()[-1].startswith("6 of 6 gradients wrong")


def test_a_homework_can_import_its_neighbours(tmp_path, capsys):
    (tmp_path / "helpers.py").write_text(HOMEWORK.format(
        network_line="", acts=["relu", "relu", "sigmoid"], loss="bce", broken=False))
    path = write(tmp_path, "from helpers import grads\n", file="main.py")
    assert main(["check", path]) == 0
    assert str(tmp_path) not in sys.path
