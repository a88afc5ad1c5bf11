# The habits of this project, one target each. `make run` and `make test` are all a fresh clone needs.
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test test-sqlite lint format bench bench-scale bench-import bench-curation corpus clean

$(VENV)/.installed: requirements.txt requirements-data.txt scripts/bootstrap.sh
	scripts/bootstrap.sh
	touch $@

## Serve the portal at http://127.0.0.1:8000/ on SQLite, with the demo record loaded, and the
## background worker that runs large imports (stopped with the server).
run: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py load_drug_vocabulary
	$(DEV_ENV) $(BIN)/python manage.py compute_fingerprints
	$(DEV_ENV) $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## The whole suite, on SQLite and on a real PostgreSQL server.
test: $(VENV)/.installed
	scripts/test.sh

## The suite on SQLite only (quick feedback while developing).
test-sqlite: $(VENV)/.installed
	$(BIN)/pytest

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

## Import benchmark: a generated 30,000-record PubMed XML file into an empty SQLite database.
bench-import: $(VENV)/.installed
	$(BIN)/python scripts/bench_import.py

## Curation benchmark: vocabulary load, mention detection and Fingerprints per abstract.
bench-curation: $(VENV)/.installed
	$(BIN)/python scripts/bench_curation.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
