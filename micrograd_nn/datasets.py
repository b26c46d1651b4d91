"""The documents' data sets (no global RNG anywhere).

* Document 001's four people, as plain Python lists: weight in pounds minus 135
  and height in inches minus 66, labelled 1 for female and 0 for male.
* :func:`make_moons`: scikit-learn's two moons (document 000; the data
  document 004's second article trains on here), rebuilt in numpy.
* :func:`xor`: document 003's four XOR samples.
* :func:`three_input`: document 004's (first article) four 3-input samples.
* :func:`weather`: a synthetic rain / no-rain set for document 002, which
  describes its weather data but does not give it.

The numpy functions return samples in rows, as scikit-learn does: ``X`` of
shape ``(n_samples, n_features)`` and ``y`` of shape ``(n_samples,)``. The
documents' layered code wants ``X.T`` (features in rows, one column per
sample) and ``y`` as a row ``(1, m)``. numpy is imported inside the functions,
so ``import micrograd_nn`` stays fast.
"""
from __future__ import annotations

import math
import numbers

from . import _checks

__all__ = [
    "EMILY",
    "FRANK",
    "PEOPLE",
    "WEATHER_FEATURES",
    "four_people",
    "from_kg_cm",
    "make_moons",
    "three_input",
    "weather",
    "xor",
]

#: name -> ([weight - 135 lb, height - 66 in], 1 female / 0 male), document 001's table.
PEOPLE = {
    "Alice": ([-2.0, -1.0], 1.0),
    "Bob": ([25.0, 6.0], 0.0),
    "Charlie": ([17.0, 4.0], 0.0),
    "Diana": ([-15.0, -6.0], 1.0),
}

#: The two people document 001 predicts: 128 lb, 63 in and 155 lb, 68 in.
EMILY = [-7.0, -3.0]
FRANK = [20.0, 2.0]


def four_people() -> tuple[list[list[float]], list[float], list[str]]:
    """Document 001's training set: (inputs, targets, names), in the document's order."""
    names = list(PEOPLE)
    return [list(PEOPLE[n][0]) for n in names], [PEOPLE[n][1] for n in names], names


def from_kg_cm(kg: float, cm: float) -> list[float]:
    """Document 001's ``generate_test_data``: metric units to the shifted inputs.

    ``[kg * 2.20462 - 135, cm * 0.393701 - 66]``. (The document then calls it
    as ``generate_test_data(182, 73)`` for "Steve", a 182 kg, 73 cm person;
    it means 73 kg and 182 cm.)
    """
    for name, value in (("kg", kg), ("cm", cm)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"from_kg_cm: {name} must be a number, got {type(value).__name__}")
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"from_kg_cm: {name} must be a positive finite number, got {value!r}")
    return [kg * 2.20462 - 135, cm * 0.393701 - 66]


# ----------------------------------------------------------- numpy data sets


def _seed(seed: object, what: str):
    """numpy.random.default_rng(seed) for an int, None or a Generator; anything else a TypeError."""
    return _checks.rng(seed, f"{what}: seed")


def make_moons(n_samples: int = 100, noise: float | None = None, seed=None):
    """Two interleaving half circles: scikit-learn's ``make_moons``, rebuilt in numpy.

    The construction is scikit-learn's, step for step: ``n_out = n_samples // 2``
    points on the outer half circle ``(cos t, sin t)`` and ``n_in = n_samples -
    n_out`` on the inner one ``(1 - cos t, 1 - sin t - 0.5)``, each with ``t =
    linspace(0, pi, n)``; labels 0 (outer) then 1 (inner); the samples are
    shuffled, then Gaussian noise of standard deviation ``noise`` is added to
    every coordinate. The random numbers come from
    ``numpy.random.default_rng(seed)`` (scikit-learn uses a ``RandomState``),
    so the same seed gives the same data here, but not scikit-learn's data.

    Args:
        n_samples: the number of points (a positive int).
        noise: standard deviation of the noise; None or 0 for points exactly on
            the half circles. Document 000 uses 1000 samples, noise 0.05.
        seed: an int or a ``numpy.random.Generator``; None draws the seed from
            Python's ``random`` module, as ``MLP`` does, so ``random.seed(1337)``
            before ``make_moons(...)`` repeats the data (micrograd's demo seeds
            ``random`` and numpy both), and two calls in a row give different
            data. Numpy's global generator is never read or advanced.

    Returns:
        ``(X, y)``: ``X`` float64 of shape ``(n_samples, 2)``, ``y`` int of
        shape ``(n_samples,)``.

    Example:
        >>> X, y = make_moons(6, seed=0)
        >>> X.shape, sorted(y.tolist())
        ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    import numpy as np

    n_samples = _checks.positive_int(n_samples, "make_moons: n_samples")
    if noise is not None:
        if isinstance(noise, bool) or not isinstance(noise, numbers.Real):
            raise TypeError(
                f"make_moons: noise must be a number or None, got {type(noise).__name__} {noise!r}"
            )
        if not (math.isfinite(noise) and noise >= 0):
            raise ValueError(f"make_moons: noise must be a finite number >= 0, got {noise!r}")
    if seed is None:
        import random

        seed = random.getrandbits(64)
    rng = _seed(seed, "make_moons")
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer_circ_x = np.cos(np.linspace(0, np.pi, n_out))
    outer_circ_y = np.sin(np.linspace(0, np.pi, n_out))
    inner_circ_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_circ_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    X = np.vstack([np.append(outer_circ_x, inner_circ_x), np.append(outer_circ_y, inner_circ_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    order = rng.permutation(n_samples)
    X, y = X[order], y[order]
    if noise:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def xor():
    """Document 003's XOR data, in its layout: ``x`` of shape (2, 4), ``y`` of shape (1, 4).

    ``x = [[0, 0, 1, 1], [0, 1, 0, 1]]`` (one column per sample), ``y = [[0, 1, 1, 0]]``.
    """
    import numpy as np

    return np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]]), np.array([[0.0, 1.0, 1.0, 0.0]])


def three_input():
    """Document 004's (first article) data, in its layout: ``X`` (4, 3), ``y`` (4, 1).

    Inputs (0,0,1), (0,1,1), (1,0,1), (1,1,1), one sample per row, targets 0, 1,
    1, 0: the XOR of the first two inputs. The third input is always 1; as the
    network has no biases, it does a bias's job in the hidden layer.
    """
    import numpy as np

    X = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return X, y


#: The columns of :func:`weather`, with their units before standardizing.
WEATHER_FEATURES = ("temperature_C", "humidity_pct", "pressure_hPa", "wind_speed_m_s")


def weather(n_samples: int = 200, seed=0, standardize: bool = True):
    """A synthetic rain / no-rain data set for document 002 (which gives none).

    Document 002 describes "weather data such as temperature, humidity,
    atmospheric pressure" labelled rain (1) or not (0), but its network has 4
    inputs, so a fourth feature, wind speed, is added. Each sample is drawn
    independently:

    * temperature ~ N(15, 7) degrees C,
    * humidity ~ N(70, 15) percent, clipped to [10, 100],
    * pressure ~ N(1013, 9) hPa,
    * wind speed ~ Gamma(shape 2, scale 2.5) m/s (mean 5),

    and it rains when humid, low-pressure, windy weather says so, with noise::

        score = 0.09 * (humidity - 70) - 0.20 * (pressure - 1013)
                + 0.15 * (wind - 5) - 0.03 * (temperature - 15) + N(0, 1)
        rain = 1 if score > 0.5 else 0

    About 40 % of the samples are rainy, and about 13 % of the labels differ
    from the noise-free rule (score > 0.5 without the noise term), so no
    classifier is perfect.

    Args:
        n_samples: the number of samples (a positive int).
        seed: an int, None or a ``numpy.random.Generator``.
        standardize: center each feature on its mean and divide it by its
            standard deviation, as the document recommends. (It says to use the
            mean and standard deviation "of the whole numpy array", a recipe
            from image data, where every feature shares one unit; for features
            in degrees, percent and hPa it would leave the pressure near 3 and
            the others squashed together, so each feature is standardized on
            its own.) False returns the raw values in their units.

    Returns:
        ``(X, y)``: ``X`` float64 of shape ``(n_samples, 4)`` with columns
        :data:`WEATHER_FEATURES`, ``y`` int of shape ``(n_samples,)``.
    """
    import numpy as np

    n_samples = _checks.positive_int(n_samples, "weather: n_samples")
    if not isinstance(standardize, bool):
        raise TypeError(
            "weather: standardize must be True or False, "
            f"got {type(standardize).__name__} {standardize!r}"
        )
    rng = _seed(seed, "weather")
    temperature = rng.normal(15.0, 7.0, n_samples)
    humidity = np.clip(rng.normal(70.0, 15.0, n_samples), 10.0, 100.0)
    pressure = rng.normal(1013.0, 9.0, n_samples)
    wind = rng.gamma(2.0, 2.5, n_samples)
    score = (
        0.09 * (humidity - 70.0)
        - 0.20 * (pressure - 1013.0)
        + 0.15 * (wind - 5.0)
        - 0.03 * (temperature - 15.0)
        + rng.normal(0.0, 1.0, n_samples)
    )
    y = (score > 0.5).astype(np.intp)
    X = np.column_stack([temperature, humidity, pressure, wind])
    if standardize:
        std = X.std(axis=0)
        std[std == 0.0] = 1.0  # a single sample: nothing to scale
        X = (X - X.mean(axis=0)) / std
    return X, y
