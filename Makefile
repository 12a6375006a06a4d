# Two commands for a fresh machine: `make run` and `make test`. Both are safe to repeat.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LINDUNG := $(BIN)/lindung
# The suite runs twice: SQLite (no configuration) and this PostgreSQL.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
# PDFs print every name in DejaVu Sans (lindung/core/pdf.py): Debian's fonts-dejavu-core.
PDF_FONT ?= /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
# Where root is not the user, apt-get needs sudo.
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run serve test setup lint typecheck test-sqlite test-postgresql messages clean mutation

run: setup
	$(LINDUNG) migrate --no-input -v 1
	$(LINDUNG) load_regions
	$(LINDUNG) demo_offices
	$(LINDUNG) demo_users
	$(LINDUNG) demo_registry
	$(LINDUNG) demo_contributions
	$(LINDUNG) demo_claims
	$(LINDUNG) demo_monitoring
	$(LINDUNG) demo_outreach
	@# Background jobs (bulk enrolment) run in a worker beside the web server; both stop together.
	$(LINDUNG) worker --no-startup-delay & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	  $(LINDUNG) runserver 127.0.0.1:8000

# Production: gunicorn (config/gunicorn.py) and the job worker, on PostgreSQL from DATABASE_URL,
# with config.settings.prod (deploy/.env.example names every setting). deploy/ holds the systemd
# units and a reverse-proxy example for a real server.
PROD := DJANGO_SETTINGS_MODULE=config.settings.prod
serve: setup
	@test -n "$$DATABASE_URL" || (echo "make serve runs on PostgreSQL: set DATABASE_URL (see deploy/.env.example)." && exit 1)
	$(PROD) $(LINDUNG) migrate --no-input -v 1
	$(PROD) $(LINDUNG) collectstatic --no-input -v 0
	$(PROD) $(LINDUNG) worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	  $(PROD) $(BIN)/gunicorn -c config/gunicorn.py config.wsgi

# The two suites run side by side, one per core; each one's output is shown when it ends.
test: setup $(CHROMIUM) lint typecheck
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql

setup: $(VENV)/.installed node_modules/.installed messages $(PDF_FONT)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled catalogues (.mo) are built, not committed; msgfmt comes with Debian's gettext.
# Mutation testing of the rules engine (not part of `make test`: it takes minutes). mutmut changes
# lindung/rules one mutant at a time and runs the rules' own tests against each; the score is the
# share of reached mutants killed (goal 90%). docs/mutation.md says how to read the survivors.
mutation: setup
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python scripts/mutation_score.py

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || $(SUDO) apt-get install -y -qq gettext
	$(LINDUNG) compilemessages --ignore '.venv' --ignore 'node_modules' -v 0

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
$(PDF_FONT):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-dejavu-core

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(LINDUNG) makemigrations --check --dry-run -v 1

typecheck: setup
	$(BIN)/mypy config lindung

test-sqlite: setup
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider

test-postgresql: setup
	@$(BIN)/python -c "import psycopg, sys; psycopg.connect('$(TEST_DATABASE_URL)', connect_timeout=5).close()" \
	  || (echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL): start it (see README)." && exit 1)
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) node_modules var
