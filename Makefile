# Two entry points, both self-installing into .venv (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out/demo

.PHONY: demo app serve test bench venv

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
	$(LOCAL_APP)

# On one laptop: sign-in off, served to this machine's browser only.
LOCAL_APP := PLANNER_SIGNIN=off $(BIN)/streamlit run app.py --server.headless true \
	--server.address 127.0.0.1

app: venv
	$(LOCAL_APP)

# To a whole office: every browser on the intranet, sign-in required (README, "Serving
# the app to an office"). PORT and PLANNER_OFFICE (the accounts and audit log) can be set.
PORT ?= 8501
serve: venv
	$(BIN)/streamlit run app.py --server.headless true --server.address 0.0.0.0 \
		--server.port $(PORT)

# Install the test tools and run lint, type checks and the whole test suite.
test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[app,sim,test,ops,ray]"
	command -v pdftoppm >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils)
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql)
	command -v soffice >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui)
	$(BIN)/ruff check planner tests benchmarks app.py
	$(BIN)/ruff format --check planner tests benchmarks app.py
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[app,sim,test,bench,ray]"
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done
