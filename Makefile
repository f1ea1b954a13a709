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
# Empty: the run picks the number of worker processes (the machine's cores, fewer for a small corpus).
WORKERS ?=
# Run parameters, passed on only when set (see README.md, "Parameters"), e.g.
#   make run PERIOD=month LEXICON=my_lexicon.yml PARAMS="bundle_n=3-5 bootstrap_n=2000"
PERIOD      ?=
LEXICON     ?=
GAZETTEER   ?=
ALIASES     ?=
TONE_MODEL  ?=
BOILERPLATE ?=
STOPWORDS   ?=
# an outlets file looked up before the bundled list, and home countries (ISO3, or SOURCE=ISO3;...)
OUTLETS     ?=
HOME_COUNTRY ?=
PARAMS      ?=
# csv (default) or parquet for the large tables
FORMAT      ?=
NAMED_OPTS := $(if $(PERIOD),--period $(PERIOD)) $(if $(LEXICON),--lexicon $(LEXICON)) \
              $(if $(GAZETTEER),--gazetteer $(GAZETTEER)) $(if $(ALIASES),--aliases $(ALIASES)) \
              $(if $(TONE_MODEL),--tone-model $(TONE_MODEL)) $(if $(BOILERPLATE),--boilerplate $(BOILERPLATE)) \
              $(if $(STOPWORDS),--stopwords $(STOPWORDS)) $(if $(OUTLETS),--outlets $(OUTLETS)) \
              $(if $(HOME_COUNTRY),--home-country "$(HOME_COUNTRY)")
# the gazetteer options alone (validate takes these of the named options)
GAZ_OPTS   := $(if $(GAZETTEER),--gazetteer $(GAZETTEER)) $(if $(ALIASES),--aliases $(ALIASES))
RUN_OPTS   := $(if $(WORKERS),--workers $(WORKERS)) $(if $(FORMAT),--format $(FORMAT)) $(NAMED_OPTS) \
              $(foreach p,$(PARAMS),--param $(p))
# The hand-coded sentences that ship with the project (data/coded/README.md). A researcher's own
# gold file (same fields) can be passed instead: make run GOLD=path/to/gold.jsonl
GOLD   ?= data/coded/coded_sentences.jsonl

# Deterministic kernels and plots. Figures are plain matplotlib Figures shown as PNG by the
# formatter that analysis.plots.use_style registers, so the backend never matters for display.
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
BATCH := MPLBACKEND=Agg PROTOCOL_NEWS_PROGRESS=0

.PHONY: run test nbval setup lab lock clean-check

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	MPLBACKEND=Agg $(VPY) -m analysis run --corpus $(CORPUS) --out $(OUT) $(strip $(RUN_OPTS))
	MPLBACKEND=Agg $(VPY) -m analysis validate --gold $(GOLD) --out $(OUT) $(strip $(GAZ_OPTS))
	MPLBACKEND=Agg $(VPY) -m analysis notebooks --corpus $(CORPUS) --out $(OUT) --gold $(GOLD) $(strip $(NAMED_OPTS))

# Strict nbval of every notebook (no output sanitised), under the network guard of tests/ipython.
# The notebooks run on a copy of notebooks/, data/, tables/ and figures/ in build/nbval, so that
# notebook 06, which re-renders the paper figures, never rewrites the committed files (the figure
# check below compares those with a fresh run).
NBVAL_DIR := build/nbval
nbval: $(STAMP)
	rm -rf $(NBVAL_DIR) && mkdir -p $(NBVAL_DIR)
	cp -R notebooks data tables figures $(NBVAL_DIR)/
	$(BATCH) IPYTHONDIR=$(CURDIR)/tests/ipython $(VPY) -m pytest -q -p no:cacheprovider --nbval --nbval-current-env $(NBVAL_DIR)/notebooks/

test: $(STAMP)
	$(VPY) -m ruff check analysis tests benchmarks
	$(BATCH) $(VPY) -m pytest tests -q
	$(MAKE) --no-print-directory nbval
	rm -rf build/figure-check
	$(BATCH) $(VPY) -m analysis run --corpus data/sample --out build/figure-check --quiet
	$(BATCH) $(VPY) -m analysis validate --gold data/coded/coded_sentences.jsonl --out build/figure-check > /dev/null
	diff -r figures build/figure-check/figures
	diff -r tables build/figure-check/tables
	@echo "figure check: regenerated figures and tables are byte-identical to the committed ones"
	bash tests/newcomer.sh

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

# Maintainers: refresh the lock after changing dependencies, then regenerate environment.yml.
lock: $(STAMP)
	$(VPY) -m pip freeze --exclude-editable | grep -v -i '^protocol-news' | sort -f > requirements/constraints.txt
	$(VPY) requirements/sync_environment.py
