"""Tests for micrograd_nn.datasets: make_moons, xor, three_input, weather.

Expected values come from the documents (XOR, document 004's table) or from
an independent construction written here (the two half circles), never from
the code under test.
"""

import math

import numpy as np
import pytest

from micrograd_nn.datasets import WEATHER_FEATURES, make_moons, three_input, weather, xor

# --------------------------------------------------------------- make_moons


@pytest.mark.parametrize("n", [1, 2, 3, 100, 1001])
def test_make_moons_shapes_dtypes_and_balanced_labels(n):
    X, y = make_moons(n, noise=0.05, seed=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and np.issubdtype(y.dtype, np.integer)
    # scikit-learn's split: n // 2 on the outer moon (label 0), the rest on the inner one (label 1)
    assert (y == 0).sum() == n // 2
    assert (y == 1).sum() == n - n // 2


def test_make_moons_without_noise_lies_exactly_on_the_two_half_circles():
    n = 201
    X, y = make_moons(n, noise=0, seed=3)
    outer, inner = X[y == 0], X[y == 1]
    # outer: (cos t, sin t); inner: (1 - cos t, 1 - sin t - 0.5), t in [0, pi]
    np.testing.assert_allclose(outer[:, 0] ** 2 + outer[:, 1] ** 2, 1.0, rtol=0, atol=1e-15)
    assert (outer[:, 1] >= 0).all()
    np.testing.assert_allclose(
        (inner[:, 0] - 1) ** 2 + (inner[:, 1] - 0.5) ** 2, 1.0, rtol=0, atol=1e-15
    )
    assert (inner[:, 1] <= 0.5).all()
    # and they are exactly the points of scikit-learn's construction, shuffled
    t_out = [math.pi * i / (n // 2 - 1) for i in range(n // 2)]
    t_in = [math.pi * i / (n - n // 2 - 1) for i in range(n - n // 2)]
    expected_outer = sorted((math.cos(t), math.sin(t)) for t in t_out)
    expected_inner = sorted((1 - math.cos(t), 1 - math.sin(t) - 0.5) for t in t_in)
    np.testing.assert_allclose(sorted(map(tuple, outer)), expected_outer, rtol=0, atol=1e-15)
    np.testing.assert_allclose(sorted(map(tuple, inner)), expected_inner, rtol=0, atol=1e-15)


def test_make_moons_noise_none_equals_noise_zero():
    a, ya = make_moons(50, noise=None, seed=4)
    b, yb = make_moons(50, noise=0.0, seed=4)
    assert np.array_equal(a, b) and np.array_equal(ya, yb)


def test_make_moons_noise_has_the_requested_spread():
    clean, y = make_moons(4000, seed=9)
    noisy, y2 = make_moons(4000, noise=0.05, seed=9)
    assert np.array_equal(y, y2)  # the shuffle comes first, from the same draws
    spread = (noisy - clean).std()
    assert 0.048 < spread < 0.052


def test_make_moons_is_shuffled():
    _, y = make_moons(100, seed=0)
    assert not (np.all(y[:50] == 0) and np.all(y[50:] == 1))


def test_make_moons_same_seed_same_data_other_seed_other_data():
    a = make_moons(100, noise=0.1, seed=7)
    b = make_moons(100, noise=0.1, seed=7)
    c = make_moons(100, noise=0.1, seed=8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_make_moons_takes_a_generator():
    rng = np.random.default_rng(5)
    first, _ = make_moons(10, noise=0.1, seed=rng)
    second, _ = make_moons(10, noise=0.1, seed=rng)  # the generator has moved on
    assert not np.array_equal(first, second)
    again, _ = make_moons(10, noise=0.1, seed=np.random.default_rng(5))
    assert np.array_equal(first, again)


def test_no_function_touches_the_global_rng():
    np.random.seed(1234)
    state = np.random.get_state()
    make_moons(100, noise=0.3, seed=None)
    make_moons(100, noise=0.3, seed=1)
    weather(50, seed=None)
    weather(50, seed=2)
    xor()
    three_input()
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(n_samples=0), ValueError, "n_samples must be a positive int, got 0"),
        (dict(n_samples=-5), ValueError, "n_samples must be a positive int"),
        (dict(n_samples=10.0), TypeError, "n_samples must be a positive int, got float"),
        (dict(n_samples=True), TypeError, "n_samples must be a positive int, got bool"),
        (dict(n_samples="100"), TypeError, "got str"),
        (dict(noise=-0.1), ValueError, "noise must be a finite number >= 0, got -0.1"),
        (dict(noise=float("nan")), ValueError, "noise must be a finite number >= 0, got nan"),
        (dict(noise=float("inf")), ValueError, "noise must be a finite number >= 0"),
        (dict(noise="0.1"), TypeError, "noise must be a number or None, got str"),
        (dict(seed=1.5), TypeError, "seed must be an int, None or a numpy.random.Generator"),
        (dict(seed=-1), ValueError, "seed must be >= 0"),
    ],
)
def test_make_moons_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_moons(**kwargs)


# ------------------------------------------------------- the documents' data


def test_xor_is_document_003s_data():
    x, y = xor()
    assert x.tolist() == [[0, 0, 1, 1], [0, 1, 0, 1]]  # dim x m
    assert y.tolist() == [[0, 1, 1, 0]]  # 1 x m
    assert x.dtype == y.dtype == np.float64


def test_three_input_is_document_004s_table():
    X, y = three_input()
    assert X.tolist() == [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    assert y.tolist() == [[0], [1], [1], [0]]


def test_data_are_fresh_arrays_each_call():
    x, _ = xor()
    x[0, 0] = 99.0
    assert xor()[0][0, 0] == 0.0


# ------------------------------------------------------------------ weather


def test_weather_shapes_and_standardized_columns():
    X, y = weather()
    assert X.shape == (200, 4) and y.shape == (200,)
    assert set(np.unique(y)) == {0, 1}
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1.0, rtol=1e-12)
    assert len(WEATHER_FEATURES) == 4


def test_weather_raw_values_are_plausible_weather():
    X, y = weather(2000, seed=1, standardize=False)
    temperature, humidity, pressure, wind = X.T
    assert 10 < temperature.mean() < 20
    assert humidity.min() >= 10 and humidity.max() <= 100
    assert 1005 < pressure.mean() < 1020
    assert wind.min() > 0
    assert 0.3 < y.mean() < 0.5  # roughly 40 % rain


def test_weather_rain_follows_humidity_and_pressure():
    X, y = weather(2000, seed=2, standardize=False)
    humidity, pressure = X[:, 1], X[:, 2]
    assert humidity[y == 1].mean() > humidity[y == 0].mean() + 5
    assert pressure[y == 1].mean() < pressure[y == 0].mean() - 3
    # the labels are noisy: the noise-free rule disagrees with some of them, but not most
    t, h, p, w = X.T
    rule = (0.09 * (h - 70) - 0.20 * (p - 1013) + 0.15 * (w - 5) - 0.03 * (t - 15)) > 0.5
    disagree = (rule != y.astype(bool)).mean()
    assert 0.05 < disagree < 0.25


def test_weather_standardizing_is_the_same_draws():
    raw, y_raw = weather(100, seed=3, standardize=False)
    std, y_std = weather(100, seed=3)
    assert np.array_equal(y_raw, y_std)
    np.testing.assert_allclose(
        std, (raw - raw.mean(axis=0)) / raw.std(axis=0), rtol=1e-13, atol=1e-13
    )


def test_weather_same_seed_same_data():
    a, b = weather(30, seed=11), weather(30, seed=11)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_weather_one_sample_does_not_divide_by_zero():
    X, y = weather(1, seed=0)
    assert X.tolist() == [[0.0, 0.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(n_samples=0), ValueError, "weather: n_samples must be a positive int"),
        (dict(n_samples=2.5), TypeError, "weather: n_samples must be a positive int"),
        (dict(seed="x"), TypeError, "weather: seed must be an int"),
        (dict(standardize=1), TypeError, "standardize must be True or False"),
    ],
)
def test_weather_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        weather(**kwargs)
