"""Counter application of a telecom business hall (营业厅柜台受理系统)."""

# Kept equal to pyproject.toml's version by tests/test_architecture.py; a constant because
# reading package metadata costs ~20 ms of every cold start.
__version__ = "0.1.0"
