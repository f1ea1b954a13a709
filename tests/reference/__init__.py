"""Reference implementations (oracles) the tests compare the package's fast paths with.

Each is the straightforward form of a measure: plain loops and pandas merges, no caches,
no vectorised tricks.  They are not part of the package; the tests import them as
``from reference import ...`` (``tests/`` is on ``sys.path`` under pytest).
"""
