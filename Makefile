# Two commands do everything (see README.md):
#   make run    set up .venv if needed, run the pipeline on the sample corpus and execute every notebook
#   make test   set up .venv if needed, unit tests, strict nbval on every notebook, figure byte check
# nbval runs without any output sanitisation: every stored output must reproduce exactly.
# Each target installs what it needs, idempotently, from the exact versions in requirements/constraints.txt.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= data/sample
OUT    ?= .
WORKERS ?= 1
# Notebooks 02 and 05 compare the measures with the hand-coded gold sentences, which do not ship
# with the project; where they are absent (e.g. a fork's CI) those two are skipped with a message.
SHARED ?= ../shared
GOLD   := $(SHARED)/gold/dev_gold.jsonl
GOLD_NOTEBOOKS := notebooks/02_protocol_language.ipynb notebooks/05_validation.ipynb
NBVAL_TARGETS := $(if $(wildcard $(GOLD)),notebooks/,$(filter-out $(GOLD_NOTEBOOKS),$(sort $(wildcard notebooks/[0-9]*.ipynb))))

# Deterministic kernels and plots; nothing reaches for a display.
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: run test setup lab lock clean-check

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VPY) -m analysis run --corpus $(CORPUS) --out $(OUT) --workers $(WORKERS)
	@if [ -f $(GOLD) ]; then $(VPY) -m analysis validate --gold $(GOLD) --out $(OUT); \
	else echo "note: $(GOLD) not found: validation tables and figures not refreshed"; fi
	$(VPY) -m analysis notebooks --corpus $(CORPUS) --out $(OUT)

test: $(STAMP)
	$(VPY) -m pytest tests -q
	@test -f $(GOLD) || echo "note: $(SHARED)/gold not found: skipping $(GOLD_NOTEBOOKS) under nbval"
	PROTOCOL_NEWS_PROGRESS=0 PROTOCOL_NEWS_SHARED=$(abspath $(SHARED)) IPYTHONDIR=$(CURDIR)/tests/ipython $(VPY) -m pytest -q -p no:cacheprovider --nbval --nbval-current-env \
		$(NBVAL_TARGETS)
	rm -rf build/figure-check
	$(VPY) -m analysis run --corpus data/sample --out build/figure-check --quiet
	@if [ -f $(GOLD) ]; then $(VPY) -m analysis validate --gold $(GOLD) --out build/figure-check > /dev/null; fi
	diff -r $(if $(wildcard $(GOLD)),,-x 'validation_*') figures build/figure-check/figures
	diff -r $(if $(wildcard $(GOLD)),,-x 'validation_*') tables build/figure-check/tables
	@echo "figure check: regenerated figures and tables are byte-identical to the committed ones"

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

# Maintainers: refresh the lock after changing dependencies, then regenerate environment.yml.
lock: $(STAMP)
	$(VPY) -m pip freeze --exclude-editable | grep -v -i '^protocol-news' | sort -f > requirements/constraints.txt
	$(VPY) requirements/sync_environment.py
