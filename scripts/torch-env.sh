#!/usr/bin/env bash
# The PyTorch reference for the CLIP trainer (scripts/torch_clip_reference.py): the CPU-only
# torch wheel and numpy, installed from the package index into a venv cached under
# $LACLIP_CACHE keyed by this list's version, so a second run is instant but nothing depends on
# the cache already being there. TorchReferenceTests and `make bench` use it when it is there
# and say SKIPPED (with this script as the way to get it) when it is not.
#   scripts/torch-env.sh torch   installs if missing, prints the venv's python
#   scripts/torch-env.sh path    prints the python the tests and the bench look for
set -euo pipefail

TORCH_VERSION=1
# The +cpu local version is the CPU-only build (~190 MB); plain `torch==2.13.0` is the CUDA build
# with several GB of nvidia-* dependencies. The CPU wheel declares none of those, so pip may
# resolve its dependencies (filelock, sympy, networkx, jinja2, fsspec, setuptools) itself.
# numpy is for the reference script's file loading.
TORCH_PACKAGES=("torch==2.13.0+cpu" "numpy")
CACHE="${LACLIP_CACHE:-$HOME/.cache/laclip}"
VENV="$CACHE/venv-torch-$TORCH_VERSION"

python_bin() { command -v python3 || command -v python; }

install_torch() {
  if [[ -x "$VENV/bin/python" && -f "$VENV/.complete" ]]; then return; fi
  echo "torch-env.sh: installing ${TORCH_PACKAGES[*]} into $VENV" >&2
  rm -rf "$VENV"
  "$(python_bin)" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${TORCH_PACKAGES[@]}"
  # An import proves the wheel matches this Python and its dependencies are complete.
  "$VENV/bin/python" -c "import torch, numpy; torch.ones(2) @ torch.ones(2)" >&2
  touch "$VENV/.complete"
}

case "${1:-}" in
  torch) install_torch; echo "$VENV/bin/python" ;;
  path) echo "$VENV/bin/python" ;;
  *) echo "usage: $0 torch|path" >&2; exit 2 ;;
esac
