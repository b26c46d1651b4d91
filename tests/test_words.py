"""Messages count in the right number: "1 prediction but 2 targets", never "1 predictions"."""
import numpy as np
import pytest

from micrograd_nn import MLP, Value, check_backprop, cross_entropy, mse
from micrograd_nn._words import plural
from micrograd_nn.documents import doc001


@pytest.mark.parametrize(
    "count, noun, expected",
    [
        (0, "sample", "0 samples"),
        (1, "sample", "1 sample"),
        (2, "sample", "2 samples"),
        (1, "entry", "1 entry"),
        (2, "entry", "2 entries"),
        (2, "day", "2 days"),
        (1, "class", "1 class"),
        (3, "class", "3 classes"),
        (2, "epoch", "2 epochs"),
        (2, "batch", "2 batches"),  # with many= (below)
        (2, "matrix", "2 matrices"),  # with many= (below)
        (1, "Value", "1 Value"),
        (10, "Value", "10 Values"),
    ],
)
def test_plural(count, noun, expected):
    many = {"matrix": "matrices", "batch": "batches"}.get(noun)
    assert plural(count, noun, many) == expected


def _message(call):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    return str(info.value)


def _check_backprop_activations(n):
    """n activation names for a network of 3 - n layers: 1 for 2 layers, 2 for 1 layer."""
    shapes = [(2, 2), (1, 2)][n - 1:]
    parameters, grads = {}, {}
    for l, (rows, columns) in enumerate(shapes, start=1):
        parameters[f"W{l}"], parameters[f"b{l}"] = np.ones((rows, columns)), np.zeros((rows, 1))
        grads[f"dW{l}"], grads[f"db{l}"] = parameters[f"W{l}"], parameters[f"b{l}"]
    return lambda: check_backprop(grads, parameters, np.ones((2, 1)), np.ones((1, 1)),
                                  activations=["relu"] * n, loss="mse")


def _check_backprop_columns(n):
    parameters = {"W1": np.ones((1, n)), "b1": np.zeros((1, 1))}
    grads = {"dW1": np.ones((1, n)), "db1": np.zeros((1, 1))}
    return lambda: check_backprop(grads, parameters, np.ones((n + 1, 1)), np.ones((1, 1)),
                                  activations=["sigmoid"], loss="mse")


# (what, a function of the count giving the failing call, the message for 1, the message for 2)
MESSAGES = [
    ("mse, predictions",
     lambda n: lambda: mse([Value(0.5)] * n, [1.0] * 3),
     "mse: 1 prediction but 3 targets", "mse: 2 predictions but 3 targets"),
    ("mse, targets",
     lambda n: lambda: mse([Value(0.5)] * 3, [1.0] * n),
     "mse: 3 predictions but 1 target;", "mse: 3 predictions but 2 targets;"),
    ("mse, a batch of predictions",
     lambda n: lambda: mse(Value.batch([0.5] * n), [1.0] * 3),
     "a batch of 1 prediction but 3 targets", "a batch of 2 predictions but 3 targets"),
    ("cross_entropy, a batch of examples",
     lambda n: lambda: cross_entropy([Value.batch([0.5] * n)] * 2, [0, 1, 1]),
     "a batch of 1 example but 3 targets", "a batch of 2 examples but 3 targets"),
    ("weighted_sum",
     lambda n: lambda: Value.weighted_sum([Value(1.0)] * n, [1.0] * 3),
     "'wsum' node: 1 weight but 3 inputs", "'wsum' node: 2 weights but 3 inputs"),
    ("backward's gradient for a batch",
     lambda n: lambda: Value.batch([1.0] * n).backward(gradient="x"),
     "must be 1 number (a list or array)", "must be 2 numbers (a list or array)"),
    ("a batch's op at some entries",
     lambda n: lambda: Value.batch([-1.0] * n).log(),
     "at 1 of 1 entry (", "at 2 of 2 entries ("),
    ("check_backprop, activations",
     _check_backprop_activations,
     "1 activation for 2 layers", "2 activations for 1 layer"),
    ("check_backprop, W1's columns",
     _check_backprop_columns,
     "(W1 has 1 column)", "(W1 has 2 columns)"),
    ("document 001's train",
     lambda n: lambda: doc001.OurNeuralNetwork().train(np.ones((n, 2)), np.ones(3)),
     "train: 1 sample in data but 3 labels", "train: 2 samples in data but 3 labels"),
]


@pytest.mark.parametrize("what, call, one, two", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_a_message_counts_in_the_right_number(what, call, one, two):
    assert one in _message(call(1))
    assert two in _message(call(2))
