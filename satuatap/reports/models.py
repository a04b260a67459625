"""The reports' summary tables: closed local days of a mall rolled up, so a year answers from a few rows a day.

Written only by ``reports.rollup``; read by ``reports.figures``. A day is in the tables once its ``RolledDay`` row
exists; today (and any day a ticket event touched since it was rolled) is computed from the raw rows instead.
Service, counter and officer are plain ids (no foreign keys): these rows are derived data, rebuilt at will.
"""

from django.db import models


class RolledDay(models.Model):
    """A closed local day whose rows are in the summary tables, and what they were built from."""

    mall = models.ForeignKey("directory.Mall", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    target_minutes = models.PositiveIntegerField()  # REPORTS_TARGET_WAIT_MINUTES when rolled: a change re-rolls
    event_id = models.BigIntegerField()  # the mall's newest ticket event when rolled
    rolled_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mall", "day"], name="rolled_day_unique")]


class RollupMark(models.Model):
    """Per mall: ticket events up to ``event_id`` have been checked for days they changed after their roll-up."""

    mall = models.OneToOneField("directory.Mall", on_delete=models.CASCADE, related_name="+")
    event_id = models.BigIntegerField()


class DayPlace(models.Model):
    """Where a summary row belongs: a mall's local day and a service."""

    mall = models.ForeignKey("directory.Mall", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    service_id = models.BigIntegerField()

    class Meta:
        abstract = True


class DayDesk(DayPlace):
    """A day and service, and the counter, the officer and the mall-local hour the ticket was issued."""

    counter_id = models.BigIntegerField(null=True)
    officer_id = models.BigIntegerField(null=True)
    hour = models.SmallIntegerField()

    class Meta:
        abstract = True


class TicketSums(models.Model):
    """Counts and sums of tickets (``ticket_rows.FIGURE_COLUMNS``)."""

    tickets_issued = models.IntegerField()
    served = models.IntegerField()
    no_show = models.IntegerField()
    cancelled = models.IntegerField()
    transferred = models.IntegerField()
    called = models.IntegerField()
    within_target = models.IntegerField()
    bookings = models.IntegerField()
    walk_ins = models.IntegerField()
    priority = models.IntegerField()
    wait_sum = models.FloatField(null=True)  # minutes, of the called tickets
    service_count = models.IntegerField()
    service_sum = models.FloatField(null=True)  # minutes, of the finished tickets with a start

    class Meta:
        abstract = True


class DayFigures(DayDesk, TicketSums):
    """Counts and sums of the tickets of one local day, per service, counter, officer and hour of issue."""

    class Meta:
        indexes = [models.Index(fields=["mall", "day"], name="dayfigures_mall_day_idx")]


class DayServiceFigures(DayPlace, TicketSums):
    """A day's ``DayFigures`` without the counter and the officer: per service and hour of issue. The breakdowns
    that name neither (the daily trend, the weekday x hour heatmap, the mall, agency and service totals of days
    outside whole months) read a few rows per service a day here, not one per service x counter x officer x hour."""

    hour = models.SmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["mall", "day"], name="dayservfig_mall_day_idx")]


class MonthFigures(DayDesk, TicketSums):
    """A closed month's ``DayFigures`` merged (``day`` is the month's first day): a year's figures per mall,
    agency, service, counter, officer, month or hour read twelve months' rows, not 365 days'."""

    class Meta:
        indexes = [models.Index(fields=["mall", "day"], name="monthfigures_mall_day_idx")]


class DayWaits(DayDesk):
    """How many tickets of a day, service, counter, officer and hour of issue waited (kind 0) or were served (kind 1)
    so many seconds, rounded to the nearest half minute (``rollup.HALF_MINUTE``): the histogram the percentiles of
    every breakdown are read from."""

    kind = models.SmallIntegerField()
    seconds = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["mall", "day"], name="daywaits_mall_day_idx")]


class MonthWaits(DayPlace):
    """A closed month's ``DayWaits`` merged, without the hour (``day`` is the month's first day): a year's
    percentiles per mall, agency, service, counter, officer or month read twelve months' rows, not 365 days'."""

    counter_id = models.BigIntegerField(null=True)
    officer_id = models.BigIntegerField(null=True)
    kind = models.SmallIntegerField()
    seconds = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["mall", "day"], name="monthwaits_mall_day_idx")]


class MonthServiceWaits(DayPlace):
    """A closed month's ``MonthWaits`` without the counter and the officer: the histogram the mall's, an agency's or
    a service's percentiles of a year are read from, a few thousand rows rather than one per counter and officer."""

    kind = models.SmallIntegerField()
    seconds = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["mall", "day"], name="monthservwaits_mall_day_idx")]


class RolledMonth(models.Model):
    """A month whose days are all rolled up and merged into ``MonthFigures`` and ``MonthWaits``; forgotten when
    one of its days is rolled again."""

    mall = models.ForeignKey("directory.Mall", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mall", "month"], name="rolled_month_unique")]


class DayOfficers(models.Model):
    """The officers who were some ticket's officer on a closed day: the attendance of a year reads a row per officer
    and day here, not the ``DayFigures`` of every service, counter and hour."""

    mall = models.ForeignKey("directory.Mall", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    officer_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["mall", "day"], name="dayofficers_mall_day_idx")]


class DayCalls(DayPlace):
    """Calls out of first-come order of the tickets of a day and service, per written reason."""

    reason = models.CharField(max_length=200)
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["mall", "day"], name="daycalls_mall_day_idx")]
