"""Test configuration shared by every test directory."""

import sys
from pathlib import Path

# The book tests' helpers (tests/book/booktools.py) are shared with the label tests.
sys.path.insert(0, str(Path(__file__).parent / "book"))
