"""micrograd_nn.explain: every chain-rule path from a root to a parameter.

Oracles: derivatives worked out by hand (x*x, diamonds), central finite
differences, and backward()'s grad.
"""
import json
import math
import re

import numpy as np
import pytest

from micrograd_nn import Value, mse
from micrograd_nn.explain import count_paths, explain, node_name, total_derivative
from micrograd_nn.documents.walkthrough import network_2_2_1


def central_difference(build, leaf, h=1e-6):
    old = leaf.data
    leaf.data = old + h
    plus = build().data
    leaf.data = old - h
    minus = build().data
    leaf.data = old
    return (plus - minus) / (2 * h)


def test_x_times_x_has_two_edges_to_x():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    e = explain(y, x)
    assert len(e) == len(e.paths) == 2
    assert [[(edge.parent, edge.position, edge.child) for edge in p.edges] for p in e.paths] == [
        [(y, 0, x)],
        [(y, 1, x)],
    ]
    assert [p.product for p in e.paths] == [3.0, 3.0]
    assert e.total == 6.0  # d(x*x)/dx = 2x
    text = str(e)
    assert text.splitlines()[0] == "d(y)/d(x): 2 paths"
    assert "y <-[* arg 1]- x" in text and "y <-[* arg 2]- x" in text
    assert "sum over paths = 6" in text


def test_x_plus_x_and_a_reused_node():
    x = Value(1.5, label="x")
    a = x + x  # two edges, local derivative 1 each
    a.label = "a"
    b = a * a  # a reused: two edges to a, so four paths to x
    b.label = "b"
    e = explain(b, x)
    assert len(e) == 4 == count_paths(b, x)
    assert all(p.factors == [3.0, 1.0] for p in e.paths)  # d(a*a)/da = a = 3 along each edge
    assert e.total == 12.0  # b = 4x**2, db/dx = 8x
    assert explain(b, a).total == 6.0 == total_derivative(b, a)


def test_a_diamond():
    x = Value(0.5, label="x")
    left = x.tanh()
    left.label = "left"
    right = x.exp()
    right.label = "right"
    top = left * right
    top.label = "top"
    e = explain(top, x)
    assert len(e) == 2
    t, s = math.tanh(0.5), math.exp(0.5)
    assert e.paths[0].factors == pytest.approx([s, 1 - t * t], rel=1e-15)
    assert e.paths[1].factors == pytest.approx([t, s], rel=1e-15)
    assert e.total == pytest.approx((1 - t * t) * s + t * s, rel=1e-15)
    assert "top <-[*]- left <-[tanh]- x" in str(e)
    assert "top <-[*]- right <-[exp]- x" in str(e)


def test_document_001_network_w1_has_one_path_equal_to_its_grad():
    model = network_2_2_1(42)
    params = dict(model.named_parameters())
    loss = mse(model([-2.0, -1.0]), 1.0)
    loss.label = "L"
    before = explain(loss, params["w1"])  # before backward: the true derivative anyway
    loss.backward()
    e = explain(loss, params["w1"])
    assert len(e) == 1
    assert [n.label for n in [edge.child for edge in e.paths[0].edges]] == [
        "", "o1", "sum_o1", "h1", "sum_h1", "w1"
    ]
    assert e.total == params["w1"].grad  # one path: the same multiplications as backward()
    assert before.total == e.total
    text = str(e)
    assert "L <-[**2]- (1 - o1) <-[-]- o1 <-[sigmoid]- sum_o1 <-[wsum]- h1 <-[sigmoid]- sum_h1 <-[wsum]- w1" in text
    assert "w1.grad" in text and "backward() not called" not in text
    for name, p in params.items():
        assert explain(loss, p).total == pytest.approx(p.grad, rel=1e-12, abs=1e-300), name
        assert len(explain(loss, p)) == 1


def test_before_backward_the_text_says_so():
    x = Value(2.0, label="x")
    y = x * x
    assert "backward() not called yet?" in str(explain(y, x))
    y.backward()
    assert "backward() not called" not in str(explain(y, x))


@pytest.mark.parametrize("seed", [0, 1])
def test_sum_equals_finite_differences_and_needs_no_backward(seed):
    x = Value(0.7, label="x")
    w = Value(-1.3 + seed, label="w")

    def build():
        a = (w * x).tanh()
        b = (a + x) ** 2
        c = (b * a).sigmoid() + a / (1.5 + x * x) - (w - x).exp()
        return c.log() if c.data > 0 else c

    root = build()
    for leaf in (x, w):
        assert leaf.grad == 0.0
        e = explain(root, leaf)
        assert leaf.grad == 0.0  # explain never calls backward
        assert e.total == pytest.approx(central_difference(build, leaf), rel=1e-7)
        assert total_derivative(root, leaf) == pytest.approx(e.total, rel=1e-13)
        assert count_paths(root, leaf) == len(e)


def test_path_count_guard_and_the_sum_by_dynamic_programming():
    x = Value(1.0, label="x")
    node = x
    for _ in range(40):  # 40 diamonds: 2**40 paths
        node = node.tanh() + node.sigmoid()
    assert count_paths(node, x) == 2**40
    with pytest.raises(ValueError, match=r"1,099,511,627,776 paths.*max_paths=1000.*smaller graph"):
        explain(node, x)
    with pytest.raises(ValueError, match=r"max_paths=10\b"):
        explain(node, x, max_paths=10)
    node.backward()
    assert total_derivative(node, x) == pytest.approx(x.grad, rel=1e-12)
    small = x.tanh() + x.sigmoid()
    assert len(explain(small, x, max_paths=2)) == 2


def test_deep_chain_without_recursion():
    x = Value(0.1, label="x")
    node = x
    for _ in range(5000):
        node = node * 1.0001
    e = explain(node, x)
    assert len(e) == 1 and len(e.paths[0].edges) == 5000
    node.backward()
    assert e.total == x.grad


def test_param_not_in_graph_and_root_itself():
    x, z = Value(1.0, label="x"), Value(2.0, label="z")
    y = x.exp()
    y.label = "y"
    e = explain(y, z)
    assert len(e) == 0 and e.total == 0.0 and count_paths(y, z) == 0
    assert "z is not in y's graph" in str(e)
    itself = explain(y, y)
    assert len(itself) == 1 and itself.total == 1.0


def test_paths_stop_at_an_interior_param():
    x = Value(2.0, label="x")
    h = x * x
    h.label = "h"
    y = h * 3 + h
    e = explain(y, h)
    assert len(e) == 2 and e.total == 4.0


def test_node_names():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    assert node_name(a) == "a"
    assert node_name(Value(0.5)) == "0.5"
    assert node_name(1 - a) == "(1 - a)"
    assert node_name(a * b) == "(a * b)"
    assert node_name(a**2) == "(a**2)"
    assert node_name(-a) == "(-a)"
    assert node_name(a.tanh()) == "tanh(a)"
    assert node_name((a * b).exp()) == "exp(...)"
    assert node_name(Value.sum([a, b, a, b, a])) == "sum(a, b, a, ...)"


@pytest.mark.parametrize(
    "args, error",
    [
        ((1.0, Value(1.0)), TypeError),
        ((Value(1.0), "x"), TypeError),
        ((Value(1.0), Value(1.0), 0), ValueError),
        ((Value(1.0), Value(1.0), 2.5), ValueError),
    ],
)
def test_bad_arguments(args, error):
    with pytest.raises(error):
        explain(*args)


# ------------------------------------------------------------ the formats to paste
# The numbers of document 001's w1 path, worked out by hand for seed 42's weights:
# L = (1 - o1)**2, so the factors are 2 (1 - o1), -1, o1 (1 - o1), w5, h1 (1 - h1), x0.


def w1_path_by_hand(weights, x=(-2.0, -1.0), y_true=1.0):
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h1 = sigmoid(weights["w1"] * x[0] + weights["w2"] * x[1] + weights["b1"])
    h2 = sigmoid(weights["w3"] * x[0] + weights["w4"] * x[1] + weights["b2"])
    o1 = sigmoid(weights["w5"] * h1 + weights["w6"] * h2 + weights["b3"])
    return [2 * (y_true - o1), -1.0, o1 * (1 - o1), weights["w5"], h1 * (1 - h1), x[0]]


@pytest.fixture
def w1_explanation():
    model = network_2_2_1(42)
    params = dict(model.named_parameters())
    loss = mse(model([-2.0, -1.0]), 1.0)
    loss.label = "L"
    loss.backward()
    factors = w1_path_by_hand({name: p.data for name, p in params.items()})
    return explain(loss, params["w1"]), factors


def md_cells(line):
    assert line.startswith("|") and line.endswith("|"), line
    return [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]


def test_markdown_table(w1_explanation):
    e, factors = w1_explanation
    assert e.render("markdown") == e.to_markdown()
    lines = e.to_markdown().splitlines()
    rows = [md_cells(line) for line in lines]
    assert len({len(row) for row in rows}) == 1
    assert rows[0] == ["path", "chain", "factors", "product"]
    assert re.fullmatch(r"\|(:?-{3,}:?\|){4}", lines[1])
    path, chain, values, product = rows[2]
    assert path == "1" and chain.startswith("`L <-[**2]- (1 - o1)") and chain.endswith("w1`")
    assert [float(v) for v in values.split(" × ")] == pytest.approx(factors, rel=1e-5)
    exact = float(np.prod(factors))
    assert float(product) == pytest.approx(exact, rel=1e-11)
    assert rows[3][0] == "sum over paths" and float(rows[3][3]) == pytest.approx(exact, rel=1e-11)
    assert rows[4][0] == "`w1.grad`" and float(rows[4][3]) == pytest.approx(exact, rel=1e-11)


def test_markdown_escapes_a_pipe_and_says_when_backward_is_missing():
    x = Value(2.0, label="a|b")
    y = x * x
    y.label = "y"
    lines = explain(y, x).to_markdown().splitlines()
    assert {len(md_cells(line)) for line in lines} == {4}
    assert "`y <-[* arg 1]- a\\|b`" in lines[2]
    assert "(backward() not called yet?)" in lines[-1]


def test_latex_document(w1_explanation):
    from pylatexenc.latexwalker import LatexEnvironmentNode, LatexMacroNode
    from test_derive_formats import braces_balance, latex_float, parse_latex

    e, factors = w1_explanation
    text = e.render("latex")
    assert text == e.to_latex()
    assert text.startswith("\\documentclass{article}\n\\usepackage{amsmath}\n")
    assert braces_balance(text)
    nodes = parse_latex(text)
    environments = [n.environmentname for n in nodes if isinstance(n, LatexEnvironmentNode)]
    assert environments == ["document", "align*"]
    fracs = [n for n in nodes if isinstance(n, LatexMacroNode) and n.macroname == "frac"]
    assert len(fracs) == 2 + 6  # d(L)/d(w1), d(parent)/d(child), and one per edge
    assert all(len(f.nodeargd.argnlist) == 2 for f in fracs)
    body = e.to_latex(standalone=False)
    assert body in text and body.startswith("\\begin{align*}")
    # The values: "&= 1.5835 \cdot (-1) ..." continued on a "&\qquad \cdot" line.
    values = body[body.index("\n&= ") + 4:].split(" = ")[0]
    values = values.replace("\\\\\n&\\qquad \\cdot ", "\\cdot ").replace(" \\\\", "")
    printed = [latex_float(v) for v in values.split("\\cdot")]
    assert printed == pytest.approx(factors, rel=1e-5)
    assert r"\text{sum\_h1}" in body and r"\text{(1 $-$ o1)}" in body


def test_json(w1_explanation):
    e, factors = w1_explanation
    data = json.loads(e.render("json"))
    assert data == json.loads(e.to_json()) == e.to_dict()
    assert set(data) == {"root", "param", "paths", "total", "grad"}
    assert (data["root"], data["param"]) == ("L", "w1")
    (path,) = data["paths"]
    assert set(path) == {"chain", "edges", "factors", "product"}
    assert path["factors"] == pytest.approx(factors, rel=1e-12)
    assert [edge["local"] for edge in path["edges"]] == path["factors"]
    assert [edge["child"] for edge in path["edges"]][-1] == "w1"
    assert path["product"] == data["total"] == data["grad"]
    assert data["total"] == pytest.approx(float(np.prod(factors)), rel=1e-12)


def test_formats_of_the_edge_cases():
    from test_derive_formats import parse_latex

    x, z = Value(1.0, label="x"), Value(2.0, label="z")
    y = x.exp()
    y.label = "y"
    batch = Value.batch([1.0, 2.0, 3.0], label="b")
    w = Value(0.5, label="w")
    loss = mse(w * batch, [1.0, 1.0, 1.0])
    loss.backward()
    for e in (explain(y, z), explain(y, y), explain(loss, w)):
        lines = e.to_markdown().splitlines()
        assert all(line.startswith("|") for line in lines)
        assert {len(md_cells(line)) for line in lines} == {4}
        parse_latex(e.to_latex())
        assert json.loads(e.to_json())["total"] == e.total
    assert "`z` is not in `y`'s graph" in explain(y, z).to_markdown()
    assert "`y` is `y` itself" in explain(y, y).to_markdown()
    # A batch's local derivatives: JSON has every entry, the tables their length and mean.
    data = explain(loss, w).to_dict()
    assert [len(f) if isinstance(f, list) else 1 for f in data["paths"][0]["factors"]][-1] == 3
    assert "[3] mean" in explain(loss, w).to_markdown()


@pytest.mark.parametrize(
    "format, error, message",
    [
        ("html", ValueError,
         r"explain: unknown format 'html'; choose one of: text, markdown, latex, json"),
        (2, TypeError, r"explain: format must be a str"),
    ],
)  # fmt: skip
def test_bad_format(format, error, message):
    x = Value(1.0, label="x")
    with pytest.raises(error, match=message):
        explain(x * x, x).render(format)


def test_text_is_str(w1_explanation):
    e, _ = w1_explanation
    assert e.render() == e.render("text") == str(e)
