#!/usr/bin/env bash
# The Python reference implementations the tests use as oracles (pyarrow, duckdb, polars,
# fastparquet for Parquet; webdataset and img2dataset for tar shards), installed from PyPI into
# a venv cached under $LACLIP_CACHE keyed by this list's version, so a second run is instant
# but nothing depends on the cache already being there.
#   scripts/python-env.sh formats   installs if missing, prints the venv's python
#   scripts/python-env.sh path      prints the python the tests look for (installed or not)
set -euo pipefail

FORMATS_VERSION=1
FORMATS_PACKAGES=(
  "pyarrow==26.0.1" "duckdb==2.0.1" "polars==2.1.0" "fastparquet==2026.9.0" "webdataset==0.2.111"
  "img2dataset==1.47.0"
)
CACHE="${LACLIP_CACHE:-$HOME/.cache/laclip}"
VENV="$CACHE/venv-formats-$FORMATS_VERSION"

python_bin() { command -v python3 || command -v python; }

install_formats() {
  if [[ -x "$VENV/bin/python" && -f "$VENV/.complete" ]]; then return; fi
  echo "python-env.sh: installing ${FORMATS_PACKAGES[*]} into $VENV" >&2
  rm -rf "$VENV"
  "$(python_bin)" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${FORMATS_PACKAGES[@]}"
  touch "$VENV/.complete"
}

case "${1:-}" in
  formats) install_formats; echo "$VENV/bin/python" ;;
  path) echo "$VENV/bin/python" ;;
  *) echo "usage: $0 formats|path" >&2; exit 2 ;;
esac
