# Thin shim: everything is configured in setup.cfg. Kept so that older
# tooling (and setuptools' legacy editable-install fallback) still works.
from setuptools import setup

setup()
