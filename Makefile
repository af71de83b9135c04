# Agora. `make run` serves the shop; `make test` runs every test. Both create .venv first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# DEBUG is off by default (as in production), and settings then refuse the public default
# SECRET_KEY. So that `make run` works on a fresh clone with no environment, each clone makes a
# random key of its own once and keeps it in .venv (never committed, gone with `make clean`).
# A SECRET_KEY in the environment wins. The tests bring theirs (config/settings_test.py).
LOCAL_KEY := $(VENV)/secret-key
export SECRET_KEY ?= $(shell cat $(LOCAL_KEY) 2>/dev/null)

.PHONY: run test lint format bench migrate demo clean e2e screenshots

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

$(LOCAL_KEY): | $(STAMP)
	@$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

migrate: $(STAMP) $(LOCAL_KEY)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo_data
	$(PY) manage.py demo_discounts

run: demo
	@# Static files are re-read when they change (edit CSS without restarting the server).
	WHITENOISE_AUTOREFRESH=1 $(PY) manage.py runserver 127.0.0.1:8000

# Two workers, one per core of the machines we run on: the suite takes about 10 minutes so,
# 27 serially. TEST_WORKERS=0 runs it in one process (pytest-xdist's -n 0).
TEST_WORKERS ?= 2
test: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

e2e: $(STAMP)
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP) $(LOCAL_KEY)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || echo "wrk missing: apt-get install -y wrk"
	@# wrk loads the API from one address, which would be throttled as one visitor within seconds.
	API_THROTTLE_ANON=1000000/second API_THROTTLE_USER=1000000/second $(PY) bench/run.py

# The README's pictures: a throwaway demo shop, served and photographed in chromium.
screenshots: $(STAMP)
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
