# Kernels started by `make test` (nbval) run with IPYTHONDIR=tests/ipython, so the
# notebooks execute under the same network guard as the unit tests.
import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[3]))
import offline as _offline  # noqa: E402

_offline.install()
del _sys, _Path, _offline
