"""The composition root: settings, the wiring that builds every part from them, the ``kis`` command
and the benchmarks. The only package that reads the environment and the only one that may import
every other; none imports it.
"""
