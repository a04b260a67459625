"""Without SATUATAP_DEMO=1 the app is production: demo-only settings stop it with the setting named."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from satuatap.project import production

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k3y-" + "x7Qp9vLm2Rt8Zw4Nc6Bj1Hs5Fd0Gy3Ua" * 2


def production_settings(settings):
    settings.DEMO = False
    settings.SECRET_KEY = STRONG_KEY
    settings.PERSONAL_DATA_HASH_KEY = "a-separate-long-random-hash-key"
    settings.PERSONAL_DATA_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.NOTIFY_SANDBOX = False
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def refused_ids() -> list[str]:
    return [e.id for e in production.demo_only_settings()]


def test_a_configured_production_install_passes(settings):
    production_settings(settings)
    assert refused_ids() == []


def test_the_demo_flag_allows_the_demo_settings(settings):
    settings.DEMO = True
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.PERSONAL_DATA_HASH_KEY = settings.PERSONAL_DATA_ENCRYPTION_KEY = ""
    settings.NOTIFY_SANDBOX = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    assert refused_ids() == []


@pytest.mark.parametrize(
    ("name", "value", "refusal", "named"),
    [
        ("SECRET_KEY", "demo-only-insecure-secret-key-change-me-in-production", "satuatap.E001", "SECRET_KEY"),
        ("SECRET_KEY", "short", "satuatap.E001", "SECRET_KEY"),
        ("PERSONAL_DATA_HASH_KEY", "", "satuatap.E002", "PERSONAL_DATA_HASH_KEY"),
        ("PERSONAL_DATA_ENCRYPTION_KEY", "", "satuatap.E003", "PERSONAL_DATA_ENCRYPTION_KEY"),
        ("PERSONAL_DATA_ENCRYPTION_KEY", "not-a-fernet-key", "satuatap.E003", "PERSONAL_DATA_ENCRYPTION_KEY"),
        ("NOTIFY_SANDBOX", True, "satuatap.E004", "NOTIFY_SANDBOX"),
        ("SESSION_COOKIE_SECURE", False, "satuatap.E005", "SESSION_COOKIE_SECURE"),
        ("CSRF_COOKIE_SECURE", False, "satuatap.E005", "CSRF_COOKIE_SECURE"),
    ],
)
def test_each_demo_only_setting_is_an_error_that_names_it(settings, name, value, refusal, named):
    production_settings(settings)
    setattr(settings, name, value)
    [error] = production.demo_only_settings()
    assert error.id == refusal and error.level >= 40  # checks.ERROR: the command stops
    assert named in error.msg and "SATUATAP_DEMO=1" in error.hint


def production_env(tmp_path, **extra) -> dict[str, str]:
    """The suite's environment as a production install would have it: no demo flag, no secrets."""
    removed = ("SATUATAP_DEMO", "SECRET_KEY", "PERSONAL_DATA_HASH_KEY", "PERSONAL_DATA_ENCRYPTION_KEY")
    env = {k: v for k, v in os.environ.items() if k not in removed}
    env.update(DJANGO_SETTINGS_MODULE="satuatap.settings", SATUATAP_VAR=str(tmp_path), **extra)
    return env


def run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603


def test_check_deploy_without_the_flag_and_secret_key_fails_naming_it(tmp_path):
    result = run([sys.executable, "manage.py", "check", "--deploy"], production_env(tmp_path))
    assert result.returncode != 0
    assert "satuatap.E001" in result.stderr and "SECRET_KEY" in result.stderr
    assert "NOTIFY_SANDBOX" in result.stderr and "PERSONAL_DATA_HASH_KEY" in result.stderr


def test_check_deploy_passes_with_production_values(tmp_path):
    env = production_env(
        tmp_path,
        SECRET_KEY=STRONG_KEY,
        PERSONAL_DATA_HASH_KEY="a-separate-long-random-hash-key",
        PERSONAL_DATA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        NOTIFY_SANDBOX="false",
        ALLOWED_HOSTS="mpp.example.go.id",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stderr


def test_the_web_process_refuses_to_start_without_the_flag(tmp_path):
    result = run([sys.executable, "-c", "import satuatap.wsgi"], production_env(tmp_path))
    assert result.returncode != 0
    assert "Refusing to start without SATUATAP_DEMO=1" in result.stderr and "SECRET_KEY" in result.stderr


def test_the_web_process_starts_with_the_flag(tmp_path):
    result = run([sys.executable, "-c", "import satuatap.wsgi"], production_env(tmp_path, SATUATAP_DEMO="1"))
    assert result.returncode == 0, result.stderr


def test_the_web_process_loads_its_routes_at_start_and_freezes_them_out_of_the_collector(tmp_path):
    """A full garbage collection of a loaded worker walked every object it had loaded (about 80 ms)."""
    code = "import gc, sys, satuatap.wsgi; print(gc.get_freeze_count(), 'satuatap.queueing.api' in sys.modules)"
    result = run([sys.executable, "-c", code], production_env(tmp_path, SATUATAP_DEMO="1"))
    assert result.returncode == 0, result.stderr
    frozen, routes_loaded = result.stdout.split()
    assert int(frozen) > 10_000
    assert routes_loaded == "True"


def test_security_settings_come_from_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        SATUATAP_DEMO="1",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="600",
        SESSION_COOKIE_SECURE="true",
        ALLOWED_HOSTS="mpp.example.go.id, 10.0.0.5",
        CSRF_TRUSTED_ORIGINS="https://mpp.example.go.id",
        TRUSTED_PROXIES="10.0.0.1,10.1.0.0/16",
    )
    code = (
        "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS,"
        " s.CSRF_TRUSTED_ORIGINS, s.TRUSTED_PROXIES)"
    )
    result = run([sys.executable, "-c", "import django; django.setup(); " + code], env)
    assert result.stdout.strip() == (
        "('HTTP_X_FORWARDED_PROTO', 'https') True 600 True False ['mpp.example.go.id', '10.0.0.5']"
        " ['https://mpp.example.go.id'] ['10.0.0.1', '10.1.0.0/16']"
    ), result.stderr


def test_a_bad_trusted_proxy_stops_start_up(tmp_path):
    result = run([sys.executable, "-c", "import satuatap.settings"], production_env(tmp_path, TRUSTED_PROXIES="nginx"))
    assert result.returncode != 0 and "TRUSTED_PROXIES" in result.stderr


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "-c jit=off -c plan_cache_mode=force_generic_plan"),
        (
            "?options=-c%20statement_timeout%3D5000",
            "-c statement_timeout=5000 -c jit=off -c plan_cache_mode=force_generic_plan",
        ),
    ],
)
def test_postgresql_runs_without_jit_with_generic_plans_and_keeps_the_urls_own_options(tmp_path, query, expected):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    url = f"postgres://postgres@127.0.0.1:5432/satuatap{query}"  # not connected to: only the settings are read
    result = run([sys.executable, "-c", code], production_env(tmp_path, SATUATAP_DEMO="1", DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
