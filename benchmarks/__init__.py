"""Benchmarks: ``python -m benchmarks [--quick] [--json]`` (see benchmarks/run.py)."""
