"""Memory that a long-running process frees goes back to the system.

glibc's malloc serves a block of 128 KiB or more with its own mapping, returned to the system
when the block is freed; but each time such a block is freed it raises that threshold to the
block's size (up to 32 MiB), so that later blocks of that size come from the heap instead,
where a freed block is kept for reuse unless it sits at the very top. A web worker reads
results of every size (a month of the calendar, a page of people): after a while nearly all
its large blocks come from the heap, and the memory they held stays resident after the
request, scattered between the blocks that live on.

Setting the two thresholds fixes them (glibc's documented mallopt(3), M_MMAP_THRESHOLD and
M_TRIM_THRESHOLD; the same as the environment variables MALLOC_MMAP_THRESHOLD_ and
MALLOC_TRIM_THRESHOLD_, which would have to be set by every way the portal is started). Set in
gunicorn's master before it forks (cssp_portal/wsgi.py), they hold in every worker. Measured
on the crowd's pages (tests/bench): in one process, 3,000 pages left 119.8-126.7 MiB resident
under glibc's default and 118.8-118.9 MiB with the thresholds fixed (it bounds the worst case);
in the crowd benchmark's gunicorn workers the difference is within the runs' spread (101-104
and 104-105 MiB after the run, 103-106 before); no slower. Elsewhere than glibc (musl, macOS)
nothing is changed.
"""

import ctypes
import ctypes.util
import logging

logger = logging.getLogger(__name__)

# mallopt(3) parameters (glibc's malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# glibc's default for both, before the dynamic threshold moves it
THRESHOLD = 128 * 1024


def return_freed_memory() -> bool:
    """Fix glibc's thresholds in this process (and the processes it forks from now on). True
    when they were set."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    done = mallopt(M_MMAP_THRESHOLD, THRESHOLD) == 1 and mallopt(M_TRIM_THRESHOLD, THRESHOLD) == 1
    if not done:
        logger.warning("mallopt refused the thresholds: freed memory may stay resident")
    return done
