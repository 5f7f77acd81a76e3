# Pressewerk — every target sets up .venv itself when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PRESSEWERK_DATA ?= ../shared/data
export PRESSEWERK_DATA
STAMP := $(VENV)/.installed

.PHONY: run test docs lint eval bench bench-model model venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: extract corpus/ into out/ with the embedded model (Parquet + CSV + datapackage.json)
run: $(STAMP)
	$(BIN)/pressewerk run corpus/releases --out out --format both --force; status=$$?; \
	  if [ $$status -ne 0 ] && [ $$status -ne 3 ]; then exit $$status; fi

## test: the test suite (unit, integration with the shipped model, CLI), then the docs build
test: $(STAMP)
	$(BIN)/pytest -q
	$(MAKE) --no-print-directory docs

## docs: the documentation site into build/site (MkDocs, warnings are errors)
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests scripts
	$(BIN)/ruff format --check pipeline tests scripts

## eval: the scoreboard — every dev measure of every task and the run's words/s; rewrites the README table
eval: $(STAMP)
	$(BIN)/python -m pipeline.scoreboard --data $(PRESSEWERK_DATA)

## model: convert the corpora in $(PRESSEWERK_DATA)/ner, train, package into models/de_pressewerk_ner
model: $(STAMP)
	$(BIN)/python -m pipeline.training.convert --data $(PRESSEWERK_DATA) --out build/corpus
	$(BIN)/python -m spacy train configs/ner.cfg --output build/train/model --code pipeline/nlp/registered.py \
	  --paths.train build/corpus/train.spacy --paths.dev build/corpus/dev.spacy
	$(BIN)/python -m pipeline.training.package build/train/model/model-best models/de_pressewerk_ner \
	  --eval-dir build/corpus

## bench-model: words/s of the shipped model alone, one process, on the Berlin police releases
bench-model: $(STAMP)
	$(BIN)/python scripts/bench_model.py --data $(PRESSEWERK_DATA)

## bench: end-to-end benchmark, one JSON object
bench: $(STAMP)
	$(BIN)/python scripts/bench.py --data $(PRESSEWERK_DATA)

clean:
	rm -rf build out .pytest_cache
