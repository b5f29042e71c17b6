# Two entry points, both self-installing into .venv (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out/demo

.PHONY: demo app test bench venv

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[app,sim]"

# Install everything and run the main job on the shipped demo street: check the input,
# make the plan (sites, slots, routes, staff, supplies, print-ready exports), check the
# plan, then open the planner app on http://localhost:8501 (Ctrl-C stops it).
demo: venv
	$(BIN)/planner validate data/demo
	$(BIN)/planner plan data/demo --out $(OUT) --force
	$(BIN)/planner check data/demo $(OUT) || [ $$? -eq 3 ]  # exit 3: gaps listed, not a broken rule
	$(BIN)/streamlit run app.py --server.headless true

app: venv
	$(BIN)/streamlit run app.py --server.headless true

# Install the test tools and run lint, type checks and the whole test suite.
test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[app,sim,test,ops]"
	command -v pdftoppm >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils)
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql)
	command -v soffice >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui)
	$(BIN)/ruff check planner tests benchmarks app.py
	$(BIN)/ruff format --check planner tests benchmarks app.py
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[app,sim,test,bench]"
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done
