"""The parts of deploy/load/llm_bench.py, one reason each."""
