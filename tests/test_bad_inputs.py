"""Every public entry point against bad input: one table, one row per misuse.

A row is ``row(what is wrong, the call, the error it raises, a regex its message
matches)``: the message must name the problem and, where there is one, the fix.
An error of None means the call must not raise (it checks what it returns:
the documented behaviour, such as a NaN input giving a NaN output).

The CLI rows run ``micrograd_nn.cli.main`` through :func:`cli`: a failing
command must print exactly one line to stderr, never a traceback, and exit
non-zero; the row then sees ``CommandFailed("exit <status>: <that line>")``.

Behaviour still to fix, in a file another change owns, is marked with
``xfail(strict=True)`` and the reason; when it is fixed the row passes, the
strict mark fails, and the mark is removed.

NaN policy: a Value may hold NaN or infinity (IEEE arithmetic, as numpy and
PyTorch); so does a model's output for a NaN input, and a loss of a NaN
prediction. ``detect_anomaly()`` turns the first one into a
``FloatingPointError`` naming the op. Data (targets, training sets, data-set
options, weights loaded or given to from_parameters) must be finite: a NaN
there is a data error, a ``ValueError``.
"""
import io
import math
import re
import shutil
import tempfile
import xml.etree.ElementTree as ElementTree
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from micrograd_nn import (
    MLP, SGD, Adam, Layer, Neuron, Value, backward_steps, binary_cross_entropy, detect_anomaly,
    draw_graph, explain, gradcheck, hinge, label_2_2_1, mse, sse,
)
from micrograd_nn import check_backprop, cross_entropy, softmax
from micrograd_nn import draw_dot, explore, function, grad, hessian, jvp
from micrograd_nn.documents import networks
from micrograd_nn.cli import main
from micrograd_nn.documents.compare import compare
from micrograd_nn.datasets import from_kg_cm, make_moons, weather
from micrograd_nn.documents.derive import derivation_table, sample_input
from micrograd_nn.draw import save as save_drawing
from micrograd_nn.serialize import load, load_checkpoint
from micrograd_nn.documents.networks import loss_graph
from micrograd_nn.train import train

NAN, INF = float("nan"), float("inf")
A_FILE = Path(__file__)  # an existing file, where a folder is expected
DOC001 = {name: 0.5 for name in ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")}
XOR_X, XOR_Y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0]


def row(what, call, error, message=None, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(call, error, message, id=what, marks=marks)


class CommandFailed(Exception):
    """micrograd-nn exited non-zero; the message is 'exit <status>: <its one line on stderr>'."""


def cli(*args):
    """A call running ``micrograd-nn ARGS``; it raises CommandFailed when the command fails."""
    def run():
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main(list(args))
            except SystemExit as exit:  # argparse
                status = exit.code
        lines = err.getvalue().splitlines()
        assert "Traceback" not in err.getvalue()
        if status != 0:
            assert len(lines) == 1, f"expected one line on stderr, got {lines}"
            raise CommandFailed(f"exit {status}: {lines[0]}")
        return out.getvalue()
    return run


def under_anomaly(call):
    """The call, inside detect_anomaly()."""
    def run():
        with detect_anomaly():
            return call()
    return run


def is_nan(call):
    """A call that must return a Value holding NaN."""
    def run():
        assert math.isnan(call().data)
    return run


def train_on(inputs=XOR_X, targets=XOR_Y, model=None, **options):
    """A two-epoch training call on XOR, with one thing changed."""
    options = {"epochs": 2, "progress": False, **options}
    return lambda: train(model or MLP(2, [2, 1], seed=0), inputs, targets, **options)


def load_text(text):
    def run():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.json"
            path.write_text(text)
            return load(path)
    return run


def params():
    return [Value(1.0, label="w")]


def nan_grad_step():
    w = Value(1.0, label="w")
    w.grad = NAN
    SGD([w], lr=0.1).step()


def draw_special_labels():
    """Labels full of graphviz's special characters are escaped, and dot accepts the text."""
    x = Value(1.0, label='{ } | < > & " \\ \n \x01 x')
    y = (x * Value(2.0, label="<b>bold</b>")).tanh()
    y.label = "}|{"
    y.backward()
    graph = draw_graph(y, cluster=True, highlight=x)
    labels = re.findall(r"label=<(.*)>", graph.source)  # the HTML-like labels, escaped
    assert "&lt;b&gt;bold&lt;/b&gt;" in labels[1] and "&quot;" in labels[0] and "&amp;" in labels[0]
    if shutil.which("dot"):
        svg = ElementTree.fromstring(graph.pipe(format="svg"))  # well-formed SVG
        texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
        assert "<b>bold</b>" in texts and "}|{" in texts  # shown as written


def save_a_nan_model():
    model = MLP(2, [1], seed=0)
    model.layers[0].neurons[0].b.data = NAN
    with tempfile.TemporaryDirectory() as folder:
        model.save(Path(folder) / "model.json")


# The table. Keep it grouped by entry point; one line per row.
ROWS = [
    # -------------------------------------------------------------- Value and its ops
    row("Value of a str", lambda: Value("1"), TypeError, r"Value\(data\) takes a real number .*got str '1'; convert it first, for example float\(x\)"),
    row("Value of None", lambda: Value(None), TypeError, r"takes a real number .*got NoneType None"),
    row("Value of a complex", lambda: Value(1j), TypeError, r"takes a real number .*got complex 1j"),
    row("Value of a huge int", lambda: Value(10**400), OverflowError, r"Value\(data\): 1000.* is too large for a float"),
    row("Value label not a str", lambda: Value(1.0, label=3), TypeError, r"Value label must be a str, got int 3"),
    row("Value + str", lambda: Value(1.0) + "a", TypeError, r"'\+' node: unsupported operand str 'a'; operands must be Values or real numbers"),
    row("Value * None", lambda: Value(1.0) * None, TypeError, r"'\*' node: unsupported operand NoneType None"),
    row("Value ** str", lambda: Value(2.0) ** "2", TypeError, r"'\*\*' node: the exponent must be a number or a Value, got str"),
    row("Value / 0", lambda: Value(1.0) / 0, ZeroDivisionError, r"'/' node: 1.0 / 0.0 divides by zero; make sure the divisor cannot be 0"),
    row("negative base, fractional power", lambda: Value(-8.0) ** (1 / 3), ValueError, r"negative base and a non-integer exponent, so the result would be complex; keep the base positive"),
    row("0 ** 0.5", lambda: Value(0.0) ** 0.5, ValueError, r"'\*\*0.5' node: 0.0 \*\* 0.5 has an infinite or undefined derivative"),
    row("0 ** -1", lambda: Value(0.0) ** -1, ZeroDivisionError, r"'\*\*-1' node: 0.0 \*\* -1 divides by zero; keep the base away from 0"),
    row("0 ** Value", lambda: Value(0.0) ** Value(2.0), ValueError, r"'\*\*' node: 0.0 \*\* Value\(2.0\) needs a positive base"),
    row("log 0", lambda: Value(0.0).log(), ValueError, r"'log' node: log\(0.0\) is undefined, log needs an input > 0"),
    row("log of a negative", lambda: Value(-1.0).log(), ValueError, r"log\(-1.0\) is undefined"),
    row("exp overflow", lambda: Value(1000.0).exp(), OverflowError, r"'exp' node: exp\(1000.0\) overflows a float .*use sigmoid/tanh"),
    row("Value.sum of a str", lambda: Value.sum(["a"]), TypeError, r"'sum' node: unsupported operand str 'a'"),
    row("Value.sum of None", lambda: Value.sum(None), TypeError, r"Value.sum.*(iterable|list).*NoneType"),
    row("weighted_sum lengths differ", lambda: Value.weighted_sum([Value(1.0)], [1.0, 2.0]), ValueError, r"'wsum' node: 1 weight but 2 inputs; pass one input per weight"),
    row("weighted_sum of None", lambda: Value.weighted_sum(None, [1.0]), TypeError, r"'wsum' node: .*weights.*NoneType"),
    row("a Value may hold NaN", is_nan(lambda: Value(NAN) * 2), None),
    row("NaN in an op, under detect_anomaly", under_anomaly(lambda: Value(NAN, label="x").tanh()), FloatingPointError, r"forward: 'tanh' node produced nan from operands x = nan"),
    row("inf in backward, under detect_anomaly", under_anomaly(lambda: (Value(1e-200, label="a") * 1e200 * 1e200).backward()), FloatingPointError, r"backward: the edge .* gave a non-finite gradient"),
    # ------------------------------------------------------------ Neuron, Layer, MLP
    row("Neuron(0)", lambda: Neuron(0), ValueError, r"nin must be a positive int, got 0"),
    row("Neuron(2.0)", lambda: Neuron(2.0), TypeError, r"nin must be a positive int, got float 2.0"),
    row("unknown activation", lambda: Neuron(2, activation="softmax"), ValueError, r"unknown activation 'softmax'; choose one of: sigmoid, relu, tanh, linear"),
    row("unknown init", lambda: Neuron(2, init="glorot"), ValueError, r"unknown init 'glorot'; choose one of: uniform, normal"),
    row("unknown bias_init", lambda: Neuron(2, bias_init="ones"), ValueError, r"unknown bias_init 'ones'; choose one of: zeros, normal"),
    row("bias=1", lambda: Neuron(2, bias=1), TypeError, r"bias must be True or False, got int 1"),
    row("seed a str", lambda: Neuron(2, seed="a"), TypeError, r"seed must be an int, None or a numpy.random.Generator, got str"),
    row("seed negative", lambda: MLP(2, [1], seed=-1), ValueError, r"seed must be .*>= 0, got -1"),
    row("seed True", lambda: MLP(2, [1], seed=True), TypeError, r"seed must be an int.*got bool"),
    row("Neuron: too few inputs", lambda: Neuron(2)([1.0]), ValueError, r"ReLUNeuron\(2\) expects 2 inputs, got 1; pass a list of exactly 2 numbers or Values"),
    row("Neuron: no inputs", lambda: Neuron(2)([]), ValueError, r"expects 2 inputs, got 0"),
    row("Neuron: a str input", lambda: Neuron(2)("ab"), TypeError, r"ReLUNeuron\(2\) takes a list of 2 numbers or Values, got str"),
    row("Neuron: None", lambda: Neuron(2)(None), TypeError, r"takes a list of 2 numbers or Values, got NoneType"),
    row("Neuron: a str among the inputs", lambda: Neuron(2)([1.0, "a"]), TypeError, r"input 1 must be a number or a Value, got str 'a'"),
    row("Layer(2, 0)", lambda: Layer(2, 0), ValueError, r"nout must be a positive int, got 0"),
    row("Layer: too many inputs", lambda: Layer(2, 3)([1.0, 2.0, 3.0]), ValueError, r"Layer\(2, 3, activation='relu'\) expects 2 inputs, got 3"),
    row("MLP(2, [])", lambda: MLP(2, []), ValueError, r"nouts is empty; give at least one layer size, such as \[1\]"),
    row("MLP(2, [0])", lambda: MLP(2, [0]), ValueError, r"layer size nouts\[0\] must be a positive int, got 0"),
    row("MLP(2, [2, -1])", lambda: MLP(2, [2, -1]), ValueError, r"layer size nouts\[1\] must be a positive int, got -1"),
    row("MLP(2, 3)", lambda: MLP(2, 3), TypeError, r"nouts must be a list of layer sizes such as \[16, 16, 1\], got int"),
    row("activations, one too few", lambda: MLP(2, [2, 1], activation=["relu"]), ValueError, r"activation has 1 entry for 2 layers; give one name per layer, or a single name for all"),
    row("MLP: a NaN number as input", lambda: MLP(2, [2, 1], seed=0)([NAN, 1.0]), ValueError, r"MLP of .* input 0 is nan; inputs must be finite numbers"),
    row("MLP: an inf number as input", lambda: MLP(2, [2, 1], seed=0)([1.0, -INF]), ValueError, r"MLP of .* input 1 is -inf; inputs must be finite numbers"),
    row("MLP: a Value holding NaN gives NaN", is_nan(lambda: MLP(2, [2, 1], seed=0)([Value(NAN, label="x"), 1.0])), None),
    row("MLP: a Value holding NaN, under detect_anomaly", under_anomaly(lambda: MLP(2, [2, 1], seed=0)([Value(NAN, label="x"), 1.0])), FloatingPointError, r"forward: 'wsum' node produced nan from operands W1\[0,0\] = .*, x = nan"),
    row("MLP: a Value holding inf, under detect_anomaly", under_anomaly(lambda: MLP(2, [2, 1], seed=0)([Value(INF), 1.0])), FloatingPointError, r"'wsum' node produced -?inf from operands"),
    row("label_2_2_1 of another shape", lambda: label_2_2_1(MLP(2, [3, 1])), ValueError, r"label_2_2_1 needs an MLP\(2, \[2, 1\]\) with biases"),
    # ---------------------------------------------------------------- from_parameters
    row("from_parameters of a list", lambda: MLP.from_parameters([]), TypeError, r"from_parameters takes a dict such as \{'W1': W1, 'b1': b1, ...\}, got list"),
    row("from_parameters of {}", lambda: MLP.from_parameters({}), ValueError, r"no weights; the dict needs at least 'W1', shape \(n1, n0\)"),
    row("from_parameters: a layer missing", lambda: MLP.from_parameters({"W1": [[1.0]], "W3": [[1.0]]}), ValueError, r"missing 'W2'; the layers must be numbered W1..W3 without gaps"),
    row("from_parameters: a bias missing", lambda: MLP.from_parameters({"W1": [[1.0]], "W2": [[1.0]], "b1": [[0.0]]}), ValueError, r"missing 'b2'; give a bias for every layer \(b1..b2\) or for none"),
    row("from_parameters: unknown key", lambda: MLP.from_parameters({"W1": [[1.0]], "w2": [[1.0]]}), ValueError, r"unexpected key 'w2'; the keys are W1..WL and b1..bL"),
    row("from_parameters: shapes do not chain", lambda: MLP.from_parameters({"W1": np.ones((3, 2)), "W2": np.ones((1, 4))}), ValueError, r"'W2' has shape \(1, 4\), expected \(1, 3\)"),
    row("from_parameters: bias shape", lambda: MLP.from_parameters({"W1": np.ones((3, 2)), "b1": np.ones((2, 1))}), ValueError, r"'b1' has shape \(2, 1\), expected \(3, 1\) or \(3,\)"),
    row("from_parameters: ragged", lambda: MLP.from_parameters({"W1": [[1.0], [1.0, 2.0]]}), ValueError, r"parameters\['W1'\] is not a rectangular array of numbers"),
    row("from_parameters: text", lambda: MLP.from_parameters({"W1": [["a"]]}), TypeError, r"parameters\['W1'\] must hold real numbers"),
    row("from_parameters: NaN", lambda: MLP.from_parameters({"W1": [[1.0, NAN]]}), ValueError, r"'W1' holds a non-finite value, nan at index \[0, 1\]; every weight must be a finite number"),
    row("from_parameters: unknown activation", lambda: MLP.from_parameters({"W1": [[1.0]]}, activation="soft"), ValueError, r"unknown activation 'soft'"),
    # ------------------------------------------------------------------- save, load
    row("save: a NaN weight", save_a_nan_model, ValueError, r"save: parameter b1\[0\] is nan; JSON has no NaN or infinity"),
    row("save: a folder that is a file", lambda: MLP(2, [1]).save(A_FILE / "m.json"), NotADirectoryError, r"save: cannot create the folder .*test_bad_inputs.py' is a file, not a folder; choose another path"),
    row("save: a folder as the file", lambda: MLP(2, [1]).save(A_FILE.parent), IsADirectoryError, r"save: '.*tests' is a folder; give a file name, such as '.*tests/model.json'"),
    row("load: no such file", lambda: load("/nonexistent_dir/model.json"), FileNotFoundError, r"No such file or directory: '/nonexistent_dir/model.json'"),
    row("load: truncated", load_text('{"format": "micrograd_nn.MLP", "version": 1, "archi'), ValueError, r"load: .*model.json: not valid JSON: .*the file was probably cut short"),
    row("load: not a model", load_text('{"weights": [1, 2]}'), ValueError, r"has no 'format' key; it is not a model saved by micrograd_nn"),
    row("load_checkpoint: no such file", lambda: load_checkpoint("/nonexistent_dir/model.json"), FileNotFoundError, r"No such file or directory: '/nonexistent_dir/model.json'"),
    row("load_checkpoint: a folder", lambda: load_checkpoint(tempfile.gettempdir()), ValueError, r"load: .*: is a folder, not a file; give the model.json a save wrote"),
    row("load_checkpoint: not a path", lambda: load_checkpoint(3), TypeError, r"load: path must be a str or a pathlib.Path, got int"),
    # ------------------------------------------------------------------------- losses
    row("mse of nothing", lambda: mse([], []), ValueError, r"mse: no predictions; pass at least one prediction and target"),
    row("mse, lengths differ", lambda: mse([Value(1.0)], [1.0, 2.0]), ValueError, r"mse: 1 prediction but 2 targets; pass one target per prediction"),
    row("mse of a str", lambda: mse("a", 1.0), TypeError, r"mse: predictions must be a list of Values or numbers, got str"),
    row("mse, target None", lambda: mse(Value(1.0), None), TypeError, r"mse: targets must be a list of Values or numbers, got NoneType"),
    row("mse, a str target", lambda: mse([Value(1.0)], ["1"]), TypeError, r"mse: target 0 must be a number or a Value, got str"),
    row("mse, a NaN target", lambda: mse(Value(1.0), NAN), ValueError, r"mse: target 0 is nan"),
    row("sse, an inf target", lambda: sse(Value(1.0), INF), ValueError, r"sse: target 0 is inf"),
    row("mse, a NaN prediction gives NaN", is_nan(lambda: mse(Value(NAN), 1.0)), None),
    row("mse, a NaN prediction, under detect_anomaly", under_anomaly(lambda: mse(Value(NAN, label="p"), 1.0)), FloatingPointError, r"forward: '-' node produced nan from operands 1.0, p = nan"),
    row("binary_cross_entropy, a NaN target", lambda: binary_cross_entropy(Value(0.5), NAN), ValueError, r"binary_cross_entropy: target 0 is nan; targets must lie in \[0, 1\]"),
    row("binary_cross_entropy, target 2", lambda: binary_cross_entropy(Value(0.5), 2), ValueError, r"target 0 is 2.0; targets must lie in \[0, 1\] \(use 0/1 labels, not -1/\+1: hinge takes those\)"),
    row("binary_cross_entropy of a logit", lambda: binary_cross_entropy(Value(1.5), 1), ValueError, r"prediction 0 is 1.5, not a probability in \[0, 1\]; apply sigmoid to the output first"),
    row("binary_cross_entropy, a NaN prediction", lambda: binary_cross_entropy(Value(NAN), 1), ValueError, r"prediction 0 is nan, not a probability"),
    row("hinge, target 0", lambda: hinge(Value(0.5), 0), ValueError, r"hinge: target 0 is 0.0; hinge targets must be -1 or \+1 \(map 0/1 labels with 2\*y - 1\)"),
    row("hinge, a NaN target", lambda: hinge(Value(0.5), NAN), ValueError, r"hinge: target 0 is nan; hinge targets must be -1 or \+1"),
    row("softmax of one Value", lambda: softmax(Value(1.0)), TypeError, r"softmax: logits must be a list of Values, one per class .* got a single Value; pass a list"),
    row("softmax, a NaN logit", lambda: softmax([Value(1.0), Value(NAN)]), ValueError, r"softmax: logit 1 is nan; logits must be finite numbers"),
    row("cross_entropy of one logit", lambda: cross_entropy([Value(1.0)], 0), ValueError, r"cross_entropy: 1 logit, but it needs one per class, at least 2 .* for one output, use a sigmoid and binary_cross_entropy"),
    row("cross_entropy, target out of range", lambda: cross_entropy([Value(1.0), Value(2.0)], 2), ValueError, r"cross_entropy: target 2 is not a class index; with 2 logits it is a whole number from 0 to 1"),
    row("cross_entropy, a Value target", lambda: cross_entropy([Value(1.0), Value(2.0)], Value(0.0)), TypeError, r"cross_entropy: target must be a class index \(an int\), not a Value"),
    row("check_backprop, unknown loss", lambda: check_backprop({}, {"W1": np.ones((1, 2))}, np.ones((2, 3)), np.ones((1, 3)), activations=["sigmoid"], loss="log"), ValueError, r"unknown loss 'log'; choose one of: bce, mse, sse, cross_entropy"),
    row("check_backprop, X samples as rows", lambda: check_backprop({}, {"W1": np.ones((1, 2))}, np.ones((3, 2)), np.ones((1, 3)), activations=["sigmoid"], loss="bce"), ValueError, r"check_backprop: X has shape \(3, 2\), expected \(2, m\).*for samples as rows pass X.T"),
    row("check_backprop, softmax not last", lambda: check_backprop({}, {"W1": np.ones((2, 2)), "W2": np.ones((1, 2))}, np.ones((2, 3)), np.ones((1, 3)), activations=["softmax", "sigmoid"], loss="bce"), ValueError, r"softmax is for the last layer only"),
    row("check_backprop, a NaN weight", lambda: check_backprop({}, {"W1": np.full((1, 2), NAN)}, np.ones((2, 3)), np.ones((1, 3)), activations=["sigmoid"], loss="bce"), ValueError, r"check_backprop: parameters: 'W1' holds a non-finite value, nan"),
    row("check_backprop, a missing grad is a row", lambda: check_backprop({}, {"W1": np.ones((1, 2))}, np.ones((2, 3)), np.ones((1, 3)), activations=["sigmoid"], loss="bce").rows[0].problem == "missing" or 1 / 0, None),
    # --------------------------------------------------------------------- optimizers
    row("SGD of a model", lambda: SGD(MLP(2, [1]), 0.1), TypeError, r"SGD takes an iterable of Values, got MLP; pass model.parameters\(\)"),
    row("SGD of nothing", lambda: SGD([], 0.1), ValueError, r"SGD got no parameters; pass model.parameters\(\)"),
    row("SGD of numbers", lambda: SGD([1.0], 0.1), TypeError, r"SGD: parameter 0 is a float, not a Value"),
    row("SGD, a parameter twice", lambda: SGD(params() * 2, 0.1), ValueError, r"SGD: parameter 1 \(w\) appears twice; it would be updated twice per step"),
    row("SGD, lr 0", lambda: SGD(params(), 0), ValueError, r"lr must lie in \(0.0, inf\), got 0.0"),
    row("SGD, lr < 0", lambda: SGD(params(), -0.1), ValueError, r"lr must lie in \(0.0, inf\), got -0.1"),
    row("SGD, lr NaN", lambda: SGD(params(), NAN), ValueError, r"lr must lie in \(0.0, inf\), got nan"),
    row("SGD, lr inf", lambda: SGD(params(), INF), ValueError, r"lr must lie in \(0.0, inf\), got inf"),
    row("SGD, lr a str", lambda: SGD(params(), "0.1"), TypeError, r"lr must be a number, got str '0.1'"),
    row("SGD, momentum 1", lambda: SGD(params(), 0.1, momentum=1.0), ValueError, r"momentum must lie in \[0.0, 1.0\), got 1.0"),
    row("Adam, lr NaN", lambda: Adam(params(), lr=NAN), ValueError, r"lr must lie in \(0.0, inf\), got nan"),
    row("Adam, one beta", lambda: Adam(params(), betas=(0.9,)), ValueError, r"betas must be a pair \(beta1, beta2\), got 1 value"),
    row("Adam, eps 0", lambda: Adam(params(), eps=0.0), ValueError, r"eps must lie in \(0.0, inf\), got 0.0"),
    row("step with a NaN grad", nan_grad_step, FloatingPointError, r"SGD.step\(\): parameter w has grad nan; .*try a smaller learning rate or check the inputs"),
    # ----------------------------------------------------------------------- datasets
    row("make_moons(0)", lambda: make_moons(0), ValueError, r"make_moons: n_samples must be a positive int, got 0"),
    row("make_moons(-5)", lambda: make_moons(-5), ValueError, r"n_samples must be a positive int, got -5"),
    row("make_moons(1.5)", lambda: make_moons(1.5), TypeError, r"n_samples must be a positive int, got float 1.5"),
    row("make_moons, noise NaN", lambda: make_moons(10, noise=NAN), ValueError, r"make_moons: noise must be a finite number >= 0, got nan"),
    row("make_moons, noise inf", lambda: make_moons(10, noise=INF), ValueError, r"noise must be a finite number >= 0, got inf"),
    row("make_moons, noise < 0", lambda: make_moons(10, noise=-0.1), ValueError, r"noise must be a finite number >= 0, got -0.1"),
    row("make_moons, noise a str", lambda: make_moons(10, noise="0.1"), TypeError, r"noise must be a number or None, got str"),
    row("make_moons, seed a str", lambda: make_moons(10, seed="a"), TypeError, r"make_moons: seed must be an int, None or a numpy.random.Generator"),
    row("weather(0)", lambda: weather(0), ValueError, r"weather: n_samples must be a positive int, got 0"),
    row("weather, seed < 0", lambda: weather(10, seed=-1), ValueError, r"weather: seed must be >= 0, got -1"),
    row("weather, standardize=1", lambda: weather(10, standardize=1), TypeError, r"standardize must be True or False, got int 1"),
    row("from_kg_cm NaN", lambda: from_kg_cm(NAN, 170), ValueError, r"from_kg_cm: kg must be a positive finite number, got nan"),
    row("from_kg_cm < 0", lambda: from_kg_cm(70, -1), ValueError, r"from_kg_cm: cm must be a positive finite number, got -1"),
    row("from_kg_cm of a str", lambda: from_kg_cm("70", 170), TypeError, r"from_kg_cm: kg must be a number, got str"),
    # --------------------------------------------------------------------- train()
    row("train: NaN input", train_on([[0.0, NAN]] + XOR_X[1:]), ValueError, r"train: inputs\[0\]\[1\] is nan; every input must be a finite number"),
    row("train: inf input", train_on(np.array([[INF, 0.0]]), [0.0]), ValueError, r"train: inputs\[0\]\[0\] is inf"),
    row("train: NaN target", train_on(targets=[0.0, 1.0, NAN, 0.0]), ValueError, r"train: targets\[2\] is nan; every target must be a finite number"),
    row("train: lr NaN", train_on(lr=NAN), ValueError, r"lr must lie in \(0.0, inf\), got nan"),
    row("train: lr 0", train_on(lr=0), ValueError, r"lr must lie in \(0.0, inf\), got 0.0"),
    row("train: epochs 0", train_on(epochs=0), ValueError, r"epochs must be a positive int, got 0"),
    row("train: unknown loss", train_on(loss="cross_entropy"), ValueError, r"unknown loss 'cross_entropy'; choose one of: mse, sse"),
    row("train: unknown optimizer", train_on(optimizer="rmsprop"), ValueError, r"unknown optimizer 'rmsprop'; choose one of: sgd, momentum, adam"),
    row("train: lengths differ", train_on(targets=XOR_Y[:3]), ValueError, r"train: 4 inputs but 3 targets; pass one target per sample"),
    row("train: no samples", train_on([], []), ValueError, r"train: no samples"),
    row("train: two outputs", train_on(model=MLP(2, [2])), ValueError, r"train: the model has 2 outputs; .*give the last layer 1 neuron"),
    row("train: on_epoch not a function", train_on(on_epoch=3), TypeError, r"train: on_epoch must be a function \(epoch, loss\), got int"),
    row("train: seed a str", train_on(batch=1, shuffle=True, seed="a"), TypeError, r"train: seed must be an int, None or a numpy.random.Generator, got str"),
    row("train: checkpoint_every alone", train_on(checkpoint_every=2), ValueError, r"checkpoint_every needs a checkpoint file; pass checkpoint='model.json'"),
    # --------------------------------------------- draw_graph, explain, gradcheck, steps
    row("draw_graph of a number", lambda: draw_graph(1.0), TypeError, r"draw_graph takes a Value \(the root of the graph\), got float"),
    row("draw_graph, unknown rankdir", lambda: draw_graph(Value(1.0), rankdir="XY"), ValueError, r"unknown rankdir 'XY'; choose one of: LR, TB"),
    row("draw_graph, highlight not in the graph", lambda: draw_graph(Value(1.0, label="a") * 2, highlight="b"), ValueError, r"highlight: no node of the graph labelled 'b'; give the Value itself, or one of these labels: a"),
    row("draw_graph, max_nodes 0", lambda: draw_graph(Value(1.0), max_nodes=0), ValueError, r"max_nodes must be a positive int, got 0"),
    row("draw_graph, graphviz's special characters in labels", draw_special_labels, None),
    row("draw save, unknown format", lambda: save_drawing(Value(1.0), "x.bmp"), ValueError, r"save: cannot tell the format from the file name 'x.bmp'; end it with one of .svg, .png, .pdf, .dot"),
    row("draw save, a folder that is a file", lambda: save_drawing(Value(1.0), A_FILE / "x.dot"), NotADirectoryError, r"save: cannot create the folder .* is a file, not a folder"),
    row("explain of a number", lambda: explain(1.0, Value(1.0)), TypeError, r"explain: root must be a Value, got float"),
    row("explain, max_paths 0", lambda: explain(Value(1.0), Value(1.0), max_paths=0), ValueError, r"explain: max_paths must be a positive int, got 0"),
    row("explain, unknown format", lambda: explain(Value(1.0), Value(1.0)).render("html"), ValueError, r"explain: unknown format 'html'; choose one of: text, markdown, latex, json"),
    row("explain, format not a str", lambda: explain(Value(1.0), Value(1.0)).render(None), TypeError, r"explain: format must be a str, one of: text, markdown, latex, json; got NoneType"),
    row("gradcheck of a Value", lambda: gradcheck(Value(1.0), params()), TypeError, r"gradcheck: fn must be a function of no arguments returning a Value"),
    row("gradcheck, eps NaN", lambda: gradcheck(lambda: Value(1.0), params(), eps=NAN), ValueError, r"gradcheck: eps must be a finite number > 0, got nan"),
    row("gradcheck, no params", lambda: gradcheck(lambda: Value(1.0), []), ValueError, r"gradcheck: params is empty"),
    row("draw_dot (micrograd's name) of a number", lambda: draw_dot(1.0), TypeError, r"draw_graph takes a Value \(the root of the graph\), got float"),
    row("explore of a number", lambda: explore(1.0), TypeError, r"explore takes a Value \(the root of the graph\), got float"),
    row("explore, max_nodes 0", lambda: explore(Value(1.0), max_nodes=0), ValueError, r"explore: max_nodes must be a positive int, got 0"),
    row("explore, max_paths 0", lambda: explore(Value(1.0), max_paths=0), ValueError, r"explore: max_paths must be a positive int, got 0"),
    row("explore save, a path not text", lambda: explore(Value(1.0)).save(3), TypeError, r"Explorer.save: path must be a str or a pathlib.Path, got int"),
    # ------------------------------------------- grad, hessian, jvp, @function
    row("grad of a number", lambda: grad(1.0, [Value(1.0)]), TypeError, r"grad: the output must be a Value, got float 1.0"),
    row("grad, one Value for inputs", lambda: grad(Value(1.0), Value(1.0)), TypeError, r"grad: inputs must be a list of Values; for one Value x pass \[x\]"),
    row("grad, create_graph a str", lambda: grad(Value(1.0), [Value(1.0)], create_graph="yes"), TypeError, r"grad: create_graph must be True or False, got str 'yes'"),
    row("hessian, an input not a Value", lambda: hessian(Value(1.0), [1.0]), TypeError, r"hessian: inputs\[0\] is float 1.0, not a Value"),
    row("jvp, tangents a list", lambda: jvp(Value(1.0), [Value(1.0)]), TypeError, r"jvp: tangents must be a dict \{leaf: number\}, got list"),
    row("jvp, a tangent a str", lambda: jvp(Value(1.0), {Value(1.0): "a"}), TypeError, r"jvp: the tangent of a leaf must be a number, got str 'a'"),
    row("jvp, a key not a Value", lambda: jvp(Value(1.0), {3: 1.0}), TypeError, r"jvp: the keys of tangents must be Values \(leaves\), got int 3"),
    row("@function on a number", lambda: function(3), TypeError, r"@function decorates a function of floats, got int 3"),
    row("@function, no partials returned", lambda: function(lambda a: (a, ()))(Value(2.0)), ValueError, r"returned 0 partial derivatives for 1 argument; return one partial per argument, in order"),
    row("Neuron, micrograd's nonlin=True", lambda: Neuron(2, nonlin=True), TypeError, r"Neuron: nonlin=True is micrograd's switch; here the activation is named: activation='relu'"),
    row("Layer, micrograd's nonlin as the activation", lambda: Layer(2, 3, False), TypeError, r"Layer: nonlin=False is micrograd's switch; .*activation='linear'"),
    row("backward_steps of a number", lambda: list(backward_steps(2.0)), TypeError, r"backward_steps takes a Value \(the root of the graph\), got float"),
    # ------------------------------------------------ networks, compare, derive, steps
    row("unknown network", lambda: networks.get("doc999"), ValueError, r"unknown network 'doc999'; choose one of: doc000, doc001, doc002, doc003, doc004a, doc004b"),
    row("network name not a str", lambda: networks.get(["doc001"]), TypeError, r"a network name is a str, one of: doc000, .*; got list"),
    row("loss_graph, unknown sample", lambda: loss_graph("doc001", sample="Eve"), ValueError, r"unknown sample 'Eve' for doc001; choose one of: Alice, Bob, Charlie, Diana"),
    row("loss_graph, seed < 0", lambda: loss_graph("doc001", seed=-1), ValueError, r"doc001: seed must be a whole number >= 0, got -1"),
    row("compare, names a number", lambda: compare(5), TypeError, r"compare: names must be a list of network names such as \['doc001'\], got int"),
    row("compare, unknown network", lambda: compare(["doc001", "nosuch"]), ValueError, r"unknown network 'nosuch'; choose one of"),
    row("compare, seed < 0", lambda: compare(["doc003"], seed=-1), ValueError, r"compare: seed must be a whole number >= 0, got -1"),
    row("compare, iterations 0", lambda: compare(["doc003"], iterations=0), ValueError, r"compare: iterations must be a positive int, got 0"),
    row("compare, on_row not a function", lambda: compare(["doc003"], on_row="print"), TypeError, r"compare: on_row must be a function of one Row, got str"),
    row("derive, unknown sample", lambda: sample_input("Eve"), ValueError, r"unknown sample 'Eve'; choose one of: Alice, Bob, Charlie, Diana, Emily, Frank"),
    row("derive, target 2", lambda: sample_input("Emily", 2), ValueError, r"target must be 0 \(male\) or 1 \(female\), got 2"),
    row("derivation_table, one input", lambda: derivation_table(DOC001, [1.0], 1.0), ValueError, r"derivation_table: x must hold 2 numbers \(weight - 135, height - 66\), got 1"),
    row("derivation_table, NaN input", lambda: derivation_table(DOC001, [NAN, 1.0], 1.0), ValueError, r"derivation_table: x\[0\] is nan; it must be a finite number"),
    row("derivation_table, a str target", lambda: derivation_table(DOC001, [1.0, 1.0], "1"), TypeError, r"derivation_table: y_true must be a number, got str '1'"),
    row("derivation_table, a NaN weight", lambda: derivation_table({**DOC001, "w5": NAN}, [1.0, 1.0], 1.0), ValueError, r"derivation_table: w5 is nan; it must be a finite number"),
    row("derivation_table, weights missing", lambda: derivation_table({"w1": 1.0}, [1.0, 1.0], 1.0), ValueError, r"keys w1, w2, w3, w4, w5, w6, b1, b2, b3; got \['w1'\]"),
    row("derivation table, unknown format", lambda: derivation_table(DOC001, [1.0, 1.0], 1.0).render("tex"), ValueError, r"derivation table: unknown format 'tex'; choose one of: text, markdown, latex, json"),
    row("derivation table, format not a str", lambda: derivation_table(DOC001, [1.0, 1.0], 1.0).render(["latex"]), TypeError, r"derivation table: format must be a str, one of: .*; got list"),
    # ---------------------------------------------------------------- the command line
    row("cli: unknown command", cli("frobnicate"), CommandFailed, r"exit 2: micrograd-nn: error: argument COMMAND: invalid choice: 'frobnicate' .*; see micrograd-nn --help"),
    row("cli: unknown option", cli("walkthrough", "--speed", "3"), CommandFailed, r"exit 2: micrograd-nn: error: unrecognized arguments: --speed 3; see micrograd-nn --help"),
    row("cli: walkthrough --epochs -1", cli("walkthrough", "--epochs", "-1"), CommandFailed, r"exit 2: micrograd-nn walkthrough: error: argument --epochs: expected a positive whole number, got -1; see micrograd-nn walkthrough --help"),
    row("cli: walkthrough --seed -1", cli("walkthrough", "--seed", "-1"), CommandFailed, r"exit 2: micrograd-nn walkthrough: error: argument --seed: a seed is a whole number >= 0, got -1"),
    row("cli: compare nosuch", cli("compare", "nosuch"), CommandFailed, r"exit 1: micrograd-nn compare: error: unknown network 'nosuch'; choose one of: doc000, doc001"),
    row("cli: compare --iterations 0", cli("compare", "doc003", "--iterations", "0"), CommandFailed, r"exit 2: .*argument --iterations: expected a positive whole number, got 0"),
    row("cli: compare --seed x", cli("compare", "--seed", "x"), CommandFailed, r"exit 2: .*argument --seed: a seed is a whole number >= 0, got 'x'"),
    row("cli: derive --sample Eve", cli("derive", "--sample", "Eve"), CommandFailed, r"exit 1: micrograd-nn derive: error: unknown sample 'Eve'; choose one of: Alice, Bob, Charlie, Diana, Emily, Frank"),
    row("cli: derive --target 2", cli("derive", "--target", "2"), CommandFailed, r"exit 2: .*argument --target: invalid choice: 2 \(choose from 0, 1\)"),
    row("cli: derive --all-weights nan", cli("derive", "--all-weights", "nan"), CommandFailed, r"exit 1: micrograd-nn derive: error: --all-weights must be a finite number, got nan"),
    row("cli: derive --seed and --all-weights", cli("derive", "--seed", "1", "--all-weights", "1"), CommandFailed, r"exit 1: .*give either --seed or --all-weights/--all-biases, not both"),
    row("cli: derive --format tex", cli("derive", "--format", "tex"), CommandFailed, r"exit 2: micrograd-nn derive: error: argument --format: invalid choice: 'tex' \(choose from 'text', 'markdown', 'latex', 'json'\)"),
    row("cli: derive --json and --format latex", cli("derive", "--json", "--format", "latex"), CommandFailed, r"exit 1: micrograd-nn derive: error: give either --json or --format latex, not both"),
    row("cli: step nosuch", cli("step", "nosuch"), CommandFailed, r"exit 1: micrograd-nn step: error: unknown network 'nosuch'"),
    row("cli: step --sample Zed", cli("step", "doc001", "--sample", "Zed"), CommandFailed, r"exit 1: .*unknown sample 'Zed' for doc001; choose one of: Alice, Bob, Charlie, Diana"),
    row("cli: step --frames in a file", cli("step", "--frames", str(A_FILE / "frames")), CommandFailed, r"exit 1: micrograd-nn step: error: write_frames: cannot create the folder .* is a file, not a folder"),
    row("cli: graph --out in a file", cli("graph", "--out", str(A_FILE / "x.svg")), CommandFailed, r"exit 1: micrograd-nn graph: error: save: cannot create the folder '.*test_bad_inputs.py': .* is a file, not a folder; choose another path"),
    row("cli: graph --out x.bmp", cli("graph", "--out", "x.bmp"), CommandFailed, r"exit 1: .*save: cannot tell the format from the file name 'x.bmp'"),
    row("cli: graph --highlight nosuch", cli("graph", "--highlight", "nosuch", "--out", "x.dot"), CommandFailed, r"exit 1: .*highlight: no node of the graph labelled 'nosuch'; give the Value itself, or one of these labels: L, b1"),
    row("cli: graph --rankdir XY", cli("graph", "--rankdir", "XY"), CommandFailed, r"exit 2: .*argument --rankdir: invalid choice: 'XY' \(choose from 'LR', 'TB'\)"),
    row("cli: train nosuch", cli("train", "nosuch"), CommandFailed, r"exit 1: micrograd-nn train: error: unknown network 'nosuch'; choose one of: doc000"),
    row("cli: train --lr -1", cli("train", "doc001", "--lr", "-1"), CommandFailed, r"exit 1: micrograd-nn train: error: lr must lie in \(0.0, inf\), got -1.0"),
    row("cli: train --batch 0", cli("train", "doc001", "--batch", "0"), CommandFailed, r"exit 2: .*argument --batch: expected \"full\" or a batch size >= 1, got '0'"),
    row("cli: train --resume a missing file", cli("train", "doc003", "--resume", str(A_FILE.parent / "no_such_model.json")), CommandFailed, r"exit 1: micrograd-nn train: error: .*No such file or directory: .*no_such_model.json"),
    row("cli: train --resume a file that is not a model", cli("train", "doc003", "--resume", str(A_FILE)), CommandFailed, r"exit 1: micrograd-nn train: error: load: .*test_bad_inputs.py"),
    row("cli: train --out in a file", cli("train", "doc001", "--epochs", "1", "--quiet", "--out", str(A_FILE / "run")), CommandFailed, r"exit 1: micrograd-nn train: error: .*is a file, not a folder"),
    row("cli: list extra", cli("list", "extra"), CommandFailed, r"exit 2: micrograd-nn: error: unrecognized arguments: extra; see micrograd-nn --help"),
    row("cli: check a missing file", cli("check", str(A_FILE.parent / "no_such_homework.py")), CommandFailed, r"exit 1: micrograd-nn check: .*no_such_homework.py: no such file"),
    row("cli: check --network nosuch", cli("check", str(A_FILE), "--network", "nosuch"), CommandFailed, r"exit 1: micrograd-nn check: error: unknown network 'nosuch'; choose one of: doc000, doc001"),
    row("cli: check --rtol -1", cli("check", "x.py", "--rtol", "-1"), CommandFailed, r"exit 2: .*argument --rtol: a tolerance is a number >= 0, got '-1'"),
]


@pytest.mark.parametrize("call, error, message", ROWS)
def test_bad_input(call, error, message):
    if error is None:
        call()
        return
    with pytest.raises(error) as info:
        call()
    assert re.search(message, str(info.value)), f"the message {str(info.value)!r} does not match {message!r}"


def test_the_table_covers_every_public_entry_point():
    """A new public name in micrograd_nn needs a row (or a reason here why not)."""
    import micrograd_nn

    covered = set()
    source = Path(__file__).read_text()
    for name in micrograd_nn.__all__:
        if re.search(rf"\b{name}\b\(", source):
            covered.add(name)
    not_called = {"Module"}  # an abstract base class: nothing to call
    assert set(micrograd_nn.__all__) - covered - not_called == set()
