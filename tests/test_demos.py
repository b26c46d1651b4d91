"""The demos (demos/*.py) in fast mode and the notebook (demos/walkthrough.ipynb): none can rot.

Each demo runs as a user runs it, ``python demos/NAME.py --fast --out DIR``, in
a subprocess; its comparison with the document must come out right and its
figures must exist. The notebook runs in a python3 Jupyter kernel (nbclient).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMOS = REPO / "demos"
PNG = b"\x89PNG\r\n\x1a\n"

#: demo -> (lines its output must contain, figures it writes).
EXPECTED = {
    "check_backprop": (
        [
            "4 of 6 gradients wrong (rtol 1e-07, m = 200); first wrong layer: 2 (every layer "
            "under it is wrong too",
            "not summed over the samples (sum it: np.sum(db1, axis=1, keepdims=True)); summed, "
            "it is right",
            "all 6 gradients right (rtol 1e-07, m = 200)",
        ],
        [],
    ),
    "doc000_moons": (
        [
            "  accuracy 1.000 (output > 0.9, the document's rule)   the document: 1.0",
            "by iteration 9000 (the document: from 1.17 to 0.00208), accuracy 1.0: "
            "as in the document",
            "  the Value engine agrees with the document's network "
            "(gradients to 1e-12, weights to 1e-9)",
        ],
        ["loss.png", "boundary.png"],
    ),
    "doc001_people": (
        [
            "  feedforward of [2, 3], w = [0, 1], b = 0: 0.7216325609518421  (the document: "
            "0.7216325609518421)  same",
            "  mse_loss([1, 0, 0, 1], [0, 0, 0, 0]) = 0.5  (the document: 0.5)",
            "1000 epochs 0.0e+00  (the same run)",
            "  Emily  0.950 F   (the document: 0.951 F)",
            "  Frank  0.038 M   (the document: 0.039 M)",
        ],
        ["loss.png", "boundary.png", "parameters.png"],
    ),
    "doc002_weather": (
        [
            "      1  (5, 4)   (5, 1)   (5, 200)  (5, 4)   (5, 1)   (5, m)  same",
            "      4  (1, 3)   (1, 1)   (1, 200)  (1, 3)   (1, 1)   (1, m)  same",
            ": agree",
            "  0.01 * randn weights: cost 0.6931 -> 0.6665, accuracy 0.615",
            "  He initialization:    cost 0.7050 -> 0.1651, accuracy 0.930",
        ],
        ["loss.png"],
    ),
    "doc003_xor": (
        [
            "  the document's network: cost 0.7060 -> 0.3250",
            "  the Value engine:       cost 0.7060 -> 0.3250",
            "  (the same run)",
            "  4 of 4 right (output > 0.5)",
        ],
        ["loss.png", "boundary.png", "optimizers.png"],
    ),
    "doc004a_three_inputs": (
        [
            "  (the same run)",
            "  the loss falls at every iteration: yes, as the article says",
            ": near the targets, as the article says",
        ],
        ["loss.png"],
    ),
    "doc004b_moons": (
        ["  cost 0.005220 at iteration 1499", "  accuracy 1.000 (output > 0.5)", ": agree"],
        ["loss.png", "boundary.png"],
    ),
    "higher_order": (
        [
            "  d2y/dx2 = 1.705144 (backward() on dy/dx)  d2y/dx dw = 0.028205",
            "  symmetric: max |H - H^T| = ",
            "  one SGD step, theta - 0.1 g:            loss 0.217714 -> 0.216579",
            "  one Newton step, theta - H^-1 g:        loss 0.217714 -> 0.021661",
            "  one damped Newton step, lambda 1.193:   loss 0.217714 -> 0.205271",
            "  MLP(16, [16, 1]) many inputs, one output   16   1   16 x 578 =  9248",
            "  MLP(1, [16, 16]) one input, many outputs    1  16    1 x 608 =   608",
        ],
        ["backward_graph.png"],
    ),
    "micrograd_moons": (
        [
            "  step   0 loss 0.7070, accuracy 80%",
            "accuracy after 30 steps: 99%  (micrograd's demo: 100%)",
        ],
        ["loss.png", "boundary.png"],
    ),
}


def test_every_demo_is_tested():
    assert sorted(p.stem for p in DEMOS.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_demo_reproduces_its_document_in_fast_mode(name, tmp_path):
    lines, figures = EXPECTED[name]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, str(DEMOS / f"{name}.py"), "--fast", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    for line in lines:
        assert line in proc.stdout, f"{line!r} not in the output of {name}:\n{proc.stdout}"
    assert (
        "DIFFERENT" not in proc.stdout
        and "DISAGREE" not in proc.stdout
        and " NOT " not in proc.stdout
    )
    for figure in figures:
        assert (tmp_path / figure).read_bytes().startswith(PNG)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(figures)


def test_demos_are_plain_scripts_with_a_seed_and_a_main():
    import importlib.util
    import inspect

    for path in sorted(DEMOS.glob("*.py")):
        text = path.read_text()
        assert 'if __name__ == "__main__":' in text, path.name
        assert "np.random.seed" not in text and "random.seed(" not in text, path.name
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # importing runs nothing: the work is in main()
        parameters = inspect.signature(module.main).parameters
        assert list(parameters) == ["fast", "out_dir", "seed"], path.name
        assert parameters["fast"].default is False and parameters["seed"].default is None


@pytest.mark.needs_dot
def test_the_notebook_runs_and_shows_its_graphs_inline(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    path = DEMOS / "walkthrough.ipynb"
    notebook = nbformat.read(path, as_version=4)
    assert all(
        not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"
    ), "commit the notebook without outputs (clear them before committing)"
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # a failing cell raises CellExecutionError, naming the cell
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    text = "".join(out.get("text", "") for out in outputs)
    assert "0.7216325609518421 (the document: 0.7216325609518421)" in text
    assert "step 1/20: L (**2), grad 1" in text
    assert "d(L)/d(w1): 1 path" in text
    assert "d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1" in text
    assert "Emily: 0.950 F" in text and "Frank: 0.038 M" in text
    kinds = [kind for out in outputs for kind in out.get("data", {})]
    assert kinds.count("image/svg+xml") == 1  # the graph of Alice's loss
    assert kinds.count("image/png") == 3  # the loss curve, the boundary, the trajectories
    pages = [out["data"]["text/html"] for out in outputs if "text/html" in out.get("data", {})]
    assert len(pages) == 1 and "<iframe srcdoc=" in pages[0]  # the explorer, inline
    assert "window.explorer" in pages[0] and "d_ypred_d_h1" in pages[0]
