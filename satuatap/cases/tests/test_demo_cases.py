from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from satuatap.cases.models import Case, CaseEvent
from satuatap.cases.workflows import default_states


def test_the_demo_loads_cases_in_every_state_some_overdue(db):
    call_command("demo", stdout=StringIO())
    assert Case.objects.count() == 300
    states = dict(Case.objects.values_list("state__code").annotate(n=Count("pk")))
    assert set(states) == {code for code, *_rest in default_states()}
    assert Case.objects.values("agency").distinct().count() >= 10
    assert Case.objects.filter(escalated_at__isnull=False, closed_on__isnull=True).exists()
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.TRANSITION).count() > 300
