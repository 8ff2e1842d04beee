#!/usr/bin/env bash
# `make demo`: the main job end to end on the bundled sample captions, against the embedded
# llama.cpp server: enqueue -> run -> export, then a few original/rewrite pairs per style.
set -euo pipefail
cd "$(dirname "$0")/.."
LACLIP="${LACLIP:-.build/release/laclip}"
OUT="${DEMO_DIR:-demo-output}"
PORT="${PORT:-8181}"
SERVER="http://127.0.0.1:$PORT"

rm -rf "$OUT" && mkdir -p "$OUT"
"$LACLIP" enqueue samples/captions.csv --job "$OUT/job"
"$LACLIP" run --job "$OUT/job" --server "$SERVER" --progress-interval 15
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
    for i in (0, 7, 42):
        print(f"  {rows[i][1]}\n    => {lines[i]}")
PY
echo
echo "Output in $OUT/:"
echo "  job/                          the job: job.sqlite + shard files (laclip status / info --job $OUT/job)"
echo "  train.csv, train_<style>.txt  LaCLIP's training CSV and line-aligned rewrites"
echo "  openclip.csv                  open_clip CSV (--csv-img-key filepath --csv-caption-key title)"
echo "  rewrites.jsonl                every rewrite with its metadata"
