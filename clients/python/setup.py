"""Builds hpo_client with its stubs generated from proto/ (build_stubs.py); metadata is in pyproject.toml."""
import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_stubs  # noqa: E402


class BuildWithStubs(build_py):
    def run(self):
        build_stubs.generate()
        super().run()


setup(cmdclass={'build_py': BuildWithStubs})
