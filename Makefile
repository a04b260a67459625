# satuatap: the two commands.
#   make demo   install, migrate (SQLite by default), load the demo MPP once, serve http://127.0.0.1:8000
#   make test   install test needs, run the whole suite on SQLite and on PostgreSQL (+ Redis, Chromium)
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
export LIVE_WS_PORT ?= 8001
# The address the demo serves on: 127.0.0.1 (this machine only). `make demo HOST=0.0.0.0` serves the
# mall's network (kiosks, TVs); ALLOWED_HOSTS then follows this machine's names and addresses.
export HOST ?= 127.0.0.1
# The demo mall opens around the clock so it can be tried at any hour; DEMO_HOURS=real loads the
# catalogue's hours (Mon-Thu 08:00-15:30, Fri 08:00-16:00 with breaks; weekends and holidays closed).
DEMO_HOURS ?= always
# With Redis every process shares the channel layer, so the live channel can run several workers.
LIVE_WORKERS := $(if $(REDIS_URL),2,1)
export LIVE_WORKERS

# The demo flag: the demo secret, keys derived from it, the notification sandbox and cookies without
# Secure are accepted only with it (satuatap/project/production.py). Production never sets it.
demo serve: export SATUATAP_DEMO := 1

.PHONY: demo test install install-test serve locale lint clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(VENV)/bin/pip install -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed locale
install-test: $(VENV)/.installed-test locale

locale: $(VENV)/.installed
	$(PY) manage.py compile_locale

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo --national --hours $(DEMO_HOURS)
	@echo "Serving the demo MPP at http://$(HOST):8000 (live channel on port $(LIVE_WS_PORT)); Ctrl+C stops."
	$(VENV)/bin/honcho start -f Procfile

serve: install
	$(VENV)/bin/honcho start -f Procfile

test: install-test
	bash scripts/test-all

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var/*.sqlite3*
