"""Test configuration: the offline guard for the whole suite and the shared-material fixtures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import offline  # noqa: E402

os.environ.setdefault("PYTHONHASHSEED", "0")
# The whole test session runs offline: any non-loopback connection or name lookup raises.
offline.install()

#: The development material beside the checkout (never read by the package itself).
SHARED_DIR = Path(os.environ.get("PROTOCOL_NEWS_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SEED_ARTICLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "000_0239ef98210910e4.txt"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The development material in ../shared; skips the test with a clear message when absent."""
    d = SHARED_DIR
    if not (d / "corpora").is_dir():
        pytest.skip("shared development material not found at ../shared (set PROTOCOL_NEWS_SHARED); skipping")
    return d


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article as bundled in data/sample."""
    return SEED_ARTICLE
