# The habits of this project, one target each. `make run` and `make test` are all a fresh clone needs.
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DJANGO_DEBUG=1

.PHONY: lock loadtest run serve test test-sqlite lint format bench bench-scale bench-import bench-curation corpus clean

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-data.txt scripts/bootstrap.sh
	scripts/bootstrap.sh
	touch $@

## Serve the portal at http://127.0.0.1:8000/ on SQLite, with the demo record loaded, and the
## background worker that runs large imports (stopped with the server).
run: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py load_drug_vocabulary --if-changed
	$(DEV_ENV) $(BIN)/python manage.py compute_fingerprints --if-stale
	$(DEV_ENV) $(BIN)/python manage.py recover_imports
	$(DEV_ENV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## The portal as production runs it: gunicorn (deploy/gunicorn.conf.py) on PORT (8000) with WEB_CONCURRENCY
## workers and the background worker, on DATABASE_URL (SQLite by default) and DJANGO_CACHE_URL, debug off.
serve: $(VENV)/.installed
	scripts/serve.sh

## The whole suite, on SQLite and on a real PostgreSQL server.
test: $(VENV)/.installed
	scripts/test.sh

## The suite on SQLite only (quick feedback while developing).
test-sqlite: $(VENV)/.installed
	$(BIN)/pytest -n 2

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Fill the database with N synthetic articles (make corpus N=100000).
corpus: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py generate_corpus $(or $(N),10000)

## Benchmarks: print figures, never assert them.
bench: $(VENV)/.installed
	$(BIN)/python scripts/bench.py

## Scale benchmark: 100,000 and 1,000,000 articles on SQLite and PostgreSQL (corpora built once, in bench/).
bench-scale: $(VENV)/.installed
	$(BIN)/python scripts/bench_scale.py $(BENCH_SCALE_ARGS)

## Load test: the production stack (gunicorn, 4 workers, Redis) under 60 s of mixed readers and curator
## writes from locust, on loopback, on SQLite and PostgreSQL; prints requests/s, p50/p95/p99 and errors.
loadtest: $(VENV)/.installed
	$(BIN)/python scripts/loadtest.py $(LOADTEST_ARGS)

## Import benchmark: a generated 30,000-record PubMed XML file into an empty SQLite database.
bench-import: $(VENV)/.installed
	$(BIN)/python scripts/bench_import.py

## Curation benchmark: vocabulary load, mention detection and Fingerprints per abstract.
bench-curation: $(VENV)/.installed
	$(BIN)/python scripts/bench_curation.py

## Re-lock requirements*.txt (every package pinned, with hashes) from the hand-written requirements*.in.
lock: $(VENV)/.installed
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes requirements.in -o requirements.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes requirements-dev.in -o requirements-dev.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --no-deps requirements-data.in -o requirements-data.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
