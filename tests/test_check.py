"""Tests for micrograd_nn.check_backprop, softmax and cross_entropy.

The hand-coded gradients checked here are this file's own numpy backprop
(written out below, in document 000's style: dAL of the summed loss, the 1/m
taken in linear_backward), correct and broken in each way the checker must
name. The true gradients the checker computes are thus checked against an
independent computation, and the losses against numpy formulas and central
finite differences.
"""
import math

import numpy as np
import pytest

from micrograd_nn import Value, backward_steps, check_backprop, cross_entropy, draw_graph, softmax
from micrograd_nn.check import BackpropReport, GradientRow

# ------------------------------------------------------------ a numpy backprop


def g(name, Z):
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-Z))
    if name == "tanh":
        return np.tanh(Z)
    if name == "linear":
        return Z
    if name == "softmax":
        e = np.exp(Z - Z.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)
    raise AssertionError(name)


def g_prime(name, Z):
    if name == "relu":
        return (Z > 0).astype(float)
    if name == "sigmoid":
        s = g("sigmoid", Z)
        return s * (1 - s)
    if name == "tanh":
        return 1 - np.tanh(Z) ** 2
    if name == "linear":
        return np.ones_like(Z)
    raise AssertionError(name)


def one_hot(Y, K):
    if Y.shape[0] == K and K > 1:
        return Y
    out = np.zeros((K, Y.shape[1]))
    out[Y[0].astype(int), np.arange(Y.shape[1])] = 1.0
    return out


def backprop(parameters, X, Y, activations, loss, bug=None):
    """dW1, db1, ... of J (mean over the samples; sse: the sum), by hand.

    ``bug`` breaks it the way learners (and the documents) do.
    """
    L = len(activations)
    m = X.shape[1]
    scale = 1.0 if loss == "sse" else 1.0 / m  # J = scale * (the loss summed over the samples)
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        caches.append((A, W, Z))
        A = g(activations[l - 1], Z)
    AL, ZL = A, caches[-1][2]
    # dZ of the last layer, for the loss summed over the samples
    if loss == "cross_entropy":
        dZ = AL - one_hot(Y, AL.shape[0])
    else:
        if loss == "bce":
            dA = -(Y / AL) + (1 - Y) / (1 - AL)
        else:  # mse, sse
            dA = 2 * (AL - Y)
        if bug == "wrong_dZ_last":  # as if every loss had dZ = A - Y
            dZ = AL - Y
        elif activations[-1] == "softmax":  # dZ_j = s_j * (dA_j - sum_k dA_k s_k)
            dZ = AL * (dA - np.sum(dA * AL, axis=0, keepdims=True))
        else:
            dZ = dA * g_prime(activations[-1], ZL)
            if bug == "gz_times_z":
                dZ = dZ * ZL
    if bug == "extra_2":
        dZ = 2 * dZ
    grads = {}
    for l in range(L, 0, -1):
        A_prev, W, Z = caches[l - 1]
        s = 1.0 if bug == "no_mean" or (bug == "no_mean_last" and l == L) else scale
        grads[f"dW{l}"] = s * dZ @ A_prev.T
        grads[f"db{l}"] = s * np.sum(dZ, axis=1, keepdims=True)
        if bug == "db_not_summed":
            grads[f"db{l}"] = s * dZ
        if l > 1:
            dA_prev = W.T @ dZ
            dZ = dA_prev * g_prime(activations[l - 2], caches[l - 2][2])
            if bug == "gz_times_z":
                dZ = dZ * caches[l - 2][2]
    if bug == "sign":
        grads = {key: -value for key, value in grads.items()}
    if bug == "transpose_dW1":
        grads["dW1"] = grads["dW1"].T
    if bug == "missing_db2":
        del grads["db2"]
    if bug == "nan":
        grads["dW1"][0, 0] = np.nan
    if bug == "extra_key":
        grads["dW9"] = np.zeros((1, 1))
    return grads


def network(sizes, seed=0, m=6):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(sizes)):
        parameters[f"W{l}"] = rng.standard_normal((sizes[l], sizes[l - 1]))
        parameters[f"b{l}"] = 0.1 * rng.standard_normal((sizes[l], 1))
    X = rng.standard_normal((sizes[0], m))
    return parameters, X, rng


def binary_targets(rng, m):
    return rng.integers(0, 2, size=(1, m)).astype(float)


def check(parameters, X, Y, activations, loss, bug=None, **options):
    grads = backprop(parameters, X, Y, activations, loss, bug)
    return check_backprop(grads, parameters, X, Y, activations=activations, loss=loss, **options)


# The standard case: document 000's network shape, relu hidden, sigmoid + bce.
ACTS = ["relu", "relu", "sigmoid"]


@pytest.fixture
def doc000_like():
    parameters, X, rng = network([2, 4, 3, 1], seed=3, m=5)
    return parameters, X, binary_targets(rng, 5)


# ------------------------------------------------------------ correct backprops pass

HIDDEN = ["relu", "sigmoid", "tanh", "linear"]
OUTPUTS = [
    ("sigmoid", "bce"),
    ("sigmoid", "mse"),
    ("linear", "mse"),
    ("tanh", "sse"),
    ("relu", "sse"),
    ("linear", "sse"),
    ("softmax", "cross_entropy"),
    ("softmax", "mse"),
]


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("last,loss", OUTPUTS)
def test_correct_backprop_passes(hidden, last, loss):
    K = 3 if last == "softmax" else 1
    parameters, X, rng = network([3, 4, 2, K], seed=7)
    if loss == "cross_entropy":
        Y = rng.integers(0, K, size=(1, 6)).astype(float)
    elif last == "softmax":
        Y = one_hot(rng.integers(0, K, size=(1, 6)), K)
    elif loss == "bce":
        Y = binary_targets(rng, 6)
    else:
        Y = rng.standard_normal((1, 6))
    report = check(parameters, X, Y, [hidden, hidden, last], loss)
    assert report.ok, str(report)
    assert [row.key for row in report.rows] == ["dW1", "db1", "dW2", "db2", "dW3", "db3"]
    assert report.first_wrong_layer is None
    for row in report.rows:
        assert row.ok and row.problem == "ok" and row.diagnosis == "right"
        assert row.factor is None and row.transposed is False
        assert row.max_rel_error < 1e-9


# ------------------------------------------------------------ broken backprops, every combination

#: (bug, {key: (problem, factor)} expected for the 3-layer networks below, m = 6); a key not
#: listed must be right. "sse" has no 1/m: its no-mean bugs change nothing, and dividing by
#: m once too often is 1/m.
ALL_KEYS = ["dW1", "db1", "dW2", "db2", "dW3", "db3"]
M = 6


def expected_rows(bug, loss):
    mean = loss != "sse"
    if bug == "no_mean":
        return {key: ("factor", float(M)) for key in ALL_KEYS} if mean else {}
    if bug == "no_mean_last":
        return {key: ("factor", float(M)) for key in ("dW3", "db3")} if mean else {}
    if bug == "extra_mean":
        return {key: ("factor", 1.0 / M) for key in ALL_KEYS}
    if bug == "extra_2":
        return {key: ("factor", 2.0) for key in ALL_KEYS}
    if bug == "sign":
        return {key: ("factor", -1.0) for key in ALL_KEYS}
    if bug == "transpose_dW1":
        return {"dW1": ("transposed", None)}
    if bug == "db_not_summed":
        return {key: ("not summed", None) for key in ("db1", "db2", "db3")}
    if bug == "missing_db2":
        return {"db2": ("missing", None)}
    if bug == "nan":
        return {"dW1": ("not finite", None)}
    if bug == "extra_key":
        return {"dW9": ("extra", None)}
    raise AssertionError(bug)


BUGS = ["no_mean", "no_mean_last", "extra_mean", "extra_2", "sign", "transpose_dW1",
        "db_not_summed", "missing_db2", "nan", "extra_key"]
COMBINATIONS = OUTPUTS + [("sigmoid", "sse"), ("tanh", "mse"), ("relu", "mse"), ("softmax", "sse")]


def combination(hidden, last, loss, seed=7):
    """A [3, 4, 2, K] network, m = 6, whose outputs are all alive (a relu output gets b3 = 3)."""
    K = 3 if last == "softmax" else 1
    parameters, X, rng = network([3, 4, 2, K], seed=seed, m=M)
    if last == "relu":
        parameters["b3"] = np.full((K, 1), 3.0)
    if loss == "cross_entropy":
        Y = rng.integers(0, K, size=(1, M)).astype(float)
    elif last == "softmax":
        Y = one_hot(rng.integers(0, K, size=(1, M)), K)
    elif loss == "bce":
        Y = binary_targets(rng, M)
    else:
        Y = rng.standard_normal((1, M))
    return parameters, X, Y, [hidden, hidden, last]


@pytest.mark.parametrize("bug", BUGS)
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("last,loss", COMBINATIONS)
def test_every_broken_backprop_is_named_in_every_combination(hidden, last, loss, bug):
    """This file's numpy backprop, broken one way, for every activation x loss: the rows
    the checker fails are exactly the broken keys, with the fault and the factor."""
    parameters, X, Y, activations = combination(hidden, last, loss)
    if bug == "extra_mean":
        grads = {k: v / M for k, v in backprop(parameters, X, Y, activations, loss).items()}
    else:
        grads = backprop(parameters, X, Y, activations, loss, bug)
    report = check_backprop(grads, parameters, X, Y, activations=activations, loss=loss)
    expected = expected_rows(bug, loss)
    got = {row.key: (row.problem, row.factor) for row in report.rows if not row.ok}
    assert got == expected, str(report)
    assert report.ok == (not expected)
    layers = [int(key[2:]) for key in expected if key != "dW9"]
    assert report.first_wrong_layer == (max(layers) if layers else None)
    if bug == "transpose_dW1":
        assert report["dW1"].transposed is True
    for key in expected:
        assert report[key].diagnosis != "right"


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("last,loss", COMBINATIONS)
def test_a_wrong_last_dZ_reaches_every_layer_in_every_combination(hidden, last, loss):
    """g'(z) * z in every layer (document 000's slip), or dZ = A - Y for a loss it is not
    right for: the last layer is the first wrong one, and the ones under it wrong too."""
    parameters, X, Y, activations = combination(hidden, last, loss)
    for bug in ("gz_times_z", "wrong_dZ_last"):
        grads = backprop(parameters, X, Y, activations, loss, bug)
        report = check_backprop(grads, parameters, X, Y, activations=activations, loss=loss)
        right_anyway = (  # dZ = A - Y is the right dZ of these; softmax's dZ has no g'(z)
            bug == "wrong_dZ_last" and (last, loss) in {("sigmoid", "bce"),
                                                       ("softmax", "cross_entropy")}
        )
        if right_anyway:
            assert report.ok, str(report)
            continue
        first = 2 if bug == "gz_times_z" and last == "softmax" else 3
        assert report.first_wrong_layer == first, str(report)
        assert report.cascade, str(report)
        assert {row.layer for row in report.rows if not row.ok} == set(range(1, first + 1))


def test_cross_entropy_takes_one_hot_targets_too():
    parameters, X, rng = network([2, 3, 4], seed=2)
    classes = rng.integers(0, 4, size=(1, 6)).astype(float)
    acts = ["tanh", "softmax"]
    by_index = check(parameters, X, classes, acts, "cross_entropy")
    by_one_hot = check(parameters, X, one_hot(classes, 4), acts, "cross_entropy")
    assert by_index.ok and by_one_hot.ok
    for a, b in zip(by_index.rows, by_one_hot.rows):
        np.testing.assert_array_equal(a.true, b.true)


def test_document_000_multiclass_line_wrong_and_the_right_one_right():
    """Document 000: dJ/da[L] = (1/m) * (1/(1 - a[L]) * Y) is wrong; dZ = (a - y) / m is right."""
    parameters, X, rng = network([2, 3, 3], seed=5)
    Y = one_hot(rng.integers(0, 3, size=(1, 6)), 3)
    m = X.shape[1]
    A1 = np.maximum(parameters["W1"] @ X + parameters["b1"], 0)
    AL = g("softmax", parameters["W2"] @ A1 + parameters["b2"])

    def grads_from(dZ2):
        dZ1 = (parameters["W2"].T @ dZ2) * (parameters["W1"] @ X + parameters["b1"] > 0)
        return {"dW1": dZ1 @ X.T, "db1": dZ1.sum(axis=1, keepdims=True),
                "dW2": dZ2 @ A1.T, "db2": dZ2.sum(axis=1, keepdims=True)}

    options = dict(activations=["relu", "softmax"], loss="cross_entropy")
    right = check_backprop(grads_from((AL - Y) / m), parameters, X, Y, **options)
    assert right.ok, str(right)
    dAL = (1 / m) * (1 / (1 - AL) * Y)                       # the document's line
    dZ2 = AL * (dAL - np.sum(dAL * AL, axis=0, keepdims=True))  # through the softmax
    wrong = check_backprop(grads_from(dZ2), parameters, X, Y, **options)
    assert not wrong.ok
    assert wrong.first_wrong_layer == 2 and wrong.cascade
    assert wrong.wrong == ["dW1", "db1", "dW2", "db2"]


def test_a_dict_and_a_function_give_the_same_report(doc000_like):
    parameters, X, Y = doc000_like
    as_dict = check(parameters, X, Y, ACTS, "bce", bug="extra_2")
    as_function = check_backprop(
        lambda p, x, y: backprop(p, x, y, ACTS, "bce", "extra_2"),
        parameters, X, Y, activations=ACTS, loss="bce",
    )
    assert str(as_dict) == str(as_function)


def test_the_function_gets_copies(doc000_like):
    parameters, X, Y = doc000_like
    before = {k: v.copy() for k, v in parameters.items()}

    def vandal(p, x, y):
        grads = backprop(p, x, y, ACTS, "bce")
        for value in (*p.values(), x, y):
            value *= 0.0
        return grads

    assert check_backprop(vandal, parameters, X, Y, activations=ACTS, loss="bce").ok
    for key in before:
        np.testing.assert_array_equal(parameters[key], before[key])


def test_true_gradients_are_the_numpy_backprop_to_1e_12(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce")
    mine = backprop(parameters, X, Y, ACTS, "bce")
    for row in report.rows:
        np.testing.assert_allclose(row.true, mine[row.key], rtol=1e-12, atol=1e-15)


def test_true_gradients_are_finite_differences(doc000_like):
    parameters, X, Y = doc000_like

    def J(p):
        A = X
        for l, act in enumerate(ACTS, start=1):
            A = g(act, p[f"W{l}"] @ A + p[f"b{l}"])
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))

    report = check_backprop({}, parameters, X, Y, activations=ACTS, loss="bce")
    h = 1e-6
    for row in report.rows:
        name = row.key[1:]
        for index in np.ndindex(row.true.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[name][index] += h
            minus[name][index] -= h
            numeric = (J(plus) - J(minus)) / (2 * h)
            assert row.true[index] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


# ------------------------------------------------------------ broken backprops, diagnosed


def test_missing_1_over_m_everywhere(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="no_mean")
    assert not report.ok
    for row in report.rows:
        assert row.problem == "factor" and row.factor == 5.0  # m = 5
        assert "the 1/m is missing" in row.diagnosis
    assert report.first_wrong_layer == 3 and report.cascade


def test_missing_1_over_m_in_the_last_layer_only(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="no_mean_last")
    assert report.wrong == ["dW3", "db3"]
    assert report["dW3"].factor == report["db3"].factor == 5.0
    assert report.first_wrong_layer == 3 and not report.cascade
    assert "first wrong layer: 3" in str(report)


def test_a_wrong_dW_line_alone_is_not_blamed_for_the_layers_under_it(doc000_like):
    # every dW without its 1/m, every db right: three independent faults, no cascade
    parameters, X, Y = doc000_like
    grads = backprop(parameters, X, Y, ACTS, "bce")
    for l in (1, 2, 3):
        grads[f"dW{l}"] = 5 * grads[f"dW{l}"]
    report = check_backprop(grads, parameters, X, Y, activations=ACTS, loss="bce")
    assert report.wrong == ["dW1", "dW2", "dW3"] and report.first_wrong_layer == 3
    assert not report.reaches_below(3) and not report.cascade
    assert "fix layer" not in str(report)
    assert str(report).splitlines()[-1].endswith("first wrong layer: 3")


def test_faults_of_arrangement_under_a_wrong_layer_are_not_a_cascade(doc000_like):
    parameters, X, Y = doc000_like
    grads = backprop(parameters, X, Y, ACTS, "bce", "extra_2")
    for key in ("dW1", "db1", "dW2", "db2"):
        grads[key] = backprop(parameters, X, Y, ACTS, "bce")[key]
    grads["dW1"] = grads["dW1"].T  # layer 1: right numbers, transposed
    report = check_backprop(grads, parameters, X, Y, activations=ACTS, loss="bce")
    assert report.wrong == ["dW1", "dW3", "db3"] and report.reaches_below(3)
    assert not report.cascade  # layer 2 is right, layer 1 only transposed
    assert "fix layer" not in report["dW1"].diagnosis


def test_extra_factor_2(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="extra_2")
    assert [row.factor for row in report.rows] == [2.0] * 6
    assert all("extra factor 2" in row.diagnosis for row in report.rows)
    assert report.first_wrong_layer == 3 and report.cascade
    # the layers under the first wrong one say where to look
    assert "fix layer 3 first" in report["dW1"].diagnosis
    assert "fix layer 3 first" not in report["dW3"].diagnosis


def test_flipped_sign(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="sign")
    assert [row.factor for row in report.rows] == [-1.0] * 6
    assert all("sign flipped" in row.diagnosis for row in report.rows)


def test_factor_is_robust_to_true_zeros():
    # a dead ReLU unit: its row of dW2 and its entry of db2 are exactly 0
    parameters, X, rng = network([2, 3, 3, 1], seed=1)
    parameters["b2"][1, 0] = -100.0
    Y = binary_targets(rng, 6)
    report = check(parameters, X, Y, ACTS, "bce", bug="extra_2")
    assert np.all(report["dW2"].true[1] == 0.0) and report["db2"].true[1, 0] == 0.0
    assert report["dW2"].factor == report["db2"].factor == 2.0
    # a given that is 2x where true is nonzero but not 0 where true is 0 is no factor
    grads = backprop(parameters, X, Y, ACTS, "bce", "extra_2")
    grads["db2"][1, 0] = 0.5
    report = check_backprop(grads, parameters, X, Y, activations=ACTS, loss="bce")
    assert report["db2"].factor is None and report["db2"].problem == "values"
    assert report["db2"].index == (1, 0)


def test_transposed_dW(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="transpose_dW1")
    row = report["dW1"]
    assert report.wrong == ["dW1"]
    assert row.transposed and row.problem == "transposed" and row.factor is None
    assert row.shape == (2, 4) and row.expected_shape == (4, 2)
    assert "transposed" in row.diagnosis and "dZ @ A_prev.T" in row.diagnosis
    assert row.max_abs_error is None and row.index is None


def test_the_report_is_a_list_of_rows_and_a_dict_by_key(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="missing_db2")
    keys = ["dW1", "db1", "dW2", "db2", "dW3", "db3"]
    assert [row.key for row in report] == keys and len(report) == 6
    assert report[0] is report["dW1"] and report[-1].key == "db3"
    assert "db2" in report and "dW9" not in report and 0 not in report
    assert [row.key for row in report if not row.ok] == ["db2"]
    with pytest.raises(KeyError, match="no row 'dW9'; the rows are dW1, db1"):
        report["dW9"]
    with pytest.raises(IndexError, match="row 6 of 6"):
        report[6]
    assert report[np.int64(0)] is report["dW1"] and report[np.int32(-1)].key == "db3"
    with pytest.raises(KeyError):
        report[True]  # a bool is no position


def test_transposed_db_names_the_db_line(doc000_like):
    """A db as a row (n,) -> (1, n): its hint is the db line, not dW's."""
    parameters, X, Y = doc000_like
    grads = backprop(parameters, X, Y, ACTS, "bce")
    grads["db1"] = grads["db1"].T
    report = check_backprop(grads, parameters, X, Y, activations=ACTS, loss="bce")
    row = report["db1"]
    assert report.wrong == ["db1"] and row.transposed and row.problem == "transposed"
    assert "np.sum(dZ, axis=1, keepdims=True)" in row.diagnosis
    assert "A_prev" not in row.diagnosis


def test_transposed_square_dW_and_a_factor():
    parameters, X, rng = network([3, 3, 1], seed=4)
    Y = binary_targets(rng, 6)
    acts = ["tanh", "sigmoid"]
    grads = backprop(parameters, X, Y, acts, "bce")
    grads["dW1"] = grads["dW1"].T
    report = check_backprop(grads, parameters, X, Y, activations=acts, loss="bce")
    assert report["dW1"].transposed and report["dW1"].factor is None
    grads["dW1"] = 6 * grads["dW1"]
    report = check_backprop(grads, parameters, X, Y, activations=acts, loss="bce")
    assert report["dW1"].transposed and report["dW1"].factor == 6.0
    assert "m = 6 times" in report["dW1"].diagnosis


def test_db_not_summed_over_the_samples(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="db_not_summed")
    assert report.wrong == ["db1", "db2", "db3"]
    for key, n in (("db1", 4), ("db2", 3), ("db3", 1)):
        row = report[key]
        assert row.shape == (n, 5) and row.expected_shape == (n, 1)
        assert row.problem == "not summed" and "not summed over the samples" in row.diagnosis
        assert "summed, it is right" in row.diagnosis and row.values_right
        # the sum alone is right: sum it, and no "/ m" in the advice
        hint = f"(sum it: np.sum({key}, axis=1, keepdims=True)); summed, it is right"
        assert hint in row.diagnosis
        assert "/ m" not in row.diagnosis
    # a db kept unsummed is a fault of its own row: the layers under it are not blamed on it
    assert "fix layer" not in report["db1"].diagnosis


def test_db_neither_summed_nor_divided_by_m(doc000_like):
    parameters, X, Y = doc000_like
    grads = backprop(parameters, X, Y, ACTS, "bce")
    A = X
    for l, act in enumerate(ACTS, start=1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A = g(act, Z)
    dZ3 = A - Y  # sigmoid + bce, summed over the samples: db3 = mean of it over the samples
    grads["db3"] = dZ3
    row = check_backprop(grads, parameters, X, Y, activations=ACTS, loss="bce")["db3"]
    assert row.problem == "not summed" and row.factor == 5.0
    assert "summed, it is m = 5 times the true gradient: the 1/m is missing" in row.diagnosis
    assert "(sum it: np.sum(db3, axis=1, keepdims=True)); summed, it is m = 5" in row.diagnosis
    assert "/ m)" not in row.diagnosis  # the factor's words say what is off
    grads["db3"] = 3.0 * dZ3  # summed, 15 times the true one: no factor named
    row = check_backprop(grads, parameters, X, Y, activations=ACTS, loss="bce")["db3"]
    assert row.problem == "not summed" and row.factor is None
    hint = "(db = np.sum(dZ, axis=1, keepdims=True) / m); summed, it is still wrong"
    assert hint in row.diagnosis


def test_all_zeros_and_single_entries():
    parameters, X, rng = network([2, 3, 1], seed=2)
    Y = binary_targets(rng, 6)
    acts = ["tanh", "sigmoid"]
    grads = backprop(parameters, X, Y, acts, "bce")
    true_db2 = float(grads["db2"][0, 0])
    grads["dW1"] = np.zeros((3, 2))
    grads["db2"] = np.array([[2.39 * true_db2]])   # one entry: any number is some multiple
    grads["dW2"] = float("nan") * grads["dW2"]
    report = check_backprop(grads, parameters, X, Y, activations=acts, loss="bce")
    assert report["dW1"].factor == 0.0 and "all zeros" in report["dW1"].diagnosis
    assert report["db2"].factor is None and report["db2"].problem == "values"
    assert "NaN (3 of 3 entries" in report["dW2"].diagnosis
    grads = backprop(parameters, X, Y, acts, "bce")
    grads["db2"] = -grads["db2"]                     # ... but a round one is named
    assert check_backprop(grads, parameters, X, Y, activations=acts, loss="bce")["db2"].factor == -1.0
    grads["db2"] = -float(grads["db2"][0, 0])        # a float for a (1, 1) array: a shape fault
    row = check_backprop(grads, parameters, X, Y, activations=acts, loss="bce")["db2"]
    assert row.problem == "shape" and row.shape == () and "the values are right" in row.diagnosis


def test_db_without_keepdims():
    parameters, X, rng = network([2, 3, 1], seed=1)
    Y = binary_targets(rng, 6)
    acts = ["relu", "sigmoid"]
    grads = backprop(parameters, X, Y, acts, "bce")
    grads["db1"] = grads["db1"].ravel()
    report = check_backprop(grads, parameters, X, Y, activations=acts, loss="bce")
    assert report.wrong == ["db1"]
    assert report["db1"].problem == "shape" and "keepdims" in report["db1"].diagnosis


def test_a_wrong_dZ_in_the_last_layer_makes_every_layer_wrong():
    parameters, X, rng = network([2, 4, 3, 1], seed=3)
    Y = rng.standard_normal((1, 6))
    acts = ["tanh", "tanh", "sigmoid"]
    report = check(parameters, X, Y, acts, "mse", bug="wrong_dZ_last")
    assert report.wrong == ["dW1", "db1", "dW2", "db2", "dW3", "db3"]
    assert report.first_wrong_layer == 3 and report.cascade
    assert all(row.problem == "values" for row in report.rows)
    assert "first wrong layer: 3 (every layer under it is wrong too" in str(report)


def test_g_prime_times_z_instead_of_g_prime(doc000_like):
    """Document 000's derivation erratum: da/dz = g'(z) * z."""
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="gz_times_z")
    assert not report.ok and report.first_wrong_layer == 3 and report.cascade
    assert report["dW3"].problem == "values"
    assert "given" in report["dW3"].diagnosis and "true" in report["dW3"].diagnosis


def test_missing_key(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="missing_db2")
    row = report["db2"]
    assert report.wrong == ["db2"] and report.first_wrong_layer == 2
    assert row.problem == "missing" and not row.ok and row.given is None
    assert "missing" in row.diagnosis and "(3, 1)" in row.diagnosis


def test_nan(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="nan")
    row = report["dW1"]
    assert report.wrong == ["dW1"] and row.problem == "not finite"
    assert "NaN" in row.diagnosis and "[0, 0]" in row.diagnosis
    assert row.max_abs_error == math.inf and row.index == (0, 0)


def test_extra_key_and_ignored_caches(doc000_like):
    parameters, X, Y = doc000_like
    grads = backprop(parameters, X, Y, ACTS, "bce", "extra_key")
    grads["dA0"] = np.zeros_like(X)  # document 000's grads hold dA caches: not checked
    report = check_backprop(grads, parameters, X, Y, activations=ACTS, loss="bce")
    assert report.wrong == ["dW9"] and report["dW9"].problem == "extra"
    assert report["dW9"].layer is None and report.first_wrong_layer is None
    assert "no dW9" in report["dW9"].diagnosis
    assert report.ignored == ["dA0"] and "not checked: dA0" in str(report)
    right = backprop(parameters, X, Y, ACTS, "bce")
    for cache in ("dA_prev", "dZ_1", "dA0", "dZ3", "dAL"):  # every key starting dA or dZ
        report = check_backprop({**right, cache: np.zeros(1)}, parameters, X, Y,
                                activations=ACTS, loss="bce")
        assert report.ok and report.ignored == [cache]


def test_a_gradient_under_the_wrong_key():
    """Document 004's second article stores the last layer's grads under L-1."""
    parameters, X, rng = network([2, 3, 1], seed=0)
    Y = binary_targets(rng, 6)
    acts = ["sigmoid", "sigmoid"]
    right = backprop(parameters, X, Y, acts, "bce")
    as_printed = {"dW1": right["dW2"], "db1": right["db2"]}  # layer 2's, under 1 ...
    report = check_backprop(as_printed, parameters, X, Y, activations=acts, loss="bce")
    assert "it is the true dW2: stored under the wrong key?" in report["dW1"].diagnosis
    assert "it is the true db2" in report["db1"].diagnosis
    assert report["dW2"].problem == report["db2"].problem == "missing"
    swapped = {**right, "dW9": right["dW1"]}
    assert "it is the true dW1" in check_backprop(
        swapped, parameters, X, Y, activations=acts, loss="bce")["dW9"].diagnosis


def test_not_numbers_is_a_row():
    parameters, X, rng = network([2, 1], seed=0)
    Y = binary_targets(rng, 6)
    grads = {"dW1": None, "db1": "zero"}
    report = check_backprop(grads, parameters, X, Y, activations=["sigmoid"], loss="bce")
    assert [row.problem for row in report.rows] == ["not numbers", "not numbers"]


def test_network_without_biases_sse():
    """Document 004's first article: no b keys, the sum of squares, and its negative gradient."""
    rng = np.random.default_rng(0)
    parameters = {"W1": rng.random((4, 3)), "W2": rng.random((1, 4))}
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float).T
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    A1 = g("sigmoid", parameters["W1"] @ X)
    A2 = g("sigmoid", parameters["W2"] @ A1)
    d2 = 2 * (Y - A2) * A2 * (1 - A2)         # the article's, the negative gradient
    d1 = (parameters["W2"].T @ d2) * A1 * (1 - A1)
    as_printed = {"dW1": d1 @ X.T, "dW2": d2 @ A1.T}
    options = dict(activations=["sigmoid", "sigmoid"], loss="sse")
    report = check_backprop(as_printed, parameters, X, Y, **options)
    assert [row.key for row in report.rows] == ["dW1", "dW2"]
    assert [row.factor for row in report.rows] == [-1.0, -1.0]
    fixed = {key: -value for key, value in as_printed.items()}
    assert check_backprop(fixed, parameters, X, Y, **options).ok
    extra = check_backprop({**fixed, "db1": np.zeros((4, 1))}, parameters, X, Y, **options)
    assert extra.wrong == ["db1"] and "no biases" in extra["db1"].diagnosis


# ------------------------------------------------------------ tolerance


def test_tolerance_parameter(doc000_like):
    parameters, X, Y = doc000_like
    grads = backprop(parameters, X, Y, ACTS, "bce")
    noisy = {key: value * (1 + 1e-5) for key, value in grads.items()}
    options = dict(activations=ACTS, loss="bce")
    assert not check_backprop(noisy, parameters, X, Y, **options).ok          # rtol 1e-7
    assert check_backprop(noisy, parameters, X, Y, rtol=1e-4, **options).ok
    tiny = {key: value * (1 + 1e-9) for key, value in grads.items()}
    assert check_backprop(tiny, parameters, X, Y, **options).ok
    assert not check_backprop(tiny, parameters, X, Y, rtol=1e-11, **options).ok
    report = check_backprop(noisy, parameters, X, Y, **options)
    assert "rtol 1e-07" in str(report)
    assert report["dW1"].factor == pytest.approx(1 + 1e-5, rel=1e-12)
    # an absolute tolerance covers everything below it
    assert check_backprop(noisy, parameters, X, Y, rtol=0.0, atol=1.0, **options).ok


# ------------------------------------------------------------ the report


def test_report_table(doc000_like):
    parameters, X, Y = doc000_like
    report = check(parameters, X, Y, ACTS, "bce", bug="no_mean_last")
    text = str(report)
    lines = text.splitlines()
    assert lines[0].split() == ["key", "shape", "ok", "max", "abs", "err", "max", "rel", "err",
                                "worst", "diagnosis"]
    assert lines[1].startswith("dW1  (4, 2)  ok")
    assert "dW3  (1, 3)  WRONG" in text and "m = 5 times the true gradient" in text
    assert lines[-1] == "2 of 6 gradients wrong (rtol 1e-07, m = 5); first wrong layer: 3"
    assert isinstance(report, BackpropReport) and isinstance(report.rows[0], GradientRow)
    with pytest.raises(KeyError, match="dW1, db1"):
        report["dW7"]


# ------------------------------------------------------------ bad input


@pytest.fixture
def good():
    parameters, X, rng = network([2, 3, 1], seed=0)
    return dict(grads={}, parameters=parameters, X=X, Y=binary_targets(rng, 6),
                activations=["relu", "sigmoid"], loss="bce")


def call(arguments, **changes):
    arguments = {**arguments, **changes}
    grads = arguments.pop("grads")
    parameters, X, Y = arguments.pop("parameters"), arguments.pop("X"), arguments.pop("Y")
    return check_backprop(grads, parameters, X, Y, **arguments)


@pytest.mark.parametrize("changes,error,match", [
    (dict(loss="hinge"), ValueError,
     "^check_backprop: unknown loss 'hinge'; choose one of: bce, mse, sse, cross_entropy"),
    (dict(activations=["relu", "gelu"]), ValueError,
     "^check_backprop: unknown activation of layer 2 'gelu'"),
    (dict(loss=None), TypeError, "^check_backprop: loss must be a name"),
    (dict(activations=["relu"]), ValueError, "1 activation for 2 layers"),
    (dict(activations="relu"), TypeError, "one name per layer"),
    (dict(activations=["softmax", "sigmoid"]), ValueError, "softmax is for the last layer only"),
    (dict(loss="cross_entropy"), ValueError, "needs a softmax last layer"),
    (dict(X=np.zeros((3, 6))), ValueError, r"X has shape \(3, 6\), expected \(2, m\)"),
    (dict(X=np.full((2, 6), np.nan)), ValueError, "X holds nan"),
    (dict(X=np.zeros((2, 0)), Y=np.zeros((1, 0))), ValueError,
     r"X has shape \(2, 0\): no samples; pass at least one column"),
    (dict(X="data"), TypeError, "X must be an array of numbers"),
    (dict(Y=np.zeros(6)), ValueError, r"Y has shape \(6,\), expected \(1, 6\).*reshape"),
    (dict(Y=np.full((1, 6), 2.0)), ValueError, r"must lie in \[0, 1\]"),
    (dict(rtol=-1.0), ValueError, "rtol must lie in"),
    (dict(grads=[1, 2]), TypeError, "grads is a list; it must be a dict"),
    (dict(grads=lambda p, x, y: None), TypeError, "the grads function returned a NoneType"),
])
def test_bad_input(good, changes, error, match):
    with pytest.raises(error, match=match):
        call(good, **changes)


def test_bad_parameters(good):
    parameters = good["parameters"]
    with pytest.raises(ValueError, match="check_backprop: parameters: missing 'b2'"):
        call(good, parameters={k: v for k, v in parameters.items() if k != "b2"})
    with pytest.raises(ValueError, match=r"'W2' has shape \(1, 4\), expected \(1, 3\)"):
        call(good, parameters={**parameters, "W2": np.zeros((1, 4))})
    with pytest.raises(ValueError, match="non-finite"):
        call(good, parameters={**parameters, "W1": np.full((3, 2), np.inf)})
    with pytest.raises(TypeError, match="check_backprop: parameters: they must be a dict"):
        call(good, parameters=[1, 2])


def test_bad_cross_entropy_targets():
    parameters, X, rng = network([2, 3], seed=0)
    options = dict(activations=["softmax"], loss="cross_entropy")
    with pytest.raises(ValueError, match="class indices, whole numbers from 0 to 2"):
        check_backprop({}, parameters, X, np.full((1, 6), 3.0), **options)
    with pytest.raises(ValueError, match="must be one-hot"):
        check_backprop({}, parameters, X, np.full((3, 6), 0.5), **options)
    with pytest.raises(ValueError, match=r"\(1, 6\), or one-hot columns, shape \(3, 6\)"):
        check_backprop({}, parameters, X, np.zeros((2, 6)), **options)


def test_a_grads_function_that_raises_is_not_caught(good):
    def broken(parameters, X, Y):
        raise KeyError("W0")

    with pytest.raises(KeyError, match="W0"):
        call(good, grads=broken)


# ------------------------------------------------------------ softmax and cross_entropy


def np_softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def test_softmax_is_numpy_softmax_and_its_jacobian():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    for k in range(4):
        values = [Value(float(x)) for x in z]
        out = softmax(values)
        np.testing.assert_allclose([o.data for o in out], np_softmax(z), rtol=1e-15)
        out[k].backward()
        s = np_softmax(z)
        jacobian_row = s[k] * ((np.arange(4) == k) - s)  # d s_k / d z_j = s_k (delta_kj - s_j)
        np.testing.assert_allclose([v.grad for v in values], jacobian_row, rtol=1e-12, atol=1e-16)


def test_cross_entropy_is_numpy_and_finite_differences():
    z = np.array([0.5, -0.25, 1.75])
    for t in range(3):
        values = [Value(float(x)) for x in z]
        L = cross_entropy(values, t)
        assert L.data == pytest.approx(-math.log(np_softmax(z)[t]), rel=1e-14)
        L.backward()
        np.testing.assert_allclose([v.grad for v in values], np_softmax(z) - (np.arange(3) == t),
                                   rtol=1e-12, atol=1e-16)
        h = 1e-6
        for j in range(3):
            plus, minus = z.copy(), z.copy()
            plus[j] += h
            minus[j] -= h
            numeric = (cross_entropy(list(plus), t).data - cross_entropy(list(minus), t).data) / (2 * h)
            assert values[j].grad == pytest.approx(numeric, rel=1e-6, abs=1e-10)


def test_large_logits_stay_finite():
    rng = np.random.default_rng(0)
    z = rng.standard_normal(1000) * 1000.0  # exp of these overflows a float
    t = 17
    values = [Value(float(x)) for x in z]
    L = cross_entropy(values, t)
    L.backward()
    shifted = z - z.max()
    expected = math.log(np.sum(np.exp(shifted))) - shifted[t]
    assert math.isfinite(L.data) and L.data == pytest.approx(expected, rel=1e-12)
    grads = np.array([v.grad for v in values])
    assert np.all(np.isfinite(grads)) and grads.sum() == pytest.approx(0.0, abs=1e-12)
    probabilities = softmax([Value(float(x)) for x in z])
    assert all(math.isfinite(p.data) for p in probabilities)
    assert sum(p.data for p in probabilities) == pytest.approx(1.0, rel=1e-12)
    # 1000 logits of 1000 apart: the loss of the worst class is about 999 * 1000, exactly
    values = [Value(1000.0 * k) for k in range(1000)]
    assert cross_entropy(values, 0).data == pytest.approx(999_000.0, rel=1e-15)


def test_batched_cross_entropy_is_the_mean_of_the_examples():
    rng = np.random.default_rng(1)
    Z = rng.standard_normal((3, 5))  # 3 classes, 5 examples
    targets = [0, 2, 1, 1, 0]
    batched = [Value.batch(row) for row in Z]
    L = cross_entropy(batched, targets)
    L.backward()
    S = np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0)
    expected = -np.mean(np.log(S[targets, np.arange(5)]))
    assert L.data == pytest.approx(expected, rel=1e-14)
    dZ = (S - one_hot(np.array([targets]), 3)) / 5  # dZ = (a - y) / m
    np.testing.assert_allclose(np.array([v.grad for v in batched]), dZ, rtol=1e-12, atol=1e-16)
    # batched softmax, entry by entry
    np.testing.assert_allclose(np.array([p.data for p in softmax(batched)]), S, rtol=1e-14)


def test_softmax_of_numbers_and_of_one_value():
    assert [p.data for p in softmax([0.0, 0.0])] == [0.5, 0.5]
    z = Value(-3.0)
    (p,) = softmax([z])  # legal math: one class has probability 1, whatever its score
    p.backward()
    assert p.data == 1.0 and z.grad == 0.0
    # one logit's loss would be 0 with gradient 0, silently: refused
    with pytest.raises(ValueError, match=r"cross_entropy: 1 logit, but it needs one per class, "
                       r"at least 2 .* use a sigmoid and binary_cross_entropy"):
        cross_entropy([Value(7.0)], 0)


def test_softmax_and_cross_entropy_graphs_read_as_written():
    z = [Value(1.0, label="z1"), Value(2.0, label="z2")]
    L = cross_entropy(z, 1)
    ops = [node.op for node in L.topological_order(leaves=False)]
    assert ops == ["-", "exp", "-", "exp", "sum", "log", "-"]
    assert [n.label for n in L.topological_order() if n.is_leaf] == ["z1", "max", "z2"]
    assert "max" in draw_graph(L).source
    steps = list(backward_steps(L))
    assert len(steps) == len(L.topological_order()) and steps[0].node is L
    # stepping leaves the grads backward() gives: softmax(z) - one_hot(1)
    s1 = math.exp(1.0) / (math.exp(1.0) + math.exp(2.0))
    assert z[0].grad == pytest.approx(s1, rel=1e-14) and z[1].grad == pytest.approx(-s1, rel=1e-14)
    assert "z1" in str(steps[-1]) or any("z1" in str(step) for step in steps)
    s = softmax([Value(1.0), Value(2.0)])
    assert [node.op for node in s[0].topological_order(leaves=False)][-1] == "/"


@pytest.mark.parametrize("call,error,match", [
    (lambda: softmax(Value(1.0)), TypeError, "pass a list"),
    (lambda: softmax([]), ValueError, "no logits"),
    (lambda: softmax([Value(float("nan"))]), ValueError, "logit 0 is nan"),
    (lambda: cross_entropy([Value(1.0), Value(2.0)], 2), ValueError, "from 0 to 1"),
    (lambda: cross_entropy([Value(1.0)], 1), ValueError, "1 logit, but it needs one per class"),
    (lambda: cross_entropy([Value.batch([1.0, 2.0])], [0, 1]), ValueError, "at least 2"),
    (lambda: cross_entropy([Value.batch([1.0, 2.0])] * 2, [0, 2]), ValueError,
     r"target 1 is 2, not a class index; with 2 logits each target"),
    (lambda: cross_entropy([Value(1.0), Value(2.0)], 0.5), ValueError, "not a class index"),
    (lambda: cross_entropy([Value(1.0), Value(2.0)], True), TypeError, "class index"),
    (lambda: cross_entropy([Value(1.0), Value(2.0)], Value(1.0)), TypeError, "not a Value"),
    (lambda: cross_entropy([Value.batch([1.0, 2.0])] * 2, [0, 0, 0]), ValueError,
     "2 examples but 3 targets"),
    (lambda: cross_entropy([Value.batch([1.0, 2.0]), Value.batch([1.0])], [0]), ValueError, "different lengths"),
])
def test_softmax_and_cross_entropy_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


#: (m, factor, words the diagnosis must hold, words it must not): the first reading is the
#: one without m; where a reading with m is the same number, it is said after it.
FACTOR_WORDS = [
    (1, -1.0, ["sign flipped (factor -1)"], ["/m", "1/m", "divided by m"]),
    (1, 2.0, ["an extra factor 2"], ["2/m", "1/m", "2m"]),
    (1, 0.5, ["half", "a factor 2 missing"], ["1/m", "2/m"]),
    (1, -2.0, ["-2 times", "sign flipped and an extra factor 2"], ["m ="]),
    (2, 2.0, ["an extra factor 2", "or, with m = 2, the 1/m missing"], ["2/m"]),
    (2, 0.5, ["half", "a factor 2 missing", "or, with m = 2, divided by m once too often"], []),
    (2, -2.0, ["-2 times", "or, with m = 2, the 1/m missing and the sign flipped"], []),
    (2, 4.0, ["2m = 4 times", "the 1/m missing and an extra factor 2"], ["or,"]),
    (4, 0.5, ["half", "or, with m = 4, an extra factor 2 and an extra 1/m"], []),
    (4, 4.0, ["m = 4 times", "the 1/m is missing"], ["or,"]),
    (4, 0.25, ["1/m = 1/4 times", "divided by m once too often"], ["or,"]),
    (4, -1.0, ["sign flipped (factor -1)"], ["1/m", "or,"]),
    (4, 2.0, ["2 times", "an extra factor 2"], ["1/m", "or,"]),
    (1000, 1000.0, ["m = 1000 times", "the 1/m is missing"], ["or,"]),
    (1000, 0.001, ["1/m = 1/1000 times"], ["or,"]),
    (1000, 0.002, ["2/m times", "an extra factor 2 and an extra 1/m"], ["or,"]),
    (1000, -0.001, ["-1/m times", "sign flipped and divided by m"], ["or,"]),
    (1000, 2000.0, ["2m = 2000 times"], ["or,"]),
    (1000, 0.5, ["half"], ["1/m", "or,"]),
    (1000, -1.0, ["sign flipped (factor -1)"], ["1/m", "or,"]),
]


@pytest.mark.parametrize("m, factor, said, unsaid", FACTOR_WORDS)
def test_a_factors_words_prefer_the_reading_without_m_and_say_both_where_they_meet(
        m, factor, said, unsaid):
    import numpy as np

    rng = np.random.default_rng(m)
    parameters = {"W1": rng.normal(size=(1, 2)), "b1": rng.normal(size=(1, 1))}
    X = rng.normal(size=(2, m))
    Y = (rng.random(size=(1, m)) > 0.5).astype(float)
    Y[0, 0], Y[0, -1] = 0.0, 1.0  # both classes, whatever m is
    Z = parameters["W1"] @ X + parameters["b1"]  # dL/dZ of the mean BCE of a sigmoid: (A - Y) / m
    dZ = (1.0 / (1.0 + np.exp(-Z)) - Y) / m
    grads = {"dW1": factor * (dZ @ X.T), "db1": factor * dZ.sum(axis=1, keepdims=True)}
    report = check_backprop(grads, parameters, X, Y, activations=["sigmoid"], loss="bce")
    for row in report.rows:
        assert row.factor == pytest.approx(factor, rel=1e-9)
        for words in said:
            assert words in row.diagnosis, (m, factor, row.diagnosis)
        for words in unsaid:
            assert words not in row.diagnosis, (m, factor, row.diagnosis)
