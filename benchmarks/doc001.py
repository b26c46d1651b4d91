"""Benchmark 4: document 001's training, the Value engine against the document's own loop.

Document 001 trains its 2-2-1 sigmoid network on four people with per-sample
SGD: 1000 epochs, learning rate 0.1, each step the squared error of one sample
and the nine partial derivatives written out by hand. The anchor is that
hand-coded loop (:func:`micrograd_nn.documents.doc001.train`, plain Python
floats); ours builds each sample's loss as a graph, runs ``backward()`` and
``SGD.step()``. Both start from the same weights (seed 42) and, as the
document's loop does, compute the mean squared error over the four people
after every epoch; the final weights must agree to 1e-9.

Target: at most 5x the hand-coded loop's time.
"""
from __future__ import annotations

import numpy as np

from .common import Result, fmt_seconds, interleaved

EPOCHS = 1000


def run(repeats: int = 7) -> list[Result]:
    from micrograd_nn import SGD, mse
    from micrograd_nn.documents.networks import get

    network = get("doc001")
    reference = network.reference
    parameters, X, Y = network.setup()
    xs, ys = X.T.tolist(), Y[0].tolist()
    results = {}

    def hand_coded():
        results["reference"] = reference.train(parameters, X, Y, EPOCHS, reference.LEARNING_RATE)

    def engine():
        model = network.model_from(parameters)
        optimizer = SGD(model.parameters(), lr=reference.LEARNING_RATE)
        history = []
        for _ in range(EPOCHS):
            for x, y in zip(xs, ys):
                loss = mse(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            history.append(mse([model(x) for x in xs], ys).data)
        results["engine"] = model.to_parameters(), history

    times = interleaved({"reference": hand_coded, "engine": engine}, repeats)
    (expected, expected_history), (ours, history) = results["reference"], results["engine"]
    diff = max(float(np.max(np.abs(ours[key] - expected[key]))) for key in expected)
    if diff > 1e-9 or not np.allclose(history, expected_history, rtol=1e-9, atol=0):
        raise AssertionError(f"document 001: the final weights differ by {diff:.2e}")
    t_ref, t_ours = times["reference"], times["engine"]
    ratio = t_ours / t_ref
    return [
        Result(
            "4. document 001, 1000 epochs",
            fmt_seconds(t_ref), fmt_seconds(t_ours), ratio, f"{ratio:.1f}x its time",
            "<= 5x", ratio <= 5,
            f"per-sample SGD on 4 people, the epoch's loss each epoch on both sides; anchor: the "
            f"document's hand-coded loop; final weights agree to {max(diff, 1e-16):.0e}",
        )
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
