"""The fuzz tests' memory cap really caps: an allocation past it fails with MemoryError."""

import numpy as np
import pytest


def test_the_memory_cap_stops_a_huge_allocation(memory_cap):
    with pytest.raises(MemoryError):
        np.ones(int(3 * 1024**3 // 8))
