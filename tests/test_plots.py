"""Figures: what they show, the files they write, the numpy grid beside the engine, headless."""

import math
import os
import subprocess
import sys

import numpy as np
import pytest

from micrograd_nn import MLP
from micrograd_nn.plots import (
    decision_boundary,
    grid_predictions,
    loss_curves,
    parameter_trajectories,
    save,
)

XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [0.0, 1.0, 1.0, 0.0]
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF"}


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


# ------------------------------------------------------------ what a figure shows


def test_loss_curves_has_title_labels_and_a_legend_entry_per_curve():
    fig = loss_curves(
        {"SGD, lr 0.1": [0.7, 0.3, 0.1], "Adam, lr 0.01": [0.7, 0.1, 0.01]},
        title="XOR",
        ylabel="binary cross-entropy",
    )
    (ax,) = fig.axes
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == (
        "XOR",
        "epoch",
        "binary cross-entropy",
    )
    assert legend_texts(ax) == ["SGD, lr 0.1", "Adam, lr 0.01"]
    assert [list(line.get_ydata()) for line in ax.get_lines()] == [
        [0.7, 0.3, 0.1],
        [0.7, 0.1, 0.01],
    ]
    assert ax.get_yscale() == "log"


def test_a_single_list_is_one_curve_and_a_zero_loss_keeps_the_axis_linear():
    ax = loss_curves([0.5, 0.25, 0.0]).axes[0]
    assert legend_texts(ax) == ["loss"]
    assert ax.get_yscale() == "linear"
    assert loss_curves([0.5, 0.25], log_scale=False).axes[0].get_yscale() == "linear"


def test_a_diverged_run_with_inf_and_nan_still_draws():
    ax = loss_curves([0.5, 0.01, math.inf, math.nan]).axes[0]
    assert ax.get_yscale() == "log"  # chosen from the finite losses
    assert loss_curves([0.5, math.inf, math.nan]).axes[0].get_yscale() == "linear"


def y_tick_texts(fig):
    """The loss axis' labels as drawn: every major and minor tick and the offset text."""
    fig.draw_without_rendering()
    (ax,) = fig.axes
    ticks = ax.get_yticklabels() + ax.get_yticklabels(minor=True)
    return [t.get_text() for t in ticks if t.get_text()], ax.yaxis.get_offset_text().get_text()


@pytest.mark.parametrize(
    "losses",
    [
        [0.6931, 0.69, 0.685, 0.68, 0.675, 0.6712],  # document 002's run: 0.693 -> 0.671
        [0.5, 0.3, 0.2],  # less than a factor of 10
        [0.693147, 0.693146, 0.693145],  # a plateau
        [1000.5, 1000.1],  # far from 0
    ],
)
def test_a_loss_curve_on_a_small_range_has_plain_tick_labels(losses):
    labels, offset = y_tick_texts(loss_curves(losses))
    assert loss_curves(losses).axes[0].get_yscale() == "linear"
    assert offset == ""
    assert labels and [float(text) for text in labels]  # each a plain number
    assert not any("10^" in t or "times" in t or "e-" in t or "e+" in t for t in labels), labels


def test_a_loss_curve_over_decades_keeps_its_log_axis():
    labels, _ = y_tick_texts(loss_curves([0.7, 0.1, 0.01]))
    assert "$\\mathdefault{10^{-2}}$" in labels  # the decades, labelled as powers of 10


def test_parameter_trajectories_lists_weights_then_biases_biases_dashed():
    trajectories = {"w1": [0.1, 0.2], "b1": [0.0, -0.1], "w2": [0.3, 0.4]}
    ax = parameter_trajectories(trajectories, title="w and b").axes[0]
    assert ax.get_title() == "w and b" and ax.get_xlabel() == "epochs finished"
    assert ax.get_ylabel() == "value"
    assert legend_texts(ax) == ["w1", "w2", "b1"]
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "-", "--"]


def trained_xor(seed=1):
    from micrograd_nn.train import train

    model = MLP(2, [4, 1], activation=["tanh", "sigmoid"], seed=seed)
    train(model, XOR_X, XOR_Y, loss="binary_cross_entropy", lr=2.0, epochs=300, progress=False)
    return model


def test_decision_boundary_shows_the_classes_the_boundary_and_the_marks():
    fig = decision_boundary(
        trained_xor(),
        XOR_X,
        XOR_Y,
        marks={"Emily 0.95": [0.2, 0.8]},
        title="XOR",
        xlabel="a",
        ylabel="b",
        class_names=("off", "on"),
    )
    (ax,) = fig.axes
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("XOR", "a", "b")
    assert legend_texts(ax) == ["output = 0.5", "off", "on", "predicted off", "predicted on"]
    assert [text.get_text() for text in ax.texts] == ["Emily 0.95"]
    xmin, xmax = ax.get_xlim()
    assert xmin < 0.0 and xmax > 1.0  # the data, with a margin


def test_decision_boundary_defaults_name_the_classes_by_threshold():
    model = MLP(2, [3, 1], activation=["relu", "linear"], seed=0)
    ax = decision_boundary(model, XOR_X, [-1, 1, 1, -1], threshold=0.0).axes[0]
    assert "class -1" in legend_texts(ax) and "class +1" in legend_texts(ax)


def test_no_boundary_line_when_the_output_never_crosses_the_threshold():
    model = MLP(2, [1], activation="sigmoid", seed=0)
    for p in model.parameters():
        p.data = 0.0  # output 0.5 everywhere: below 0.9 everywhere
    ax = decision_boundary(model, XOR_X, XOR_Y, threshold=0.9).axes[0]
    assert "output = 0.9" not in legend_texts(ax)


# ------------------------------------------------------------ the numpy grid


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_grid_predictions_equal_the_value_engine(activation):
    model = MLP(2, [5, 3, 1], activation=activation, init="normal", bias_init="normal", seed=7)
    rng = np.random.default_rng(0)
    points = np.vstack(
        [rng.normal(scale=3.0, size=(50, 2)), [[0.0, 0.0], [40.0, -40.0], [-300.0, 200.0]]]
    )
    grid = grid_predictions(model, points)
    for point, value in zip(points.tolist(), grid.tolist()):
        assert value == pytest.approx(model(point).data, rel=1e-12, abs=1e-300)


def test_grid_predictions_keep_the_sigmoid_tails():
    """Far out, a sigmoid output is tiny, not 0: the engine's formula, not 1 - (1 - s)."""
    model = MLP(2, [1], activation="sigmoid", seed=0)
    model.layers[0].neurons[0].w[0].data, model.layers[0].neurons[0].w[1].data = 1.0, 0.0
    (tail,) = grid_predictions(model, [[-50.0, 0.0]])
    assert tail == pytest.approx(model([-50.0, 0.0]).data, rel=1e-12) and tail > 0


def test_grid_predictions_for_a_network_without_biases():
    model = MLP(3, [4, 1], activation="sigmoid", bias=False, seed=2)
    points = [[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    assert grid_predictions(model, points).tolist() == pytest.approx(
        [model(x).data for x in points], rel=1e-12
    )


# ------------------------------------------------------------ files


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf", "PNG"])
def test_the_suffix_picks_the_format(tmp_path, suffix):
    path = tmp_path / "deep" / f"loss.{suffix}"
    loss_curves([0.3, 0.2], path)
    assert path.read_bytes().startswith(MAGIC[suffix.lower()])


def test_svg_files_are_the_same_on_every_run(tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for path in (first, second):
        parameter_trajectories({"w1": [0.0, 1.0], "b1": [1.0, 0.0]}, path)
    assert first.read_bytes() == second.read_bytes()


def test_every_function_writes_its_file(tmp_path):
    loss_curves([1.0, 0.5], tmp_path / "loss.png")
    parameter_trajectories({"w1": [0.0, 1.0]}, tmp_path / "parameters.png")
    decision_boundary(
        MLP(2, [2, 1], activation="sigmoid", seed=0), XOR_X, XOR_Y, tmp_path / "boundary.png"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "boundary.png",
        "loss.png",
        "parameters.png",
    ]


def test_save_returns_the_path(tmp_path):
    fig = loss_curves([1.0])
    assert save(fig, tmp_path / "x.svg") == tmp_path / "x.svg"


@pytest.mark.parametrize("name", ["loss.gif", "loss", "loss.png.txt"])
def test_a_bad_suffix_is_a_value_error_and_writes_nothing(tmp_path, name):
    with pytest.raises(ValueError, match="choose one of: png, svg, pdf"):
        loss_curves([0.3, 0.2], tmp_path / "sub" / name)
    assert not (tmp_path / "sub").exists()


# ------------------------------------------------------------ bad input


@pytest.mark.parametrize("curves", [[], {}, {"sgd": [0.1], "adam": []}])
def test_loss_curves_refuse_nothing_to_plot(curves):
    with pytest.raises(ValueError, match="nothing to plot; pass at least one non-empty list"):
        loss_curves(curves)


def test_loss_curves_refuse_a_string():
    with pytest.raises(TypeError, match="each curve must be a list of numbers"):
        loss_curves({"sgd": "0.1 0.2"})


@pytest.mark.parametrize("parameters", [{}, {"w1": []}])
def test_parameter_trajectories_refuse_nothing_to_plot(parameters):
    with pytest.raises(ValueError, match="track_parameters=True"):
        parameter_trajectories(parameters)


def test_parameter_trajectories_want_a_dict():
    with pytest.raises(TypeError, match="History.parameters"):
        parameter_trajectories([[0.1, 0.2]])


@pytest.mark.parametrize(
    "inputs, labels, message",
    [
        ([], [], "no points"),
        ([[0.0, 1.0, 2.0]], [1.0], "n points of 2 coordinates"),
        (XOR_X, [0.0, 1.0], "labels n values"),
        (XOR_X, [0.0, 1.0, 2.0, 0.0], "two classes, got 3"),
    ],
)
def test_decision_boundary_refuses_bad_data(inputs, labels, message):
    with pytest.raises(ValueError, match=message):
        decision_boundary(MLP(2, [2, 1], activation="sigmoid", seed=0), inputs, labels)


@pytest.mark.parametrize("model", [MLP(3, [2, 1], seed=0), MLP(2, [2, 2], seed=0), "net"])
def test_decision_boundary_needs_two_inputs_and_one_output(model):
    with pytest.raises(ValueError, match="2 inputs and 1 output"):
        decision_boundary(model, XOR_X, XOR_Y)


def test_decision_boundary_wants_two_class_names():
    with pytest.raises(ValueError, match="two names"):
        decision_boundary(MLP(2, [2, 1], seed=0), XOR_X, XOR_Y, class_names=("a", "b", "c"))


# ------------------------------------------------------------ headless and light


def test_importing_the_package_and_plots_does_not_import_matplotlib_and_drawing_avoids_pyplot(
    tmp_path,
):
    code = (
        "import sys\n"
        "import micrograd_nn, micrograd_nn.plots, micrograd_nn.cli\n"
        "assert 'matplotlib' not in sys.modules, 'imported too early'\n"
        "from micrograd_nn.plots import loss_curves\n"
        f"loss_curves([1.0, 0.5], {str(tmp_path / 'x.png')!r})\n"
        "assert 'matplotlib' in sys.modules and 'matplotlib.pyplot' not in sys.modules\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}  # headless
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "x.png").exists()
