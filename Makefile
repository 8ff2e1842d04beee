# laclip: the two commands a newcomer runs are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
PORT ?= 8181
DEMO_DIR ?= demo-output
APT_PACKAGES := libsqlite3-dev libopenblas-dev libpng-dev libjpeg62-turbo-dev pkg-config python3 python3-venv curl ca-certificates

.PHONY: all build release test bench demo deps server server-start server-stop clean

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

test: deps server
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: release
	.build/release/laclip-bench

demo: release
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	.build/release/laclip enqueue samples/captions.csv --job $(DEMO_DIR)/job
	.build/release/laclip info --job $(DEMO_DIR)/job
	@echo
	@echo "demo job: $(DEMO_DIR)/job (job.sqlite + shard files)"

clean:
	rm -rf .build $(DEMO_DIR)
