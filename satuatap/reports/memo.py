"""One report's memo: what a report computes more than once while it is built, computed once.

A report page, its files and the summary API ask for the same period's figures several times (the headline, the
comparison, the breakdown) and check the same days' roll-up for each. Inside ``one_report()`` the first answer
holds for the rest of the report; outside it (the worker, a shell, the queue's own requests) every call computes
afresh. A report reads and never writes tickets, so nothing it remembers can go stale while it is built; the next
report starts empty and sees every change made since.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("reports_memo", default=None)


@contextlib.contextmanager
def one_report() -> Iterator[None]:
    """Remember within the block (nested blocks share the outer one's memo)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def current() -> dict | None:
    """The memo of the report being built, or None outside ``one_report()``."""
    return _memo.get()


def remembered(key: tuple, compute: Callable[[], object]):
    """``compute()``, once per key within a report."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
