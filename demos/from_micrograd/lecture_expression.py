# The first expression of Karpathy's lecture "The spelled-out intro to neural networks
# and backpropagation: building micrograd" (its notebook's cells, in order), run on
# micrograd_nn. Only the import line is ours; print() shows what a notebook cell shows.
# Run: python demos/from_micrograd/lecture_expression.py   (tests/test_from_micrograd.py)
from micrograd_nn import Value, draw_dot

a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0, label='f')
L = d * f; L.label = 'L'
print(L)

dot = draw_dot(L)

L.backward()
print(a.grad, b.grad, c.grad, d.grad, e.grad, f.grad)
