"""Paging a table of millions in the admin without counting it.

Django's admin counts the rows it pages (``COUNT(*)``), twice without ``show_full_result_count =
False``: over five million tickets that alone took seconds. Here a count stops at ``EXACT_UP_TO``
rows (a filtered list, a search: usually far fewer, and then exact); past that, and for the whole
table, PostgreSQL's own estimate stands in (``pg_class.reltuples``, or the planner's rows for a
filter), which is what a manager paging back through history needs: about how many, not the last one.
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_UP_TO = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not queryset.query.where and connections[queryset.db].vendor == "postgresql":
            estimate = _table_estimate(queryset)
            if estimate > EXACT_UP_TO:
                return estimate
        counted = queryset.order_by()[: EXACT_UP_TO + 1].count()
        if counted <= EXACT_UP_TO:
            return counted
        return max(counted, _planner_estimate(queryset))


def _table_estimate(queryset) -> int:
    """The row count PostgreSQL keeps for the table (updated by VACUUM/ANALYZE): -1 when never analysed."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row else -1


def _planner_estimate(queryset) -> int:
    """The rows PostgreSQL's planner expects the filtered query to return (0 elsewhere)."""
    if connections[queryset.db].vendor != "postgresql":
        return 0
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
