import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")
application = get_wsgi_application()

from satuatap.project.production import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()  # gunicorn runs no system checks: demo-only settings stop it here
