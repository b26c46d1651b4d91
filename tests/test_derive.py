"""The derivation table (micrograd_nn.documents.derive) and `micrograd-nn derive`.

Oracles: the table's two sides against each other (the document's product and
autograd, 1e-12), numbers worked out by hand for all-zero weights, and the
walk-through's weights for --seed.
"""
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_nn import MLP, label_2_2_1, mse
from micrograd_nn.cli import main
from micrograd_nn.documents.derive import derivation_table, sample_input, sgd_step_text
from micrograd_nn.documents import doc001
from micrograd_nn.documents.walkthrough import DEFAULT_SEED, network_2_2_1

REPO = Path(__file__).resolve().parents[1]
NAMES = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
ROW = re.compile(r"^(w[1-6]|b[1-3]) ", re.MULTILINE)  # a table row starts with its parameter
PEOPLE = {
    "Alice": ([-2.0, -1.0], 1.0),
    "Bob": ([25.0, 6.0], 0.0),
    "Charlie": ([17.0, 4.0], 0.0),
    "Diana": ([-15.0, -6.0], 1.0),
}


def weights_of(model):
    return {name: p.data for name, p in model.named_parameters()}


@pytest.mark.parametrize("seed", [0, 1, DEFAULT_SEED])
@pytest.mark.parametrize("person", list(PEOPLE))
def test_every_product_equals_autograd(seed, person):
    x, y_true = PEOPLE[person]
    table = derivation_table(network_2_2_1(seed), x, y_true)
    assert [row.parameter for row in table.rows] == ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
    for row in table.rows:
        assert row.autograd == pytest.approx(row.product, rel=1e-12, abs=1e-15), row.parameter
        assert math.prod(row.values) == pytest.approx(row.product, rel=1e-14, abs=1e-300)
        assert row.difference == row.autograd - row.product
    assert table.max_difference <= 1e-12 * max(abs(row.product) for row in table.rows)


def test_autograd_column_is_the_engines_grad():
    model = network_2_2_1(3)
    x, y_true = PEOPLE["Bob"]
    table = derivation_table(model, x, y_true)
    check = network_2_2_1(3)
    mse(check(x), y_true).backward()
    grads = {name: p.grad for name, p in check.named_parameters()}
    assert {row.parameter: row.autograd for row in table.rows} == grads


def test_the_factors_are_the_documents():
    table = derivation_table(network_2_2_1(0), *PEOPLE["Alice"])
    factors = {row.parameter: row.factors for row in table.rows}
    assert factors["w1"] == ("d_L_d_ypred", "d_ypred_d_h1", "d_h1_d_w1")
    assert factors["b2"] == ("d_L_d_ypred", "d_ypred_d_h2", "d_h2_d_b2")
    assert factors["w6"] == ("d_L_d_ypred", "d_ypred_d_w6")
    text = str(table)
    for name in NAMES:
        assert name in text
    for factor in ["d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1", "d_L_d_ypred * d_ypred_d_h2 * d_h2_d_w4",
                   "d_L_d_ypred * d_ypred_d_b3"]:
        assert factor in text
    assert len(ROW.findall(text)) == 9


def test_all_zero_weights_by_hand():
    # Every neuron outputs sigmoid(0) = 0.5, so for Alice (y = 1):
    # d_L_d_ypred = -2 * (1 - 0.5) = -1, deriv_sigmoid(0) = 0.25,
    # d_L_d_w5 = -1 * 0.5 * 0.25 = -0.125, d_L_d_b3 = -0.25,
    # d_ypred_d_h1 = w5 * 0.25 = 0, so w1..b2 get 0.
    table = derivation_table({name: 0.0 for name in NAMES}, [-2, -1], 1)
    products = {row.parameter: row.product for row in table.rows}
    grads = {row.parameter: row.autograd for row in table.rows}
    expected = dict(w1=0.0, w2=0.0, b1=0.0, w3=0.0, w4=0.0, b2=0.0, w5=-0.125, w6=-0.125, b3=-0.25)
    assert products == expected and grads == expected
    assert table.y_pred == 0.5 and table.loss == 0.25


def test_accepts_a_model_a_dict_or_the_layout_and_leaves_the_model_alone():
    model = network_2_2_1(5)
    before = [(p.data, p.grad) for p in model.parameters()]
    x, y_true = PEOPLE["Charlie"]
    from_model = derivation_table(model, x, y_true)
    assert [(p.data, p.grad) for p in model.parameters()] == before
    from_names = derivation_table(weights_of(model), x, y_true)
    from_layout = derivation_table(doc001.layout_from_names(weights_of(model)), x, y_true)
    assert from_model.to_dict() == from_names.to_dict() == from_layout.to_dict()
    # An unlabelled sigmoid MLP(2, [2, 1]) is read by position.
    plain = MLP(2, [2, 1], activation="sigmoid", seed=0)
    for mine, theirs in zip(plain.parameters(), model.parameters()):
        mine.data = theirs.data
    assert derivation_table(plain, x, y_true).to_dict() == from_model.to_dict()


@pytest.mark.parametrize(
    "weights, error, match",
    [
        (MLP(2, [3, 1], activation="sigmoid"), ValueError, "sigmoid MLP"),
        (MLP(2, [2, 1], activation="tanh"), ValueError, "sigmoid MLP"),
        (MLP(2, [2, 1], activation="sigmoid", bias=False), ValueError, "sigmoid MLP"),
        ({"w1": 1.0}, ValueError, "w1, w2"),
        ({name: "1" for name in NAMES}, TypeError, "must be a number"),
        ([1.0] * 9, TypeError, "takes a 2-2-1 sigmoid MLP"),
    ],
)
def test_bad_weights(weights, error, match):
    with pytest.raises(error, match=match):
        derivation_table(weights, [1.0, 2.0], 1.0)


def test_bad_input_length():
    with pytest.raises(ValueError, match="2 numbers"):
        derivation_table({name: 0.0 for name in NAMES}, [1.0, 2.0, 3.0], 1.0)


def test_to_dict_is_json():
    table = derivation_table(network_2_2_1(0), *PEOPLE["Diana"], sample="Diana")
    data = json.loads(json.dumps(table.to_dict()))
    assert data["sample"] == "Diana" and data["x"] == [-15.0, -6.0] and data["y_true"] == 1.0
    assert [row["parameter"] for row in data["rows"]] == ["w1", "w2", "b1", "w3", "w4", "b2", "w5", "w6", "b3"]
    assert list(data["rows"][0]["factors"]) == ["d_L_d_ypred", "d_ypred_d_h1", "d_h1_d_w1"]


def test_sample_input():
    assert sample_input("bob") == ("Bob", [25.0, 6.0], 0.0, "")
    name, x, y, note = sample_input("Emily")
    assert (name, x, y) == ("Emily", [-7.0, -3.0], 1.0) and "no label" in note
    assert sample_input("Frank")[2] == 0.0
    assert sample_input("Frank", target=1)[2] == 1.0
    with pytest.raises(ValueError, match="Alice, Bob, Charlie, Diana, Emily, Frank"):
        sample_input("Steve")
    with pytest.raises(ValueError, match="0 .* or 1"):
        sample_input("Alice", target=2)


def test_sgd_step_text_for_the_walkthrough():
    model = network_2_2_1(DEFAULT_SEED)
    before = weights_of(model)
    text = sgd_step_text(model, "Alice", learn_rate=0.1)
    assert weights_of(model) == before
    assert "(Alice)" in text and "d_L_d_ypred * d_ypred_d_h1 * d_h1_d_w1" in text
    loss = mse(model(PEOPLE["Alice"][0]), 1.0)
    loss.backward()
    for name, p in model.named_parameters():
        line = re.search(rf"^  {name} <- {name} - 0.1 \* d_L_d_{name} = .* = ([-+0-9.]+)$", text, re.MULTILINE)
        assert float(line.group(1)) == pytest.approx(p.data - 0.1 * p.grad, abs=1e-10), name


# ------------------------------------------------------------ the command

def test_cli_default_is_alice_with_the_walkthrough_seed(capsys):
    assert main(["derive"]) == 0
    out = capsys.readouterr().out
    assert len(ROW.findall(out)) == 9
    assert "(Alice)" in out and f"seed {DEFAULT_SEED}" in out
    weights = weights_of(network_2_2_1(DEFAULT_SEED))
    assert f"w1 = {weights['w1']:.6g}" in out


def test_cli_seed_uses_the_walkthrough_network(capsys):
    assert main(["derive", "--sample", "Charlie", "--seed", "9", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["weights"] == weights_of(network_2_2_1(9))
    assert data["x"] == [17.0, 4.0] and data["y_true"] == 0.0


def test_cli_all_weights_and_biases(capsys):
    assert main(["derive", "--all-weights", "0", "--all-biases", "0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["weights"].values()) == {0.0}
    products = {row["parameter"]: row["product"] for row in data["rows"]}
    assert products["w5"] == -0.125 and products["b3"] == -0.25 and products["w1"] == 0.0
    assert main(["derive", "--all-weights", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "every weight 0.5, every bias 0" in out and len(ROW.findall(out)) == 9


def test_cli_emily_and_frank_say_which_label(capsys):
    assert main(["derive", "--sample", "Emily", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["y_true"] == 1.0 and "no label" in data["note"]
    assert main(["derive", "--sample", "frank", "--target", "1"]) == 0
    out = capsys.readouterr().out
    assert "(Frank)" in out and "y_true = 1" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sample", "Steve"], "unknown sample 'Steve'; choose one of: Alice, Bob, Charlie, Diana, Emily, Frank"),
        (["--seed", "1", "--all-weights", "0"], "either --seed or --all-weights"),
        (["--all-weights", "nan"], "finite"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_1(capsys, args, message):
    assert main(["derive", *args]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert err.startswith("micrograd-nn derive: error:")


def test_cli_bad_target_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["derive", "--target", "2"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_python_dash_m_derive_bob():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-m", "micrograd_nn", "derive", "--sample", "Bob"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(ROW.findall(proc.stdout)) == 9
    assert "(Bob): x = [25, 6], y_true = 0" in proc.stdout
    assert proc.stderr == ""
