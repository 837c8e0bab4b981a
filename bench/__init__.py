"""Benchmarks: `python -m bench` (bench/run.py) runs them all and prints one table."""
