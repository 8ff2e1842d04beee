#!/usr/bin/env bash
# The optional open_clip venv: open-clip-torch 3.3.0 with the full torch 2.13.0 (the CUDA build,
# several GB with its nvidia-* packages; it runs on CPU) and its torchvision. The CPU-only torch
# wheel is not enough: PyPI's torchvision links libtorch_cuda and fails to import against it
# ("operator torchvision::nms does not exist"). Cached under $LACLIP_CACHE; `make openclip-env`
# builds it, `make test` does not (OpenCLIPTrainingTests says SKIPPED without it).
#   scripts/openclip-env.sh install   installs if missing, prints the venv's python
#   scripts/openclip-env.sh path      prints the python the test looks for
set -euo pipefail

OPENCLIP_VERSION=2
# open_clip_train imports webdataset and braceexpand at start-up, whatever the dataset type.
PACKAGES=("torch==2.13.0" "torchvision==0.28.0" "open-clip-torch==3.3.0" "pandas" "webdataset" "braceexpand")
CACHE="${LACLIP_CACHE:-$HOME/.cache/laclip}"
VENV="$CACHE/venv-openclip-$OPENCLIP_VERSION"

python_bin() { command -v python3 || command -v python; }

install_openclip() {
  if [[ -x "$VENV/bin/python" && -f "$VENV/.complete" ]]; then return; fi
  echo "openclip-env.sh: installing ${PACKAGES[*]} into $VENV (several GB)" >&2
  rm -rf "$VENV"
  "$(python_bin)" -m venv "$VENV"
  # A find-links folder holding the CPU-only torch wheel would satisfy torch==2.13.0 and break
  # torchvision: ask the index alone.
  env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PACKAGES[@]}"
  "$VENV/bin/python" -c "import torch, torchvision, open_clip, open_clip_train.main" >&2
  touch "$VENV/.complete"
}

case "${1:-}" in
  install) install_openclip; echo "$VENV/bin/python" ;;
  path) echo "$VENV/bin/python" ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
