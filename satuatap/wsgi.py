import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402

from satuatap.project.production import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()  # gunicorn runs no system checks: demo-only settings stop it here

# Everything loaded so far lives as long as the worker: settings, apps, models, and (loaded here rather than by
# the first request) the URL patterns and the API's schemas. Frozen out of the garbage collector's reach, a full
# collection no longer walks those hundred thousand objects: it took about 100 ms of one request now and then,
# a tenth of the CPU per API request on average (bench/stack_cost.py), and showed as p99.
get_resolver().url_patterns  # noqa: B018 (imports satuatap.urls and builds the API's routes)
gc.collect()
gc.freeze()
