"""Array types shared by the model and the computations (numpy, typed for mypy)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
"""Whole numbers: indices, counts, minutes."""

FloatArray = npt.NDArray[np.float64]
"""Measures: metres, work units, costs."""

BoolArray = npt.NDArray[np.bool_]
"""Flags, one per element."""

StrArray = npt.NDArray[np.object_]
"""Text (ids, names) held as Python strings."""
