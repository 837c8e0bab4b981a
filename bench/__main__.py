"""`python -m bench`: bench/run.py."""

from bench.run import main

main()
