"""micrograd's own code runs unchanged on micrograd_nn: only the import lines differ.

demos/from_micrograd/ holds the lecture's first expression and micrograd's demo
notebook's training loop, as their users have them. Each runs as a script; the
numbers are the lecture's (the grads of L = (a*b + c) * f, by hand) and the demo's
(100 % accuracy on the moons, the same run twice with random.seed(1337)).
"""
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "demos" / "from_micrograd"


def run(name, tmp_path):
    proc = subprocess.run(
        [sys.executable, str(FOLDER / name)], capture_output=True, text=True, timeout=300,
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(tmp_path.iterdir()) == []  # it writes nothing
    return proc.stdout.splitlines()


def test_only_the_import_lines_name_micrograd_nn():
    for path in FOLDER.glob("*.py"):
        code = [line for line in path.read_text().splitlines() if not line.startswith("#")]
        ours = [line for line in code if "micrograd_nn" in line]
        assert ours and all(line.startswith("from micrograd_nn") for line in ours), path.name


def test_the_lectures_expression_and_its_grads(tmp_path):
    a, b, c, f = 2.0, -3.0, 10.0, -2.0
    d = a * b + c  # L = d * f: dL/dd = f, dL/dc = dL/de = f, dL/da = f * b, dL/db = f * a
    expected = [f * b, f * a, f, f, f, d]
    value, grads = run("lecture_expression.py", tmp_path)
    assert value == f"Value(data={d * f!r}, grad=0.0, label='L')"
    assert [float(g) for g in grads.split()] == expected


def test_micrograds_demo_learns_the_moons_and_repeats_with_its_seed(tmp_path):
    first = run("moons_demo.py", tmp_path)
    assert first[0].startswith("MLP of [Layer(2, 16, activation='relu')")
    assert first[1] == "number of parameters 337"  # 2*16+16 + 16*16+16 + 16+1, as in micrograd
    steps = [line for line in first if line.startswith("step ")]
    assert len(steps) == 100
    assert re.fullmatch(r"step 99 loss 0\.0\d+, accuracy 100\.0%", steps[-1]), steps[-1]
    # random.seed(1337) and np.random.seed(1337) fix the weights and the data
    assert run("moons_demo.py", tmp_path)[:5] == first[:5]


def test_random_seed_repeats_make_moons_and_two_calls_differ():
    import random

    import numpy as np

    from micrograd_nn.datasets import make_moons

    np.random.seed(1337)
    state = np.random.get_state()[1].copy()
    random.seed(1337)
    X1, y1 = make_moons(n_samples=100, noise=0.1)
    X_next, _ = make_moons(n_samples=100, noise=0.1)
    assert np.array_equal(np.random.get_state()[1], state)  # numpy's generator untouched
    random.seed(1337)
    X2, y2 = make_moons(n_samples=100, noise=0.1)
    random.seed(1338)
    X3, _ = make_moons(n_samples=100, noise=0.1)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert not np.array_equal(X1, X_next)  # a training set and a test set drawn in a row
    assert np.array_equal(make_moons(100, 0.1, seed=5)[0], make_moons(100, 0.1, seed=5)[0])
