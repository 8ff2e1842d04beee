#!/usr/bin/env bash
# `make demo`: the main job end to end on the bundled sample captions, against the embedded
# llama.cpp server: enqueue -> run (with the live `laclip status --watch` view) -> export, then
# a few original/rewrite pairs per style.
#
# DEMO_CAPTIONS=N rewrites the first N sample captions (default 24, four styles each: measured at
# 0.58 rewrites/s on this 2-core machine while others were building, under 3 minutes); DEMO_CAPTIONS=all rewrites all 300.
set -euo pipefail
cd "$(dirname "$0")/.."
LACLIP="${LACLIP:-.build/release/laclip}"
OUT="${DEMO_DIR:-demo-output}"
PORT="${PORT:-8181}"
SERVER="http://127.0.0.1:$PORT"
CAPTIONS="${DEMO_CAPTIONS:-24}"
SAMPLE=samples/captions.csv

rm -rf "$OUT" && mkdir -p "$OUT"
if [[ "$CAPTIONS" == all ]]; then
  INPUT="$SAMPLE"
else
  [[ "$CAPTIONS" =~ ^[1-9][0-9]*$ ]] || { echo "DEMO_CAPTIONS must be a positive number or all" >&2; exit 2; }
  INPUT="$OUT/captions.csv"
  head -n "$CAPTIONS" "$SAMPLE" >"$INPUT"
  echo "demo: the first $(wc -l <"$INPUT") of the $(wc -l <"$SAMPLE") sample captions (DEMO_CAPTIONS=all for every one)"
fi
"$LACLIP" enqueue "$INPUT" --job "$OUT/job"

# The run works in the background, logging to a file; the live status view (the renderer of
# `laclip status --watch`) holds the terminal until the job is settled. If the run fails first,
# the view is stopped (SIGTERM restores the screen) and the run's log is shown.
( status=0; "$LACLIP" run --job "$OUT/job" --server "$SERVER" --progress-interval 15 || status=$?
  echo "$status" >"$OUT/run.status" ) >"$OUT/run.log" 2>&1 &
RUN_PID=$!
"$LACLIP" status --job "$OUT/job" --watch 1 --until-complete &
WATCH_PID=$!
# (A sibling cannot `wait` for the run, and a finished but unreaped run still answers kill -0:
# the run's subshell leaves its exit status in a file instead.)
( while [[ ! -f "$OUT/run.status" ]]; do sleep 0.5; done; sleep 2; kill -TERM "$WATCH_PID" 2>/dev/null ) &
WATCHDOG_PID=$!
wait "$WATCH_PID" || true
wait "$RUN_PID" || true
kill "$WATCHDOG_PID" 2>/dev/null || true
run_status="$(cat "$OUT/run.status" 2>/dev/null || echo 1)"
if (( run_status != 0 )); then
  echo "laclip run failed (exit $run_status):" >&2
  cat "$OUT/run.log" >&2
  exit "$run_status"
fi
grep -E '^(finished|interrupted|failed attempts|re-sampled|still pending)' "$OUT/run.log" || true
"$LACLIP" status --job "$OUT/job"
"$LACLIP" export --job "$OUT/job" --format laclip --out "$OUT/train.csv"
"$LACLIP" export --job "$OUT/job" --format openclip --out "$OUT/openclip.csv"
"$LACLIP" export --job "$OUT/job" --format jsonl --out "$OUT/rewrites.jsonl"

echo
echo "A few rewrites (original => rewrite):"
python3 - "$OUT" <<'PY'
import csv, glob, os, sys
out = sys.argv[1]
rows = list(csv.reader(open(os.path.join(out, "train.csv"), newline="", encoding="utf-8")))
for path in sorted(glob.glob(os.path.join(out, "train_*.txt"))):
    style = os.path.basename(path)[len("train_"):-len(".txt")]
    lines = open(path, encoding="utf-8").read().split("\n")
    print(f"\n[{style}]")
    for i in [i for i in (0, 7, 42) if i < len(rows)]:
        print(f"  {rows[i][1]}\n    => {lines[i]}")
PY
echo
echo "Output in $OUT/:"
echo "  job/                          the job: job.sqlite + shard files (laclip status / info --job $OUT/job)"
echo "  train.csv, train_<style>.txt  LaCLIP's training CSV and line-aligned rewrites"
echo "  openclip.csv                  open_clip CSV (--csv-img-key filepath --csv-caption-key title)"
echo "  rewrites.jsonl                every rewrite with its metadata"
echo "  run.log                       the run's log and summary"
