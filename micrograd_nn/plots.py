"""Figures with matplotlib: loss curves, decision boundaries, parameter trajectories.

Every function draws on a new ``matplotlib.figure.Figure`` (never pyplot, so
no window, no backend to choose and no global state: it works headless),
saves it when given a ``path`` and returns it (Jupyter shows a returned
Figure inline after ``%matplotlib inline``). The suffix of ``path`` picks the
format: ``.png`` (the default choice of every command), ``.svg`` or ``.pdf``.
matplotlib is imported only when a figure is drawn.

Example:
    >>> from micrograd_nn.plots import loss_curves
    >>> fig = loss_curves({"SGD": [0.7, 0.4, 0.2], "Adam": [0.7, 0.2, 0.05]},
    ...                   title="XOR: training loss")
    >>> ax = fig.axes[0]
    >>> ax.get_title(), ax.get_xlabel(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('XOR: training loss', 'epoch', ['SGD', 'Adam'])
    >>> loss_curves([0.7, 0.4], "loss.gif")
    Traceback (most recent call last):
    ...
    ValueError: unknown figure format 'gif' of 'loss.gif'; choose one of: png, svg, pdf
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Mapping, Sequence

from . import _checks
from .nn import MLP

__all__ = [
    "DPI",
    "FORMATS",
    "decision_boundary",
    "grid_predictions",
    "loss_curves",
    "parameter_trajectories",
    "save",
]

#: The formats a figure can be saved in, chosen by the suffix of the path.
FORMATS = ("png", "svg", "pdf")
#: Resolution of PNG files: small files (a few tens of KB) that stay sharp on screen.
DPI = 110

# Colours for the two classes: regions light, points dark (colour-blind safe pair).
_REGION_COLOURS = ("#f6d3b4", "#c6dbef")
_POINT_COLOURS = ("#e66101", "#2166ac")


def _new_figure(width: float = 6.4, height: float = 4.4):
    from matplotlib.figure import Figure  # lazily: matplotlib is slow to import

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def save(fig, path: str | Path, dpi: int = DPI) -> Path:
    """Write ``fig`` to ``path`` in the format its suffix names; return the path.

    SVG and PDF files carry no date, so the same figure gives the same file on
    every run.

    Raises:
        ValueError: a suffix other than .png, .svg or .pdf (checked before
            anything is written).
    """
    path = Path(path)
    suffix = path.suffix.lstrip(".").lower()
    if suffix not in FORMATS:
        shown = f"{suffix!r}" if suffix else "none"
        raise ValueError(
            f"unknown figure format {shown} of {path.name!r}; choose one of: {', '.join(FORMATS)}"
        )
    import matplotlib

    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.hashsalt": "micrograd_nn"}):  # else SVG ids are random
        fig.savefig(path, dpi=dpi, metadata=metadata)
    return path


def _finish(fig, path: str | Path | None):
    if path is not None:
        save(fig, path)
    return fig


def _curves(curves, what: str, fix: str) -> dict[str, list[float]]:
    """name -> list of floats; ValueError saying ``fix`` when there is nothing to plot."""
    if not isinstance(curves, Mapping):
        curves = {"loss": curves}
    checked = {}
    for name, values in curves.items():
        values = _checks.as_list(values, f"{what}: each curve must be a list of numbers")
        checked[str(name)] = [float(v) for v in values]
    if not checked or any(not values for values in checked.values()):
        raise ValueError(f"{what}: nothing to plot; {fix}")
    return checked


def loss_curves(
    curves: Mapping[str, Sequence[float]] | Sequence[float],
    path: str | Path | None = None,
    *,
    title: str = "Training loss",
    xlabel: str = "epoch",
    ylabel: str = "loss",
    log_scale: bool = True,
):
    """One loss curve, or several on the same axes (e.g. SGD vs momentum vs Adam).

    Args:
        curves: a list of losses (one per epoch), or name -> list of losses;
            each name is an entry of the legend.
        path: where to save the figure (None: do not save).
        log_scale: a logarithmic loss axis when every loss is positive and
            they span at least a factor of 10 (losses span decades). A smaller
            range (document 002's 0.693 to 0.671) or a loss of exactly 0 keeps
            the axis linear, with plain tick labels: 0.675, not 6.75x10^-1 or
            an offset such as +6.7e-1.

    Raises:
        ValueError: no curve, an empty curve, or a bad suffix in ``path``.
    """
    curves = _curves(curves, "loss_curves", "pass at least one non-empty list of losses")
    fig, ax = _new_figure()
    for name, losses in curves.items():
        ax.plot(range(len(losses)), losses, label=name, linewidth=1.6)
    values = [v for losses in curves.values() for v in losses if math.isfinite(v)]
    if log_scale and values and min(values) > 0 and max(values) >= 10 * min(values):
        ax.set_yscale("log")
    else:
        ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="best")
    return _finish(fig, path)


def _sigmoid(z):
    import numpy as np

    e = np.exp(-np.abs(z))  # the engine's formula: exp only sees -|z|, so nothing overflows
    return np.where(z >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def grid_predictions(model: MLP, points):
    """The model's output for many inputs at once, with numpy: points (n, nin) -> (n,).

    The same arithmetic as the Value graph, in the same order (each neuron's
    ``w1*x1 + w2*x2 + ... + b`` summed left to right, the engine's sigmoid), on
    the weights of ``model.to_parameters()``, so it agrees with ``model(x).data``
    to the last bit or two, thousands of times faster than building a graph per point.
    """
    import numpy as np

    activations = {
        "relu": lambda z: np.where(z > 0.0, z, 0.0),
        "tanh": np.tanh,
        "linear": lambda z: z,
        "sigmoid": _sigmoid,
    }
    parameters = model.to_parameters()
    a = np.asarray(
        points, dtype=np.float64
    ).T  # (nin, n): samples as columns, the documents' layout
    for l, layer in enumerate(model.layers, start=1):
        W = parameters[f"W{l}"]
        z = np.zeros((W.shape[0], a.shape[1]))
        for k in range(W.shape[1]):
            z = z + W[:, k : k + 1] * a[k]
        if f"b{l}" in parameters:
            z = z + parameters[f"b{l}"]
        a = activations[layer.activation](z)
    return a[0]


def decision_boundary(
    model: MLP,
    inputs: Sequence[Sequence[float]],
    labels: Sequence[float],
    path: str | Path | None = None,
    *,
    threshold: float = 0.5,
    marks: Mapping[str, Sequence[float]] | None = None,
    title: str = "Decision boundary",
    xlabel: str = "x[0]",
    ylabel: str = "x[1]",
    class_names: Sequence[str] | None = None,
    resolution: int = 200,
):
    """The model's decision regions with the data, for a model with 2 inputs and 1 output.

    The background shows where the output is above ``threshold`` (blue) or
    not (orange), the black line where it equals the threshold, the points
    the data coloured by label.

    Args:
        labels: one label per input, two classes: 0/1 (with threshold 0.5), or
            -1/+1 (with threshold 0, for a hinge loss); a label above the
            threshold is the second class.
        threshold: the output level that separates the classes (0.5 for a
            sigmoid output, 0 for a hinge or tanh score).
        marks: name -> point to mark with a star and its name (e.g. Emily and Frank).
        class_names: legend names for the class below and above the threshold
            (default: "class 0", "class 1"; "class -1", "class +1" when the threshold is <= 0).
        resolution: grid points along each axis.

    Raises:
        ValueError: not a 2-input, 1-output MLP; no points; inputs that are not
            pairs; more than two distinct labels.
    """
    import numpy as np

    if not isinstance(model, MLP) or model.nin != 2 or len(model.layers[-1].neurons) != 1:
        raise ValueError(
            f"decision_boundary needs an MLP with 2 inputs and 1 output, got {model!r}"
        )
    X = np.asarray(inputs, dtype=float)
    y = np.asarray(labels, dtype=float)
    if X.size == 0:
        raise ValueError("decision_boundary: no points; pass at least one input and its label")
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
        raise ValueError(
            f"decision_boundary: inputs must be n points of 2 coordinates and labels n values, "
            f"got inputs of shape {X.shape} and labels of shape {y.shape}"
        )
    classes = np.unique(y)
    if len(classes) > 2:
        raise ValueError(
            f"decision_boundary: labels must name two classes, "
            f"got {len(classes)}: {classes.tolist()}"
        )
    if class_names is None:
        class_names = ("class 0", "class 1") if threshold > 0 else ("class -1", "class +1")
    class_names = _checks.as_list(class_names, "decision_boundary: class_names must be two names")
    if len(class_names) != 2:
        raise ValueError(
            f"decision_boundary: class_names must be two names, got {list(class_names)}"
        )

    points = np.vstack([X, np.asarray(list(marks.values()), dtype=float)]) if marks else X
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.15 * np.maximum(hi - lo, 1e-9)
    xs, ys = np.meshgrid(
        np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
        np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution),
    )
    zs = grid_predictions(model, np.column_stack([xs.ravel(), ys.ravel()])).reshape(xs.shape)

    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig, ax = _new_figure(7.2, 4.8)
    ax.contourf(
        xs,
        ys,
        (zs > threshold).astype(float),
        levels=[-0.5, 0.5, 1.5],
        colors=list(_REGION_COLOURS),
        alpha=0.9,
    )
    handles = []
    if zs.min() < threshold < zs.max():  # else there is no boundary inside the picture
        ax.contour(xs, ys, zs, levels=[threshold], colors="k", linewidths=1.2)
        handles.append(Line2D([], [], color="k", linewidth=1.2, label=f"output = {threshold:g}"))
    positive = y > threshold
    for mask, colour, name in (
        (~positive, _POINT_COLOURS[0], class_names[0]),
        (positive, _POINT_COLOURS[1], class_names[1]),
    ):
        if mask.any():
            handles.append(
                ax.scatter(*X[mask].T, c=colour, edgecolors="k", linewidths=0.5, s=28, label=name)
            )
    for name, point in (marks or {}).items():
        ax.scatter([point[0]], [point[1]], marker="*", s=240, c="gold", edgecolors="k", zorder=5)
        ax.annotate(
            name,
            point,
            textcoords="offset points",
            xytext=(9, 6),
            fontsize="small",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "0.6", "alpha": 0.85},
        )
    handles += [
        Patch(color=_REGION_COLOURS[0], label=f"predicted {class_names[0]}"),
        Patch(color=_REGION_COLOURS[1], label=f"predicted {class_names[1]}"),
    ]
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return _finish(fig, path)


def parameter_trajectories(
    parameters: Mapping[str, Sequence[float]],
    path: str | Path | None = None,
    *,
    title: str = "Parameters during training",
    xlabel: str = "epochs finished",
):
    """Each parameter's value over training (``History.parameters``), e.g. w1..w6, b1..b3.

    Weights are drawn solid, biases (names starting with b) dashed and listed
    after the weights. Point k is the value after k epochs when the list starts
    with the initial value (as ``micrograd-nn train`` draws it).

    Raises:
        ValueError: no parameters or an empty trajectory (train with
            ``track_parameters=True``), or a bad suffix in ``path``.
    """
    if not isinstance(parameters, Mapping):
        raise TypeError(
            "parameter_trajectories: parameters must be a dict name -> values after each epoch "
            f"(History.parameters), got {type(parameters).__name__}"
        )
    curves = _curves(parameters, "parameter_trajectories", "train with track_parameters=True")
    curves = dict(sorted(curves.items(), key=lambda item: item[0].startswith("b")))  # weights first
    fig, ax = _new_figure(7.2, 4.6)
    for name, values in curves.items():
        ax.plot(
            range(len(values)),
            values,
            label=name,
            linewidth=1.4,
            linestyle="--" if name.startswith("b") else "-",
        )
    ax.set(title=title, xlabel=xlabel, ylabel="value")
    ax.grid(True, alpha=0.3)
    ax.legend(
        ncol=2 if len(curves) > 5 else 1,
        fontsize="small",
        loc="center left",
        bbox_to_anchor=(1.01, 0.5),
    )
    return _finish(fig, path)
