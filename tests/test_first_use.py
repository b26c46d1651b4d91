"""What a new user meets first (issue 16): small surprises, fixed and kept fixed."""
from __future__ import annotations

import numpy as np
import pytest

from micrograd_nn.cli import main
from micrograd_nn.documents import networks


# ------------------------------------------------------- graph names the sample


def test_graph_names_a_numbered_sample_with_its_input_and_target(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["graph", "doc003", "--sample", "1", "--out", "xor.dot"]) == 0
    out = capsys.readouterr().out
    # XOR's second sample (document 003's data): x = (0, 1), target 1.
    assert "the loss graph of doc003 for sample 1 (x = [0, 1], y_true = 1): 34 Values" in out
    assert " for 1 " not in out


def test_graph_default_file_name_of_a_numbered_sample(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "")  # no dot: the .dot text is written, with a one-line error
    main(["graph", "doc003", "--sample", "2"])
    assert [p.name for p in tmp_path.iterdir()] == ["sample2_loss.dot"]


def test_describe_sample_names_people_by_name():
    assert networks.describe_sample("doc001", "bob") == "Bob (x = [25, 6], y_true = 0)"


# ------------------------------------------------------- train --init


def test_init_draws_every_weight_matrix_with_the_scheme_and_keeps_the_biases():
    import numpy as np

    from micrograd_nn.documents.training import _initialized

    network = networks.get("doc002")
    model = _initialized(network, 3, "he")
    rng = np.random.default_rng(3)  # He: N(0, 1) * sqrt(2 / fan_in), row by row, layer by layer
    got = model.to_parameters()
    document = network.setup(3)[0]
    for l, (n, fan_in) in enumerate([(5, 4), (4, 5), (3, 4), (1, 3)], 1):
        np.testing.assert_array_equal(got[f"W{l}"], rng.standard_normal((n, fan_in)) * (2 / fan_in) ** 0.5)
        np.testing.assert_array_equal(got[f"b{l}"], document[f"b{l}"])


def test_train_doc002_learns_with_he_init_and_only_the_base_rate_without(tmp_path):
    from micrograd_nn.documents.training import train_network

    def run(init):
        lines = []
        result = train_network("doc002", epochs=400, init=init, out=tmp_path / str(init),
                               progress=False, echo=lines.append)
        return result, lines

    own, _ = run(None)
    he, lines = run("he")
    targets = networks.get("doc002").data()[1]
    base_rate = sum(targets) / len(targets)
    entropy = -(base_rate * np.log(base_rate) + (1 - base_rate) * np.log(1 - base_rate))
    # 0.01 * randn: the output is sigmoid(b4) for every sample, whose best is the base rate
    assert own["history"].losses[-1] > entropy - 1e-3
    assert own["accuracy"] == max(base_rate, 1 - base_rate)
    assert he["history"].losses[-1] < entropy - 0.05  # 400 of the 3000 epochs: on its way (0.1651)
    assert he["accuracy"] > max(base_rate, 1 - base_rate) + 0.1
    assert "seed 3, he init (N(0, 2 / fan_in), He et al.)" in lines[1]


def test_init_and_resume_cannot_both_choose_the_weights(tmp_path, capsys):
    assert main(["train", "doc003", "--init", "he", "--resume", "x.json", "--out", str(tmp_path)]) == 1
    assert "--init and --resume both choose the initial weights" in capsys.readouterr().err
