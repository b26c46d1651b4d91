"""Drawing computation graphs: the exact DOT text, escaping, highlighting, clusters,
saving (with and without the `dot` program) and the `micrograd-nn graph` command.

Tests that run `dot` carry the `needs_dot` marker; `make test` installs Graphviz,
so they run in CI. The DOT text itself never needs the program.
"""
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from micrograd_nn import MLP, Value, mse
from micrograd_nn.cli import main
from micrograd_nn.datasets import PEOPLE
from micrograd_nn.draw import (
    DEFAULT_MAX_NODES,
    GraphvizNotFoundError,
    draw_graph,
    find_neurons,
    node_names,
    save,
)
from micrograd_nn.documents.networks import loss_graph

REPO = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
RED = 'color="#cc0000"'


# ------------------------------------------------------------ small graphs


def mul_add():
    """c = a * b + 1, after backward: a.grad = b = -3, b.grad = a = 2."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + 1
    c.label = "c"
    c.backward()
    return c


def square_tanh():
    """y = tanh(x * x): x is used twice, so two edges x -> *."""
    x = Value(0.5, label="x")
    y = (x * x).tanh()
    y.label = "y"
    return y


def neuron_loss():
    """One sigmoid neuron, L = (1 - h1)**2; returns (L, w1)."""
    w1, w2, b = Value(0.5, label="w1"), Value(-1.0, label="w2"), Value(0.25, label="b1")
    x1, x2 = Value(2.0, label="x1"), Value(1.0, label="x2")
    z = Value.weighted_sum([w1, w2], [x1, x2], b)
    z.label = "sum_h1"
    h = z.sigmoid()
    h.label = "h1"
    loss = (1 - h) ** 2
    loss.label = "L"
    loss.backward()
    return loss, w1


def alice_loss():
    loss = loss_graph("doc001", "Alice")
    loss.backward()
    return loss


def edges(source):
    """The edge statements of a DOT text, stripped."""
    return [line.strip() for line in source.splitlines() if "->" in line]


def clusters(source):
    """cluster name -> (its label, the node ids declared directly in it, its sub-clusters)."""
    found, stack = {}, []
    for line in source.splitlines():
        line = line.strip()
        opened = re.match(r"subgraph (cluster_\w+) \{", line)
        if opened:
            name = opened.group(1)
            if stack:
                found[stack[-1]][2].append(name)
            found[name] = [None, [], []]
            stack.append(name)
        elif line == "}" and stack:
            stack.pop()
        elif stack and re.match(r"(v|op)\d+ \[", line):
            found[stack[-1]][1].append(line.split(" ", 1)[0])
        elif stack and found[stack[-1]][0] is None and "label=" in line:
            found[stack[-1]][0] = re.search(r'label=("[^"]*"|\S+)', line).group(1).strip('"')
    return found


# ------------------------------------------------------------ exact DOT text


@pytest.mark.parametrize(
    "name, draw",
    [
        ("mul_add", lambda: draw_graph(mul_add())),
        ("square_tanh", lambda: draw_graph(square_tanh(), rankdir="TB", show_grad=False, show_local=False)),
        ("neuron", lambda: draw_graph(neuron_loss()[0], cluster=True, highlight="w1")),
    ],
)
def test_dot_text_matches_the_reviewed_snapshot(name, draw):
    # The snapshots were checked by hand (every number, colour and edge) and by
    # looking at the rendered pictures. If the drawing changes on purpose, render
    # the new text, look at it, then update the file.
    assert draw().source == (SNAPSHOTS / f"{name}.dot").read_text(encoding="utf-8")


def test_ids_follow_topological_order_and_edges_carry_local_derivatives():
    c = mul_add()
    assert edges(draw_graph(c).source) == [
        'v0 -> op2 [label=-3 labeltooltip="d((a * b))/d(a) = -3.0" tooltip="d((a * b))/d(a) = -3.0"]',
        'v1 -> op2 [label=2 labeltooltip="d((a * b))/d(b) = 2.0" tooltip="d((a * b))/d(b) = 2.0"]',
        "op2 -> v2",
        'v2 -> op4 [label=1 labeltooltip="d(c)/d((a * b)) = 1.0" tooltip="d(c)/d((a * b)) = 1.0"]',
        'v3 -> op4 [label=1 labeltooltip="d(c)/d(1) = 1.0" tooltip="d(c)/d(1) = 1.0"]',
        "op4 -> v4",
    ]


def test_a_child_used_twice_has_two_edges():
    assert edges(draw_graph(square_tanh(), show_local=False).source).count("v0 -> op1") == 2


def test_ops_are_named_as_written():
    x = Value(2.0, label="x")
    parts = [x + 1, x - 1, x * 3, x / 4, -x, x**2, x ** Value(1.5), x.exp(), x.log(), x.tanh(), x.sigmoid(),
             x.relu(), Value.sum([x, x]), Value.weighted_sum([x], [x]), Value.weighted_sum([x], [x], 1.0)]
    source = draw_graph(Value.sum(parts)).source
    ops = re.findall(r"\top\d+ \[label=(\"[^\"]*\"|\S+)", source)
    assert [op.strip('"') for op in ops] == [
        "+", "-", "*", "/", "neg", "**2", "**", "exp", "log", "tanh", "sigmoid", "relu", "Σ", "Σ w·x", "Σ w·x + b", "Σ",
    ]


def test_a_long_exponent_is_shortened_in_the_op_node_only():
    x = Value(2.0, label="x")
    y = x ** (1 / 3)
    assert y.op == "**0.3333333333333333"
    assert 'op1 [label="**0.3333"' in draw_graph(y).source


def test_kinds_of_leaves_are_coloured_apart():
    loss, _ = neuron_loss()
    source = draw_graph(loss).source
    fill = dict(re.findall(r'(v\d+) \[label=<<TABLE[^>]*BGCOLOR="(#\w+)"', source))
    names = {name: f"v{i}" for i, name in enumerate(node_names(loss.topological_order()).values())}
    parameter, data, constant, root = fill[names["w1"]], fill[names["x1"]], fill[names["1"]], fill[names["L"]]
    assert len({parameter, data, constant, root, fill[names["h1"]]}) == 5
    assert fill[names["w2"]] == fill[names["b1"]] == parameter
    assert "<B>w1</B>" in source and "<B>x1</B>" not in source


def test_numbers_are_compact_and_tooltips_keep_full_precision():
    v = Value(1 / 3, label="third")
    source = draw_graph(v * 1).source
    assert "data 0.3333<" in source
    assert f"data {1 / 3!r}" in source  # the tooltip


def test_same_text_every_time_and_in_another_process():
    first = draw_graph(alice_loss(), cluster=True, highlight="w3").source
    assert draw_graph(alice_loss(), cluster=True, highlight="w3").source == first
    code = textwrap.dedent(
        """
        from micrograd_nn.draw import draw_graph
        from micrograd_nn.documents.networks import loss_graph
        loss = loss_graph("doc001", "Alice")
        loss.backward()
        print(draw_graph(loss, cluster=True, highlight="w3").source, end="")
        """
    )
    for hashseed in ("1", "12345"):
        env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONHASHSEED=hashseed)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout == first


# ------------------------------------------------------------ escaping

WEIRD = 'a<b>{c}|"d"&e'


def test_labels_are_escaped_in_html_labels_and_tooltips():
    v = Value(1.0, label=WEIRD)
    source = draw_graph(v * 2).source
    assert "a&lt;b&gt;{c}|&quot;d&quot;&amp;e" in source
    html_label = re.search(r"v0 \[label=(<.*>) margin", source).group(1)
    assert "<b>" not in html_label and '"d"' not in html_label  # no raw markup from the label
    assert 'tooltip="a<b>{c}|\\"d\\"&e: data 1.0' in source


def test_backslashes_newlines_and_control_characters_are_safe():
    v = Value(1.0, label="x\\l\ny\x01")
    source = draw_graph(v * 2).source
    assert "x\\\\l<BR/>y\ufffd</TD>" in source  # HTML-like label: backslash doubled, newline a break
    # A tooltip expands escapes twice: four backslashes in the file show one.
    assert 'tooltip="x\\\\\\\\l\ny\ufffd: data 1.0' in source
    assert "\x01" not in source


@pytest.mark.needs_dot
def test_escaped_labels_survive_dot(tmp_path):
    v = Value(1.0, label=WEIRD + "\\l")
    out = v * 2
    out.label = "<<root>>"
    out.backward()
    path = save(draw_graph(out), tmp_path / "weird.svg")
    tree = ET.parse(path)  # well-formed XML
    texts = [t.text for t in tree.iter(f"{SVG}text")]
    assert WEIRD + "\\l" in texts and "<<root>>" in texts
    titles = [a.get(XLINK_TITLE) for a in tree.iter(f"{SVG}a")]
    assert f"{WEIRD}\\l: data 1.0, grad 2.0" in titles


# ------------------------------------------------------------ highlight


def diamond():
    """d = (a * 2) * (a + 1), plus an unrelated branch e: two paths from d to a."""
    a, e = Value(3.0, label="a"), Value(5.0, label="e")
    b = a * 2
    b.label = "b"
    c = a + 1
    c.label = "c"
    d = b * c + e
    d.label = "d"
    return d, a, b, c, e


def red_edges(source):
    return [edge.split(" [")[0] for edge in edges(source) if RED in edge]


def test_highlight_marks_every_path_and_nothing_else():
    d, a, b, c, e = diamond()
    source = draw_graph(d, highlight=a).source
    ids = {v: f"v{i}" for i, v in enumerate(d.topological_order())}
    bc = d.children[0]  # the unlabelled b * c
    expected = [
        f"{ids[a]} -> op{ids[b][1:]}", f"op{ids[b][1:]} -> {ids[b]}",
        f"{ids[a]} -> op{ids[c][1:]}", f"op{ids[c][1:]} -> {ids[c]}",
        f"{ids[b]} -> op{ids[bc][1:]}", f"{ids[c]} -> op{ids[bc][1:]}", f"op{ids[bc][1:]} -> {ids[bc]}",
        f"{ids[bc]} -> op{ids[d][1:]}", f"op{ids[d][1:]} -> {ids[d]}",
    ]
    assert sorted(red_edges(source)) == sorted(expected)
    assert len(red_edges(source)) == 9  # 2 + 2 into b and c, 3 into b*c, 2 into d; not e, 2 or 1
    red_nodes = re.findall(r"(v\d+) \[label=<<TABLE BORDER=\"2\" COLOR=\"#cc0000\"", source)
    assert sorted(red_nodes) == sorted(ids[v] for v in (a, b, c, bc, d))


def test_highlight_an_inner_node_stops_there():
    d, a, b, c, e = diamond()
    source = draw_graph(d, highlight=b).source
    ids = {v: f"v{i}" for i, v in enumerate(d.topological_order())}
    bc = d.children[0]
    assert sorted(red_edges(source)) == sorted([
        f"{ids[b]} -> op{ids[bc][1:]}", f"op{ids[bc][1:]} -> {ids[bc]}",
        f"{ids[bc]} -> op{ids[d][1:]}", f"op{ids[d][1:]} -> {ids[d]}",
    ])
    assert f'op{ids[b][1:]} [label="*" {RED}' not in source  # b's own op is below it, not on the path


def test_highlight_the_root_marks_only_the_root_and_a_reused_child_twice():
    x = Value(2.0, label="x")
    y = x * x
    assert red_edges(draw_graph(y, highlight=y).source) == []
    assert red_edges(draw_graph(y, highlight=x).source) == ["v0 -> op1", "v0 -> op1", "op1 -> v1"]


def test_highlight_by_label_and_bad_highlights():
    d, a, *_ = diamond()
    assert draw_graph(d, highlight="a").source == draw_graph(d, highlight=a).source
    with pytest.raises(ValueError, match="not in the graph"):
        draw_graph(d, highlight=Value(1.0))
    with pytest.raises(ValueError, match=r"no node of the graph labelled 'zz'.*a, b, c, d, e"):
        draw_graph(d, highlight="zz")
    twins = Value(1.0, label="t") + Value(2.0, label="t")
    with pytest.raises(ValueError, match="2 nodes of the graph labelled 't'"):
        draw_graph(twins, highlight="t")
    with pytest.raises(TypeError, match="highlight must be a Value"):
        draw_graph(d, highlight=3)


# ------------------------------------------------------------ clusters


def test_clusters_group_each_neuron_inside_its_layer():
    loss = alice_loss()
    source = draw_graph(loss, cluster=True).source
    ids = {name: f"v{i}" for i, name in enumerate(node_names(loss.topological_order()).values())}

    def members(*names):
        return sorted(ids[n] for n in names) + sorted("op" + ids[n][1:] for n in names if n.startswith(("sum_", "h", "o")))

    found = clusters(source)
    assert found["cluster_layer1"][0] == "layer 1" and found["cluster_layer2"][0] == "layer 2"
    assert found["cluster_layer1"][1] == [] and found["cluster_layer1"][2] == ["cluster_layer1_0", "cluster_layer1_1"]
    assert found["cluster_layer2"][2] == ["cluster_layer2_0"]
    by_label = {found[k][0]: sorted(found[k][1]) for k in found if k.count("_") == 2}
    assert by_label == {
        "h1": sorted(members("w1", "w2", "b1", "sum_h1", "h1")),
        "h2": sorted(members("w3", "w4", "b2", "sum_h2", "h2")),
        "o1": sorted(members("w5", "w6", "b3", "sum_o1", "o1")),
    }
    inside = {node for cluster in found.values() for node in cluster[1]}
    assert ids["x[0]"] not in inside and ids["L"] not in inside and ids["y_true"] not in inside
    for node_id in ids.values():  # every node declared exactly once
        assert len(re.findall(rf"^\s*{node_id} \[", source, re.M)) == 1


def test_find_neurons_groups_a_batch_by_shared_parameters():
    model = MLP(2, [3, 1], activation=["tanh", "linear"], seed=0)
    inputs = [x for x, _ in PEOPLE.values()]
    loss = mse([model(x) for x in inputs], [y for _, y in PEOPLE.values()])
    neurons = find_neurons(loss.topological_order())
    assert [(n.name, n.layer) for n in neurons] == [("A1[0]", 1), ("A1[1]", 1), ("A1[2]", 1), ("A2[0]", 2)]
    first = neurons[0]
    assert sum(node.op == "wsum" for node in first.nodes) == 4  # one per person
    assert sum(node.op == "tanh" for node in first.nodes) == 4
    assert {node.label for node in first.nodes if node.is_leaf} == {"W1[0,0]", "W1[0,1]", "b1[0]"}
    assert {node.label for node in neurons[3].nodes if node.is_leaf} == {"W2[0,0]", "W2[0,1]", "W2[0,2]", "b2[0]"}
    assert sum(node.op == "wsum" for node in neurons[3].nodes) == 4  # linear: the wsum is the output


def test_no_neurons_no_clusters():
    assert "subgraph" not in draw_graph(mul_add(), cluster=True).source
    assert "subgraph" not in draw_graph(alice_loss()).source


# ------------------------------------------------------------ options and errors


def test_show_grad_and_show_local_off():
    loss = alice_loss()
    source = draw_graph(loss, show_grad=False, show_local=False).source
    assert "grad" not in source
    assert all("label" not in edge for edge in edges(source))
    full = draw_graph(loss).source
    assert full.count("grad ") == len(loss.topological_order()) * 2  # the cell and the tooltip
    assert sum("label=" in edge for edge in edges(full)) == sum(len(n.children) for n in loss.topological_order())


def test_rankdir():
    assert "rankdir=TB" in draw_graph(mul_add(), rankdir="TB").source
    with pytest.raises(ValueError, match="unknown rankdir 'RL'; choose one of: LR, TB"):
        draw_graph(mul_add(), rankdir="RL")


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"root": 1.0}, TypeError),
        ({"root": [Value(1.0)]}, TypeError),
        ({"rankdir": 1}, TypeError),
        ({"show_grad": "no"}, TypeError),
        ({"show_local": 0}, TypeError),
        ({"cluster": None}, TypeError),
        ({"max_nodes": 0}, ValueError),
        ({"max_nodes": 2.5}, TypeError),
    ],
)
def test_bad_arguments(kwargs, error):
    arguments = {"root": mul_add(), **kwargs}
    with pytest.raises(error):
        draw_graph(**arguments)


def test_a_label_assigned_later_must_still_be_a_str():
    v = Value(1.0)
    v.label = 5  # Value() checks its label; a later assignment is not checked
    with pytest.raises(TypeError, match="has a label of type int; labels must be str"):
        draw_graph(v * 2)


def test_too_many_nodes_says_how_many_and_what_to_do():
    x = Value(0.0, label="x")
    chain = x
    for _ in range(DEFAULT_MAX_NODES):
        chain = chain + 1  # two new Values each: the op's result and the constant
    n = len(chain.topological_order())
    with pytest.raises(ValueError) as error:
        draw_graph(chain)
    message = str(error.value)
    assert f"has {n} Values, more than max_nodes={DEFAULT_MAX_NODES}" in message
    assert "draw_graph(v) for an inner Value v" in message and f"max_nodes={n}" in message
    assert draw_graph(chain, max_nodes=n).source.count("->") == 3 * DEFAULT_MAX_NODES
    assert draw_graph(chain, max_nodes=None)
    with pytest.raises(ValueError, match="has 7 Values, more than max_nodes=5"):
        draw_graph(x + 1 + 2 + 3, max_nodes=5)


# ------------------------------------------------------------ save


def test_save_infers_the_format_and_refuses_others(tmp_path):
    graph = draw_graph(mul_add())
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf, \.dot"):
        save(graph, tmp_path / "graph.jpg")
    with pytest.raises(ValueError, match="unknown format 'gif'; choose one of: svg, png, pdf, dot"):
        save(graph, tmp_path / "graph.svg", format="gif")
    with pytest.raises(TypeError, match="only apply when a Value is given"):
        save(graph, tmp_path / "graph.dot", rankdir="TB")
    with pytest.raises(TypeError, match="graphviz.Digraph from draw_graph or a Value"):
        save("digraph {}", tmp_path / "graph.dot")
    path = save(graph, tmp_path / "sub" / "graph.dot")  # DOT text needs no program; folders are made
    assert path.read_text(encoding="utf-8") == graph.source


def test_save_without_dot_writes_the_source_and_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no `dot` anywhere
    graph = draw_graph(mul_add())
    with pytest.raises(GraphvizNotFoundError) as error:
        save(graph, tmp_path / "c.svg")
    assert isinstance(error.value, OSError)
    message = str(error.value)
    assert "'dot' program was not found" in message and str(tmp_path / "c.dot") in message
    assert "make dot" in message and "apt-get install graphviz" in message and "brew install graphviz" in message
    assert (tmp_path / "c.dot").read_text(encoding="utf-8") == graph.source
    assert not (tmp_path / "c.svg").exists()


@pytest.mark.needs_dot
def test_svg_from_the_real_dot(tmp_path):
    loss = alice_loss()
    order = loss.topological_order()
    path = save(loss, tmp_path / "alice.svg")  # a Value is drawn first
    root = ET.parse(path).getroot()
    groups = list(root.iter(f"{SVG}g"))
    nodes = [g.find(f"{SVG}title").text for g in groups if g.get("class") == "node"]
    interior = [n for n in order if n.children]
    assert sorted(nodes) == sorted([f"v{i}" for i in range(len(order))] + [f"op{order.index(n)}" for n in interior])
    n_edges = sum(1 for g in groups if g.get("class") == "edge")
    assert n_edges == sum(len(n.children) for n in order) + len(interior)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "w1" in texts and "L" in texts and "Σ w·x + b" in texts and "grad 1" in texts


@pytest.mark.needs_dot
def test_png_and_pdf(tmp_path):
    c = mul_add()
    assert save(c, tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert save(c, tmp_path / "c.pdf").read_bytes()[:5] == b"%PDF-"
    assert save(c, tmp_path / "c.out", format="svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


@pytest.mark.needs_dot
def test_clusters_and_highlight_render(tmp_path):
    path = save(alice_loss(), tmp_path / "a.svg", cluster=True, highlight="w1", rankdir="TB")
    root = ET.parse(path).getroot()
    titles = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert sorted(titles) == ["cluster_layer1", "cluster_layer1_0", "cluster_layer1_1", "cluster_layer2", "cluster_layer2_0"]


# ------------------------------------------------------------ `micrograd-nn graph`


@pytest.mark.needs_dot
def test_cli_graph_writes_an_svg(tmp_path, capsys):
    out = tmp_path / "alice.svg"
    assert main(["graph", "--out", str(out), "--highlight", "w1", "--cluster"]) == 0
    assert "wrote" in capsys.readouterr().out
    ET.parse(out)


def test_cli_graph_default_name_and_options(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["graph", "doc001", "--sample", "bob", "--out", "bob.dot", "--no-grad", "--no-local", "--rankdir", "TB"]) == 0
    source = (tmp_path / "bob.dot").read_text(encoding="utf-8")
    assert "rankdir=TB" in source and "grad" not in source
    expected = loss_graph("doc001", "Bob")
    assert f"data {expected.data:.4g}<" in source
    assert "bob.dot" in capsys.readouterr().out
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # default name alice_loss.svg; no dot: .dot + error
    assert main(["graph"]) == 1
    assert (tmp_path / "alice_loss.dot").exists()
    assert "brew install graphviz" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, message",
    [
        (["graph", "doc999"], "unknown network 'doc999'; choose one of: doc000, doc001"),
        (["graph", "--sample", "Eve"], "unknown sample 'Eve' for doc001; choose one of: Alice, Bob, Charlie, Diana"),
        (["graph", "--highlight", "w9", "--out", "x.dot"], "no node of the graph labelled 'w9'"),
        (["graph", "--out", "x.jpg"], "cannot tell the format"),
    ],
)
def test_cli_graph_bad_input_is_one_line(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


@pytest.mark.needs_dot
def test_cli_graph_in_a_subprocess(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-m", "micrograd_nn", "graph", "--sample", "Diana", "--out", str(tmp_path / "d.png")],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"


# ------------------------------------------- readable drawings (issue 12's fixes)


def test_minus_zero_reads_zero():
    a, b = Value(-0.0, label="a"), Value(-0.0, label="b")
    c = a * b  # data -0.0, and d(c)/d(a) = b.data = -0.0
    c.label = "c"
    c.backward()
    source = draw_graph(c).source
    assert "-0" not in source.replace("-0.", "")  # no "data -0", no "label=-0"
    assert "<TD ALIGN=\"LEFT\">data 0</TD>" in source
    assert "v0 -> op2 [label=0 " in source


def test_edge_labels_are_not_decorated():
    # decorate=true drew a line from each label to its edge, across the numbers.
    source = draw_graph(neuron_loss()[0], cluster=True).source
    assert "decorate" not in source


def _svg_of(root, **options):
    return ET.fromstring(draw_graph(root, **options).pipe(format="svg"))


def _tops(svg, order):
    """label -> the y of the top of its node's text (SVG y grows downwards)."""
    tops = {}
    for group in svg.iter(SVG + "g"):
        if group.get("class") == "node":
            name = group.find(SVG + "title").text
            if name.startswith("v") and order[int(name[1:])].label:
                tops[order[int(name[1:])].label] = min(float(t.get("y")) for t in group.iter(SVG + "text"))
    return tops


@pytest.mark.needs_dot
@pytest.mark.parametrize(
    "network, columns",
    [
        ("doc001", [["x[0]", "x[1]"], ["w1", "w2"], ["w3", "w4"], ["h1", "h2"], ["sum_h1", "sum_h2"]]),
        ("doc002", [
            ["x[0]", "x[1]", "x[2]", "x[3]"],
            [f"A1[{k}]" for k in range(5)], [f"sum_A1[{k}]" for k in range(5)],
            [f"A2[{k}]" for k in range(4)], [f"A3[{k}]" for k in range(3)],
            [f"W1[0,{k}]" for k in range(4)], [f"W2[1,{k}]" for k in range(5)],
        ]),
    ],
)
def test_a_layers_nodes_are_drawn_in_written_order_top_to_bottom(network, columns):
    loss = loss_graph(network)
    loss.backward()
    order = loss.topological_order()
    tops = _tops(_svg_of(loss), order)
    for column in columns:
        ys = [tops[label] for label in column]
        assert ys == sorted(ys) and len(set(ys)) == len(ys), (column, ys)


def _bezier_points(d: str, n: int = 40) -> list[tuple[float, float]]:
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    points = list(zip(numbers[0::2], numbers[1::2]))  # M p0 C p1 p2 p3 p4 p5 p6 ...
    out = []
    for i in range(0, len(points) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[i:i + 4]
        for k in range(n + 1):
            t = k / n
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3
            out.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
    return out


@pytest.mark.needs_dot
@pytest.mark.parametrize("network", ["doc001", "doc002"])
@pytest.mark.parametrize("cluster", [False, True])
def test_no_line_crosses_an_edge_label(network, cluster):
    # Every edge's curve (and any other line drawn with an edge) against the box of
    # every edge label's text: a label's digits are never struck through.
    loss = loss_graph(network)
    loss.backward()
    svg = _svg_of(loss, cluster=cluster)
    boxes, curves = [], []
    for group in svg.iter(SVG + "g"):
        if group.get("class") != "edge":
            continue
        curves += [_bezier_points(path.get("d")) for path in group.iter(SVG + "path")]
        for line in group.iter(SVG + "polyline"):
            curves.append([tuple(map(float, p.split(","))) for p in line.get("points").split()])
        for text in group.iter(SVG + "text"):
            size, x, y = float(text.get("font-size")), float(text.get("x")), float(text.get("y"))
            half = 0.55 * size * len(text.text) / 2 - 1  # Helvetica digits are about 0.55 em wide
            boxes.append((text.text, x - half, y - 0.7 * size + 1, x + half, y - 1))
    assert len(boxes) > 20
    struck = [label for label, x0, y0, x1, y1 in boxes
              if any(x0 <= x <= x1 and y0 <= y <= y1 for curve in curves for x, y in curve)]
    assert struck == []


def _layout(root, **options):
    """`dot -Tjson`'s layout: (node name -> (x, y), cluster name -> (x0, y0, x1, y1),
    [(tail name, head name, label, (x, y) of the label)]). y grows upwards."""
    import json

    layout = json.loads(draw_graph(root, **options).pipe(format="json"))
    objects = layout["objects"]
    pos = {o["name"]: tuple(map(float, o["pos"].split(","))) for o in objects if "pos" in o}
    boxes = {o["name"]: tuple(map(float, o["bb"].split(","))) for o in objects if "bb" in o}
    labels = [(objects[e["tail"]]["name"], objects[e["head"]]["name"], e["label"],
               tuple(map(float, e["lp"].split(",")))) for e in layout["edges"] if "lp" in e]
    return pos, boxes, labels


@pytest.mark.needs_dot
@pytest.mark.parametrize("network", ["doc001", "doc002", "doc003"])
def test_clustered_neurons_and_their_parameters_keep_the_written_order(network):
    # Inside clusters Graphviz's crossing minimisation put w2, b1, w1 and A1[0], A1[2],
    # A1[1] top to bottom; a neuron's parameters and a layer's neurons read as written.
    loss = loss_graph(network)
    loss.backward()
    order = loss.topological_order()
    index = {node: i for i, node in enumerate(order)}
    pos, _, _ = _layout(loss, cluster=True)

    def height(node):
        return pos[f"v{index[node]}"][1]

    for node in order:
        if node.op == "wsum":
            parameters = [c for c in node.children[0::2] if c.is_leaf]  # w1, w2, ..., b
            heights = [height(p) for p in parameters]
            assert heights == sorted(heights, reverse=True), [p.label for p in parameters]
    neurons = find_neurons(order)
    for layer in {neuron.layer for neuron in neurons}:
        outputs = [neuron.nodes[-1] for neuron in neurons if neuron.layer == layer]
        heights = [height(node) for node in outputs]
        assert heights == sorted(heights, reverse=True), [node.label for node in outputs]
        assert len(set(heights)) == len(heights)


@pytest.mark.needs_dot
@pytest.mark.parametrize("network", ["doc001", "doc003"])
def test_clustered_input_edges_labels_are_off_the_layers_border(network):
    # Each input's edge into a neuron (x[0] -> Σ w·x + b) is labelled mid-edge; those
    # labels used to sit on layer 1's border, one on another. Each is now on its own
    # spot, outside the layer's box and clear of its border.
    loss = loss_graph(network)
    loss.backward()
    order = loss.topological_order()
    pos, boxes, labels = _layout(loss, cluster=True)
    inputs = {f"v{i}" for i, node in enumerate(order) if node.label.startswith("x[")}
    x0, y0, x1, y1 = boxes["cluster_layer1"]
    spots = [(label, at) for tail, head, label, at in labels if tail in inputs]
    uses = sum(f"v{index}" in inputs for node in order if node.op == "wsum"
               for index in (order.index(child) for child in node.children))
    assert uses and len(spots) == uses  # every input edge into a neuron has its label
    points = [at for _, at in spots]
    assert len(set(points)) == len(points)  # not one on another
    clear = 8.0  # points: a label's half height is about 6
    for label, (x, y) in spots:
        inside = x0 - clear < x < x1 + clear and y0 - clear < y < y1 + clear
        assert not inside, (label, (x, y), boxes["cluster_layer1"])
