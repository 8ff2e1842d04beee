# laclip: the two commands a newcomer runs are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
PORT ?= 8181
DEMO_DIR ?= demo-output
EXPERIMENT_DIR ?= experiment-output
APT_PACKAGES := libsqlite3-dev libopenblas-dev libpng-dev libjpeg62-turbo-dev pkg-config python3 python3-venv curl ca-certificates tmux libsnappy-dev libzstd-dev zlib1g-dev libssl-dev

.PHONY: all build release test bench demo experiment slurm-test deps server server-start server-stop clean format lint

all: build

# Installs the Debian packages the build, the tests and the embedded server need, only when
# one is missing (so a repeat run does not touch apt).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The embedded default LLM server (llama.cpp's llama-server + SmolLM2-135M), built once and
# cached in ~/.cache/laclip.
server: deps
	scripts/llama-server.sh install

server-start: server
	LACLIP_SERVER_PORT=$(PORT) scripts/llama-server.sh start

server-stop:
	LACLIP_SERVER_PORT=$(PORT) scripts/llama-server.sh stop

# One formatting for the tree (.swift-format: 4 spaces, 120 columns, imports sorted; only the
# layout is checked, no naming or style rules). `make test` runs the check first (about 3 s), so
# a change that is not formatted fails there; `make format` rewrites the tree in place.
FORMATTED := Package.swift Sources Tests Benchmarks
format:
	swift format format --in-place --recursive --parallel $(FORMATTED)

lint:
	swift format lint --strict --recursive --parallel $(FORMATTED)

# Suites run one at a time: several of them start servers and kill processes, and on two cores
# that would starve the others' timeouts. The two Python venvs are mostly downloads, so on a cold
# machine they install in the background while llama-server and the tests compile. The Slurm
# test runs first so that swift test's summary is the last line.
test: deps lint
	@mkdir -p .build; \
	scripts/python-env.sh formats >.build/python-env.log 2>&1 & formats=$$!; \
	scripts/torch-env.sh torch >.build/torch-env.log 2>&1 & torch=$$!; \
	scripts/llama-server.sh install && $(SWIFT) build --build-tests || { kill $$formats $$torch 2>/dev/null; exit 1; }; \
	wait $$formats || { cat .build/python-env.log; exit 1; }; \
	wait $$torch || echo "SKIPPED torch: scripts/torch-env.sh could not install the PyTorch venv (.build/torch-env.log); TorchReferenceTests will be skipped"
	scripts/slurm-test.sh
	$(SWIFT) test --skip-build --no-parallel

# The Python reference implementations the format tests use as oracles (pyarrow, duckdb, polars,
# fastparquet, webdataset, img2dataset), cached in ~/.cache/laclip.
.PHONY: pyenv
pyenv:
	scripts/python-env.sh formats >/dev/null

# The PyTorch CPU venv TorchReferenceTests and the bench's side-by-side table use (~190 MB,
# cached in ~/.cache/laclip; `make test` installs it too, and skips those tests if it cannot).
# The optional open_clip venv (full torch 2.13.0, several GB) that OpenCLIPTrainingTests uses
# when it is there: open_clip's own trainer on laclip's openclip export.
.PHONY: openclip-env
openclip-env:
	scripts/openclip-env.sh install

.PHONY: torch-env
torch-env:
	scripts/torch-env.sh torch

bench: release server pyenv
	.build/release/laclip-bench
	.build/release/laclip-format-bench
	.build/release/CLIPBench

# A slice of the bundled sample (a couple of minutes); `make demo DEMO_CAPTIONS=all` for all of it.
demo: release server-start
	DEMO_DIR=$(DEMO_DIR) PORT=$(PORT) DEMO_CAPTIONS=$(DEMO_CAPTIONS) scripts/demo.sh

# CLIP vs LaCLIP in miniature (about an hour; QUICK=1 for a few minutes).
experiment: release server-start
	.build/release/laclip experiment --out $(EXPERIMENT_DIR) --server http://127.0.0.1:$(PORT) $(if $(QUICK),--quick,) $(if $(RESUME),--resume,) $(if $(TRAINING_SEED),--training-seed $(TRAINING_SEED),)

# A real one-node Slurm on loopback runs a job array against the embedded server (root only;
# prints SKIPPED where it cannot run). `make test` runs it too.
slurm-test: build server
	scripts/slurm-test.sh

clean:
	rm -rf .build $(DEMO_DIR)
