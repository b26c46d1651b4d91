"""Document 001's network, re-implemented (micrograd_nn.documents.doc001), and the
Value engine checked against it.

Oracles: the document's printed numbers, central finite differences of a loss
written out here, and numbers worked out by hand; the reference is then the
hand-coded oracle for the Value engine (1e-12).
"""
import math

import numpy as np
import pytest

from micrograd_nn import MLP, SGD, label_2_2_1, mse
from micrograd_nn.documents import doc001

NAMES = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
PEOPLE = {  # the document's table: [weight - 135, height - 66], 1 = female
    "Alice": ([-2.0, -1.0], 1.0),
    "Bob": ([25.0, 6.0], 0.0),
    "Charlie": ([17.0, 4.0], 0.0),
    "Diana": ([-15.0, -6.0], 1.0),
    "Emily": ([-7.0, -3.0], 1.0),  # unlabelled in the document; its prediction: F
    "Frank": ([20.0, 2.0], 0.0),  # the document's prediction: M
}
FOUR = ["Alice", "Bob", "Charlie", "Diana"]
SEEDS = [0, 1, 2, 3, 7]


def plain_loss(p, x, y_true):
    """(y_true - o1)**2, written out with math.exp, for finite differences."""
    def s(z):
        return 1.0 / (1.0 + math.exp(-z))

    h1 = s(p["w1"] * x[0] + p["w2"] * x[1] + p["b1"])
    h2 = s(p["w3"] * x[0] + p["w4"] * x[1] + p["b2"])
    o1 = s(p["w5"] * h1 + p["w6"] * h2 + p["b3"])
    return (y_true - o1) ** 2


def central_difference(f, p, name, h=1e-5):
    plus, minus = dict(p), dict(p)
    plus[name] += h
    minus[name] -= h
    return (f(plus) - f(minus)) / (2 * h)


def engine_model(names):
    """Document 001's network in the Value engine, with the given weights."""
    model = label_2_2_1(MLP(2, [2, 1], activation="sigmoid", seed=0))
    params = dict(model.named_parameters())
    for name in NAMES:
        params[name].data = names[name]
    return model, params


# ------------------------------------------------------------ the document's numbers

def test_feedforward_is_the_documents_number():
    net = doc001.OurNeuralNetwork.from_names(dict(w1=0, w2=1, w3=0, w4=1, w5=0, w6=1, b1=0, b2=0, b3=0))
    assert net.feedforward([2, 3]) == 0.7216325609518421


def test_mse_loss_is_the_documents_number():
    assert doc001.mse_loss([1, 0, 0, 1], [0, 0, 0, 0]) == 0.5
    with pytest.raises(ValueError, match="shape"):
        doc001.mse_loss([1, 0], [0, 0, 0])


def test_sigmoid_and_its_derivative():
    assert doc001.sigmoid(0.0) == 0.5
    assert doc001.deriv_sigmoid(0.0) == 0.25
    assert doc001.sigmoid(2.0) == pytest.approx(1 / (1 + math.exp(-2)), rel=1e-15)
    assert doc001.sigmoid(-2.0) == pytest.approx(1 / (1 + math.exp(2)), rel=1e-15)
    # Never overflows, and keeps digits in the tails where 1 - f(x) would be 0.
    assert doc001.sigmoid(-1000.0) == 0.0 and doc001.sigmoid(1000.0) == 1.0
    assert doc001.deriv_sigmoid(40.0) == pytest.approx(math.exp(-40.0), rel=1e-12)


def test_the_data_is_the_documents_table():
    assert doc001.DATA == [PEOPLE[n][0] for n in FOUR]
    assert doc001.ALL_Y_TRUES == [PEOPLE[n][1] for n in FOUR]
    assert doc001.EMILY == PEOPLE["Emily"][0] and doc001.FRANK == PEOPLE["Frank"][0]


def test_steve_as_written_and_as_meant():
    # 182 kg * 2.20462 = 401.24084 lb; 73 cm * 0.393701 = 28.740173 in (as written)
    assert doc001.STEVE_AS_WRITTEN == pytest.approx([266.24084, -37.259827], rel=1e-12)
    # 73 kg = 160.93726 lb; 182 cm = 71.653582 in (as meant)
    assert doc001.STEVE == pytest.approx([25.93726, 5.653582], rel=1e-12)


# ------------------------------------------------------------ the derivation

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("person", list(PEOPLE))
def test_partials_match_central_finite_differences(seed, person):
    x, y_true = PEOPLE[person]
    net = doc001.OurNeuralNetwork(seed)
    names = net.names()
    partials = net.partials(x, y_true)
    assert partials["L"] == pytest.approx(plain_loss(names, x, y_true), rel=1e-12)
    for name in NAMES:
        numeric = central_difference(lambda p: plain_loss(p, x, y_true), names, name)
        assert math.isclose(partials[f"d_L_d_{name}"], numeric, rel_tol=1e-6, abs_tol=1e-9), name


def test_partials_names_every_factor_of_the_document():
    partials = doc001.OurNeuralNetwork(0).partials([-2, -1], 1)
    document_names = (
        "sum_h1 h1 sum_h2 h2 sum_o1 o1 y_pred d_L_d_ypred d_ypred_d_w5 d_ypred_d_w6 d_ypred_d_b3 "
        "d_ypred_d_h1 d_ypred_d_h2 d_h1_d_w1 d_h1_d_w2 d_h1_d_b1 d_h2_d_w3 d_h2_d_w4 d_h2_d_b2"
    ).split()
    for name in document_names + [f"d_L_d_{n}" for n in NAMES]:
        assert name in partials, name
    assert partials["y_pred"] == partials["o1"]
    # The factor that makes it a per-sample derivative: no 1/n.
    assert partials["d_L_d_ypred"] == -2 * (1 - partials["y_pred"])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("person", list(PEOPLE))
def test_value_engine_grads_equal_the_document_derivation(seed, person):
    x, y_true = PEOPLE[person]
    net = doc001.OurNeuralNetwork(seed)
    partials = net.partials(x, y_true)
    model, params = engine_model(net.names())
    prediction = model(x)
    loss = mse(prediction, y_true)
    loss.backward()
    assert prediction.data == pytest.approx(partials["y_pred"], rel=1e-12, abs=1e-15)
    assert loss.data == pytest.approx(partials["L"], rel=1e-12, abs=1e-15)
    for name in NAMES:
        assert params[name].grad == pytest.approx(partials[f"d_L_d_{name}"], rel=1e-12, abs=1e-15), name


# ------------------------------------------------------------ training

def engine_train(names, epochs=1000, lr=0.1):
    """Per-sample SGD in the Value engine, the document's loop; (weights, mse per epoch)."""
    model, params = engine_model(names)
    opt = SGD([params[n] for n in NAMES], lr=lr)
    xs, ys = [PEOPLE[n][0] for n in FOUR], [PEOPLE[n][1] for n in FOUR]
    history = []
    for _ in range(epochs):
        for x, y_true in zip(xs, ys):
            loss = mse(model(x), y_true)
            opt.zero_grad()
            loss.backward()
            opt.step()
        history.append(mse([model(x) for x in xs], ys).data)
    return {n: params[n].data for n in NAMES}, history


@pytest.mark.parametrize("seed", [1, 5])
def test_training_matches_the_value_engine_trained_the_same_way(seed):
    net = doc001.OurNeuralNetwork(seed)
    engine_weights, engine_history = engine_train(net.names())
    history = net.train(doc001.DATA, doc001.ALL_Y_TRUES)
    for name in NAMES:
        assert getattr(net, name) == pytest.approx(engine_weights[name], rel=1e-9, abs=1e-9), name
    assert history == pytest.approx(engine_history, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_training_learns_the_documents_answers(seed):
    net = doc001.OurNeuralNetwork(seed)
    history = net.train(doc001.DATA, doc001.ALL_Y_TRUES)
    assert len(history) == 1000
    assert history[-1] < history[0] / 10
    assert net.feedforward(doc001.EMILY) > 0.5  # the document: 0.951, F
    assert net.feedforward(doc001.FRANK) < 0.5  # the document: 0.039, M


def test_train_echoes_the_documents_line_every_10_epochs():
    lines = []
    doc001.OurNeuralNetwork(0).train(doc001.DATA, doc001.ALL_Y_TRUES, epochs=25, echo=lines.append)
    assert [line.split(" loss")[0] for line in lines] == ["Epoch 0", "Epoch 10", "Epoch 20"]


def test_same_seed_same_network_and_no_global_rng():
    before = np.random.get_state()
    assert doc001.OurNeuralNetwork(4).names() == doc001.OurNeuralNetwork(4).names()
    after = np.random.get_state()
    assert (after[1] == before[1]).all() and after[2:] == before[2:]


def test_main_prints_the_documents_script(capsys):
    doc001.main(seed=1)
    out = capsys.readouterr().out
    assert "Epoch 990 loss:" in out
    assert "Emily:" in out and "Frank:" in out and "Steve" in out


# ------------------------------------------------------------ the reference interface

def test_interface_constants():
    assert doc001.DOCUMENT.title == "Implementing Neural Networks from Scratch"  # its first line
    assert doc001.DOCUMENT.author == ""  # the post names no author
    assert doc001.ACTIVATIONS == ["sigmoid", "sigmoid"] and doc001.LOSS == "mse"
    assert doc001.LEARNING_RATE == 0.1 and doc001.NUM_ITERATIONS == 1000
    assert isinstance(doc001.TITLE, str) and doc001.TITLE


def test_setup_draws_w1_to_b3_in_order_from_the_seed():
    parameters, X, Y = doc001.setup(seed=3)
    rng = np.random.default_rng(3)
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = (rng.normal() for _ in range(9))
    assert parameters["W1"].tolist() == [[w1, w2], [w3, w4]]
    assert parameters["b1"].tolist() == [[b1], [b2]]
    assert parameters["W2"].tolist() == [[w5, w6]]
    assert parameters["b2"].tolist() == [[b3]]
    assert X.tolist() == [[-2, 25, 17, -15], [-1, 6, 4, -6]]
    assert Y.tolist() == [[1, 0, 0, 1]]
    assert doc001.setup()[0]["W1"].tolist() == doc001.setup(seed=doc001.SEED)[0]["W1"].tolist()


@pytest.mark.parametrize("column", range(4))
def test_gradients_layout_matches_finite_differences_of_cost(column):
    parameters, X, Y = doc001.setup(seed=2)
    x, y = X[:, column : column + 1], Y[:, column : column + 1]
    grads = doc001.gradients(parameters, x, y)
    assert {k: v.shape for k, v in grads.items()} == {"dW1": (2, 2), "db1": (2, 1), "dW2": (1, 2), "db2": (1, 1)}
    h = 1e-5
    for key in ["W1", "b1", "W2", "b2"]:
        for index in np.ndindex(parameters[key].shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += h
            minus[key][index] -= h
            # cost over one sample is that sample's squared error
            numeric = (doc001.cost(plus, x, y) - doc001.cost(minus, x, y)) / (2 * h)
            assert math.isclose(grads["d" + key][index], numeric, rel_tol=1e-6, abs_tol=1e-9), (key, index)


def test_gradients_refuse_more_than_one_sample():
    parameters, X, Y = doc001.setup()
    with pytest.raises(ValueError, match="one sample"):
        doc001.gradients(parameters, X, Y)


def test_cost_at_zero_weights_is_a_quarter():
    # Every output is sigmoid(0) = 0.5, every label 0 or 1: each error is 0.25.
    zeros = doc001.layout_from_names({n: 0.0 for n in NAMES})
    _, X, Y = doc001.setup()
    assert doc001.cost(zeros, X, Y) == 0.25


def test_module_train_starts_from_a_copy_and_matches_the_engine():
    parameters, X, Y = doc001.setup(seed=6)
    before = {k: v.copy() for k, v in parameters.items()}
    final, history = doc001.train(parameters, X, Y, num_iterations=200)
    assert all((parameters[k] == before[k]).all() for k in before)
    assert len(history) == 200
    engine_weights, engine_history = engine_train(doc001.names_from_layout(before), epochs=200)
    for name, value in doc001.names_from_layout(final).items():
        assert value == pytest.approx(engine_weights[name], rel=1e-10, abs=1e-12), name
    assert history == pytest.approx(engine_history, rel=1e-10)
    assert history[-1] == pytest.approx(doc001.cost(final, X, Y), rel=1e-15)


def test_layout_helpers_round_trip_and_check():
    names = {n: float(i) for i, n in enumerate(NAMES)}
    layout = doc001.layout_from_names(names)
    assert layout["W1"].tolist() == [[0, 1], [2, 3]] and layout["W2"].tolist() == [[4, 5]]
    assert layout["b1"].tolist() == [[6], [7]] and layout["b2"].tolist() == [[8]]
    assert doc001.names_from_layout(layout) == names
    with pytest.raises(ValueError, match="w1"):
        doc001.layout_from_names({"w1": 0.0})
    with pytest.raises(ValueError, match="W1, b1, W2, b2"):
        doc001.names_from_layout({"W1": layout["W1"]})
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        doc001.names_from_layout(dict(layout, W1=np.zeros((2, 3))))
    with pytest.raises(ValueError, match=r"\(2, m\)"):
        doc001.cost(layout, np.zeros((3, 4)), np.zeros((1, 4)))
