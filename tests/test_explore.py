"""The explorer page's data and HTML (no browser: tests/test_explore_browser.py drives it)."""
import json
import re
from html.parser import HTMLParser

import pytest

import micrograd_nn
from micrograd_nn import Value, explore
from micrograd_nn.documents.networks import loss_graph

pytestmark = pytest.mark.needs_dot


def _doc001():
    loss = loss_graph("doc001")
    loss.backward()
    return loss


def test_nodes_carry_pythons_numbers_in_topological_order():
    loss = _doc001()
    order = loss.topological_order()
    data = explore(loss).data
    assert [n["id"] for n in data["nodes"]] == list(range(len(order)))
    for node, item in zip(order, data["nodes"]):
        assert item["data"] == node.data and item["grad"] == node.grad and item["label"] == node.label
        assert item["children"] == [order.index(c) for c in node.children]


def test_document_001s_parameters_carry_their_labels():
    labels = {n["label"] for n in explore(_doc001()).data["nodes"]}
    assert {"w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"} <= labels


def test_backward_steps_visit_every_node_once_in_backwards_order():
    loss = _doc001()
    data = explore(loss).data
    n = len(loss.topological_order())
    assert [s["node"] for s in data["backward"]] == list(reversed(range(n)))
    for step in data["backward"]:
        for edge in step["edges"]:
            assert edge["contribution"] == edge["local"] * step["grad"]


def test_runs_backward_only_when_it_has_not_run():
    x = Value(3.0, label="x")
    y = x * x
    explore(y)
    assert x.grad == 6.0
    explore(y)  # already run: the leaf's grad is not doubled
    assert x.grad == 6.0


def test_every_chain_sums_to_the_grad():
    loss = _doc001()
    data = explore(loss).data
    for node, chain in zip(loss.topological_order(), data["chains"]):
        assert chain["sum"] == pytest.approx(node.grad, rel=1e-12, abs=1e-15)
    x = Value(3.0, label="x")
    y = x * x
    chain = explore(y).data["chains"][0]
    assert chain["count"] == 2 and [p["product"] for p in chain["paths"]] == [3.0, 3.0]


def _h_of_l():
    """h = a*b inside L = h*h + a, after L.backward(): a.grad holds dL/da = 2*h*b + 1 = 37,
    while one pass from h gives dh/da = b = -3, dh/db = a = 2."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    h = a * b
    h.label = "h"
    loss = h * h + a
    loss.backward()
    return a, b, h


def _svg_grads(page):
    return [float(t.replace("&#45;", "-")) for t in re.findall(r">grad ([^<]*)<", page.svg)]


@pytest.mark.parametrize("how", ["inner node", "two passes", "seed 2"])
def test_the_pages_grads_are_one_pass_from_its_root_seeded_with_1(how):
    if how == "inner node":
        a, b, h = _h_of_l()
        page, expected, python = explore(h), [-3.0, 2.0, 1.0], [37.0, -24.0, -12.0]
    else:
        a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        h = a * b
        h.label = "h"
        if how == "two passes":
            h.backward()
            h.backward()
            python = [-6.0, 4.0, 1.0]
        else:
            h.backward(gradient=2.0)
            python = [-6.0, 4.0, 2.0]
        page, expected = explore(h), [-3.0, 2.0, 1.0]
    data = page.data
    assert [n["grad"] for n in data["nodes"]] == expected
    assert [n["gradText"] for n in data["nodes"]] == [repr(g) for g in expected]
    assert [c["sum"] for c in data["chains"]] == expected
    assert {s["node"]: s["grad"] for s in data["backward"]} == dict(enumerate(expected))
    assert _svg_grads(page) == expected
    assert [a.grad, b.grad, h.grad] == python  # the graph's own grads are left as they were
    assert "one backward pass from h, seeded with 1" in data["note"]
    assert "more than one backward pass" not in data["note"]
    one_pass = explore(Value(2.0) * Value(-3.0)).data  # fresh: nothing differs, no note
    assert one_pass["note"] == "" and [n["grad"] for n in one_pass["nodes"]] == expected


def test_jupyter_shows_one_pass_from_the_value_displayed():
    a, b, h = _h_of_l()
    html = h._repr_html_()
    assert "one backward pass from h" in html and "grad &amp;#45;3" in html


def test_inf_and_nan_go_in_as_tagged_numbers():
    # JSON has no inf or nan; the page reads {"$float": "inf"} back as Infinity.
    big = Value(1e300, label="big")
    square = big * big  # 1e600 overflows: inf
    loss = square * 0.0 + square  # inf * 0: nan
    loss.label = "L"
    data = explore(loss).data
    by_label = {n["label"]: n for n in data["nodes"]}
    assert by_label["L"]["data"] == {"$float": "nan"} and by_label["L"]["dataText"] == "nan"
    assert by_label["big"]["data"] == 1e300
    assert [n["data"] for n in data["nodes"] if n["op"] == "*"][0] == {"$float": "inf"}
    json.dumps(data, allow_nan=False)  # valid JSON
    assert {"sum", "sumText"} <= set(data["chains"][0])  # the chain of a leaf under inf


def test_factor_names_are_checked_and_carried():
    loss = _doc001()
    page = explore(loss, factor_names={"w1": [("d_L_d_ypred", -1.5), ("d_ypred_d_h1", 0.2), "d_h1_d_w1"]})
    w1 = [n["id"] for n in page.data["nodes"] if n["label"] == "w1"][0]
    assert [f["name"] for f in page.data["chains"][w1]["documentFactors"]] == [
        "d_L_d_ypred", "d_ypred_d_h1", "d_h1_d_w1"]
    with pytest.raises(ValueError, match="'w9'"):
        explore(loss, factor_names={"w9": ["a"]})
    with pytest.raises(TypeError, match="list of names"):
        explore(loss, factor_names={"w1": "d_L_d_ypred"})


def test_bad_input():
    with pytest.raises(TypeError, match="takes a Value"):
        explore(3.0)
    with pytest.raises(ValueError, match="batch"):
        explore(Value.batch([1.0, 2.0]) * 2)
    with pytest.raises(ValueError, match="max_nodes"):
        explore(_doc001(), max_nodes=5)


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.refs += [value or "" for name, value in attrs if name in ("src", "href", "xlink:href")]


def test_the_page_is_one_file_with_nothing_fetched(tmp_path):
    x = Value(2.0, label="</script><!--")
    y = x * 3
    y.label = "@@DATA@@"
    page = explore(y)
    text = page.save(tmp_path / "p.html").read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    parser = _Refs()
    parser.feed(text)
    assert all("//" not in ref for ref in parser.refs)
    assert "link" not in parser.tags and "iframe" not in parser.tags
    payload = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', text, re.S)
    assert json.loads(payload.group(1)) == json.loads(json.dumps(page.data))
    assert text.count("</script>") == 2 and "<svg" in text and "window.explorer" in text


def test_jupyter_displays():
    x = Value(2.0, label="x")
    y = x * x
    assert y._repr_html_().startswith("<svg")  # before backward: the drawing
    y.backward()
    html = y._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "window.explorer" in html
    big = Value(1.0)
    for _ in range(micrograd_nn.explore.__module__ and 40):
        big = big * 1.0 + 1.0
    big.backward()
    assert big._repr_html_() is None  # past HTML_MAX_NODES: the text


def test_cli_explore_in_a_subprocess(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-m", "micrograd_nn", "explore", "doc001", "--sample", "Bob"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env=dict(os.environ, PYTHONPATH=str(repo)),
    )
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "bob_explore.html").read_text(encoding="utf-8")
    assert "d_L_d_ypred" in text and "window.explorer" in text


def test_cli_explores_every_network_of_list_micrograds_demo_too(tmp_path, capsys):
    from micrograd_nn.cli import main
    from micrograd_nn.documents import networks

    assert main(["explore", "micrograd", "--out", str(tmp_path / "m.html")]) == 0
    loss = networks.get("micrograd", include_micrograd=True).loss_graph(None, None)
    wrote = capsys.readouterr().out
    assert f"{len(loss.topological_order())} Values" in wrote and "m.html" in wrote
    text = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "window.explorer" in text and "micrograd, sample 0" in text
    assert main(["explore", "nope"]) == 1
    assert "micrograd" in capsys.readouterr().err  # the choices name it
