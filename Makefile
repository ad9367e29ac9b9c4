VENV = .venv
PY = $(VENV)/bin/python

.PHONY: run test wheel-test bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/facilitator --sessions sessions --demo

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 --dist worksteal

wheel-test: $(VENV)/.installed
	set -e; \
	tmp=$$(mktemp -d); \
	trap 'rm -rf "$$tmp"' EXIT; \
	$(PY) -m pip wheel -q --no-deps -w "$$tmp/dist" .; \
	python3 -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install -q "$$tmp"/dist/facilitator-*.whl; \
	cd "$$tmp" && \
	"$$tmp/venv/bin/facilitator" templates && \
	"$$tmp/venv/bin/python" -c "import facilitator, pathlib; from facilitator.paths import styles_dir; assert (styles_dir()/'app.tcss').exists()"

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py
	$(PY) benchmarks/corpus.py
	$(PY) benchmarks/ui.py
	$(PY) benchmarks/history.py
	$(PY) benchmarks/scale.py
	$(PY) benchmarks/engine.py
	$(PY) benchmarks/share.py
	$(PY) benchmarks/follow_web.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info snapshot_report.html
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
