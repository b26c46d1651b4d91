"""Stepping through the backward pass: the steps reproduce backward() bit for bit,
read well, and drive `micrograd-nn step` (piped, interactive, and as frames)."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_nn import MLP, Value, mse
from micrograd_nn.cli import main
from micrograd_nn.datasets import PEOPLE
from micrograd_nn.documents import doc001
from micrograd_nn.documents.networks import loss_graph
from micrograd_nn.steps import PROMPT, Edge, Step, backward_steps, walk, write_frames
from micrograd_nn.documents.walkthrough import DEFAULT_SEED, network_2_2_1

REPO = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------ graphs, built afresh on each call


def single_neuron():
    w, x, b = Value(0.5, label="w"), Value(2.0, label="x"), Value(-1.0, label="b")
    return (1 - (w * x + b).sigmoid()) ** 2


def reused():
    """x appears many times: x*x, x + x, and through two branches."""
    x, y = Value(0.7, label="x"), Value(-1.3, label="y")
    a = x * x + x
    b = (a * y).tanh() + (x / y).exp()
    return (a * b + x**3 - Value.sum([a, b, a])).relu() + (x - y).log() * 0.1


def doc001_alice():
    model = network_2_2_1(DEFAULT_SEED)
    x, y = PEOPLE["Alice"]
    return mse(model(x), y)


def batch_mlp():
    model = MLP(2, [4, 3, 1], activation=["relu", "tanh", "sigmoid"], seed=3)
    xs, ys = zip(*PEOPLE.values())
    return mse([model([v / 10 for v in x]) for x in xs], list(ys))


def leaf_root():
    return Value(4.0, label="alone")


GRAPHS = [single_neuron, reused, doc001_alice, batch_mlp, leaf_root]


def bits(root):
    return [node.grad.hex() for node in root.topological_order()]


# ------------------------------------------------------------ the same grads as backward()


@pytest.mark.parametrize("build", GRAPHS)
def test_all_steps_give_backwards_grads_bit_for_bit(build):
    expected, stepped = build(), build()
    expected.backward()
    steps = list(backward_steps(stepped))
    assert bits(stepped) == bits(expected)
    assert len(steps) == len(stepped.topological_order())


@pytest.mark.parametrize("build", GRAPHS)
def test_leaves_accumulate_over_two_passes_as_backward_does(build):
    expected, stepped = build(), build()
    expected.backward()
    expected.backward()
    for _ in range(2):
        for _ in backward_steps(stepped):
            pass
    assert bits(stepped) == bits(expected)
    # and the two can be mixed: interior grads reset, leaves keep accumulating
    expected.backward()
    stepped.backward()
    assert bits(stepped) == bits(expected)


def test_steps_follow_backwards_order_and_record_each_edge():
    root = reused()
    order = root.topological_order()
    steps = list(backward_steps(root))
    assert [s.node for s in steps] == list(reversed(order))
    assert [s.index for s in steps] == list(range(len(order)))
    assert {s.total for s in steps} == {len(order)}
    assert steps[0].node is root and steps[0].grad == 1.0
    running = {}
    for step in steps:
        assert step.grad == step.node.grad  # final when the node is reached
        assert [e.child for e in step.edges] == list(step.node.children)
        for edge, local in zip(step.edges, step.node.local_grads):
            assert edge.local == local
            assert edge.contribution == local * step.grad
            running[edge.child] = running.get(edge.child, 0.0) + edge.contribution
            assert edge.child_grad == running[edge.child]  # the grad right after this contribution


def test_a_reused_child_gets_one_edge_per_use():
    x = Value(3.0, label="x")
    y = x * x
    first = next(backward_steps(y))
    assert first.edges == (Edge(x, 3.0, 3.0, 3.0), Edge(x, 3.0, 3.0, 6.0))
    assert isinstance(first.edges[0], tuple)  # (child, local, contribution, child_grad) unpacks


def test_nothing_changes_until_the_first_step():
    root = single_neuron()
    root.backward()
    before = bits(root)
    steps = backward_steps(root)
    assert bits(root) == before
    next(steps)
    assert bits(root) != before  # interior grads were reset, then the root's children filled


def test_a_leaf_root_accumulates_one():
    v = leaf_root()
    (step,) = backward_steps(v)
    assert step.grad == 1.0 and step.edges == ()
    list(backward_steps(v))
    assert v.grad == 2.0


def test_not_a_value():
    with pytest.raises(TypeError, match="backward_steps takes a Value"):
        backward_steps(3.0)


# ------------------------------------------------------------ the text of a step


def test_step_text():
    x = Value(3.0, label="x")
    y = x * x + 1
    y.label = "y"
    steps = [str(s) for s in backward_steps(y)]
    assert steps == [
        "step 1/4: y (+), grad 1 (the root: dy/dy = 1)\n"
        "  (x * x)  += 1 * 1 = 1   grad now 1\n"
        "  1        += 1 * 1 = 1   grad now 1",
        "step 2/4: 1 (leaf), grad 1: final, a leaf passes nothing on",
        "step 3/4: (x * x) (*), grad 1\n"
        "  x  += 3 * 1 = 3   grad now 3\n"
        "  x  += 3 * 1 = 3   grad now 6",
        "step 4/4: x (leaf), grad 6: final, a leaf passes nothing on",
    ]


def test_step_text_for_a_neuron_names_the_documents_parts():
    text = [str(s) for s in backward_steps(loss_graph("doc001", "Alice"))]
    # The numbers come from the document's hand derivation (the doc001 reference).
    p = doc001.OurNeuralNetwork(doc001.SEED).partials(PEOPLE["Alice"][0], 1.0)
    d_L_d_y = 2 * (1.0 - p["o1"])  # L = (y_true - o1)**2, so d(L)/d(y_true - o1) = 2(y_true - o1)
    assert text[0].startswith(
        f"step 1/20: L (**2), grad 1 (the root: dL/dL = 1)\n  (y_true - o1)  += {d_L_d_y:.4g} * 1"
    )
    sum_o1 = next(t for t in text if t.startswith("step 4/20"))
    grad = p["d_L_d_ypred"] * p["d_ypred_d_b3"]  # d(L)/d(sum_o1)
    assert sum_o1.splitlines()[0] == f"step 4/20: sum_o1 (Σ w·x + b), grad {grad:.4g}"
    w5 = p["h1"] * grad
    assert sum_o1.splitlines()[1] == f"  w5  += {p['h1']:.4g} * {grad:.4g} = {w5:.4g}   grad now {w5:.4g}"
    first = next(backward_steps(Value(1.0) * 2))
    assert isinstance(first, Step)
    assert str(first).startswith("step 1/3: (1 * 2) (*), grad 1 (the root, seeded with 1)")


# ------------------------------------------------------------ document networks


def test_loss_graph_is_the_documents_per_sample_loss():
    loss = loss_graph()
    assert loss.label == "L" and loss.op == "**2"
    model = network_2_2_1(DEFAULT_SEED)
    x, y = PEOPLE["Alice"]
    assert loss.data == mse(model(x), y).data
    labels = {n.label for n in loss.topological_order()}
    assert {"w1", "w6", "b3", "h1", "sum_o1", "o1", "y_true", "x[0]"} <= labels
    assert loss_graph("doc001", "CHARLIE", seed=7).data == mse(network_2_2_1(7)(PEOPLE["Charlie"][0]), 0.0).data


def test_loss_graph_bad_names():
    with pytest.raises(ValueError, match="unknown network 'mnist'; choose one of: doc000, doc001, doc002"):
        loss_graph("mnist")
    with pytest.raises(ValueError, match="unknown sample 'Eve' for doc001; choose one of: Alice, Bob, Charlie, Diana"):
        loss_graph("doc001", "Eve")


# ------------------------------------------------------------ the terminal


def test_walk_piped_prints_every_step():
    out = io.StringIO()
    assert walk(backward_steps(single_neuron()), stdout=out) == 9
    text = out.getvalue()
    assert text.count("step ") == 9 and PROMPT not in text


def test_walk_interactive_advances_on_enter_and_quits_on_q():
    out = io.StringIO()
    shown = walk(backward_steps(single_neuron()), stdin=io.StringIO("\n\nq\n"), stdout=out, interactive=True)
    assert shown == 3
    text = out.getvalue()
    assert text.count(PROMPT) == 3 and "step 3/9" in text and "step 4/9" not in text


def test_walk_interactive_stops_at_end_of_input_and_runs_to_the_end():
    out = io.StringIO()
    assert walk(backward_steps(single_neuron()), stdin=io.StringIO("\n"), stdout=out, interactive=True) == 2
    out = io.StringIO()
    assert walk(backward_steps(single_neuron()), stdin=io.StringIO("\n" * 20), stdout=out, interactive=True) == 9
    assert out.getvalue().count(PROMPT) == 8  # no prompt after the last step


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_cli_step_in_a_terminal_waits_for_enter(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", FakeTerminal("\nq\n"))
    monkeypatch.setattr(sys, "stdout", FakeTerminal())
    assert main(["step"]) == 0
    text = sys.stdout.getvalue()
    assert "step 2/20" in text and "step 3/20" not in text
    assert "stopped after step 2 of 20" in text


def test_cli_step_piped_prints_every_step_and_checks_backward():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-m", "micrograd_nn", "step", "--sample", "Bob", "--seed", "3"],
        capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stderr
    assert "The loss of sample Bob, weights from seed 3." in out.stdout
    assert out.stdout.count("\nstep ") == 20 and PROMPT not in out.stdout
    assert "done: 20 steps. Every grad equals a fresh backward()'s, bit for bit." in out.stdout


def test_cli_step_bad_sample(capsys):
    assert main(["step", "--sample", "Zoe"]) == 1
    assert "unknown sample 'Zoe'" in capsys.readouterr().err


# ------------------------------------------------------------ frames and the GIF


@pytest.mark.needs_dot
def test_frames_one_per_step_and_a_gif(tmp_path):
    from PIL import Image

    x = Value(0.5, label="x")
    y = (x * x + 1).tanh()
    y.label = "y"
    expected = (lambda v: (v * v + 1).tanh())(Value(0.5, label="x"))
    expected.backward()
    lines = []
    frames, gif = write_frames(y, tmp_path / "frames", echo=lines.append)
    n = len(y.topological_order())
    assert [p.name for p in frames] == [f"step_{i:03d}.png" for i in range(n)]
    assert len(lines) == n and lines[0].startswith(f"step 1/{n}: y (tanh)")
    assert bits(y) == bits(expected)  # drawing ran the real pass
    sizes = {Image.open(p).size for p in frames}
    assert len(sizes) == 1  # the layout does not move as grads appear
    with Image.open(gif) as animation:
        assert animation.n_frames == n and animation.size == sizes.pop()


@pytest.mark.needs_dot
def test_frames_show_unknown_grads_as_question_marks(tmp_path, monkeypatch):
    from micrograd_nn import draw

    sources = []
    real = draw.save
    monkeypatch.setattr(draw, "save", lambda graph, path: (sources.append(graph.source), real(graph, path))[1])
    a = Value(2.0, label="a")
    b = a * 3
    b.label = "b"
    write_frames(b, tmp_path)
    first, last = sources[0], sources[-1]
    # step 1 (b): b and its children known; step 2 (the constant 3) and 3 (a): all known
    assert "grad ?" not in first and 'BGCOLOR="#fff2a8"' in first  # the current node is yellow
    assert "label=\"step 3/3: a (leaf)" in last
    c = Value(1.0, label="c")
    d = (c * 2).exp()
    d.label = "d"
    sources.clear()
    write_frames(d, tmp_path / "d")
    assert sources[0].count("grad ?") == 2  # c and the constant 2 not reached yet
    assert sources[-1].count("grad ?") == 0


@pytest.mark.needs_dot
def test_cli_step_frames(tmp_path, capsys):
    assert main(["step", "--frames", str(tmp_path / "f")]) == 0
    out = capsys.readouterr().out
    assert "wrote 20 frames" in out and out.count("\nstep ") == 20
    assert len(list((tmp_path / "f").glob("step_*.png"))) == 20 and (tmp_path / "f" / "backward.gif").exists()
