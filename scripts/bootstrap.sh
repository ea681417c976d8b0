# Shared by run-sample.sh and test.sh: make sure the system packages and the virtualenv exist.
# Usage: source scripts/bootstrap.sh; need_apt PACKAGE:COMMAND...; make_venv DIR

apt_updated=0
need_apt() {
  # Install each Debian PACKAGE whose COMMAND is missing (as root, or with sudo when available).
  local missing=()
  for pair in "$@"; do
    local package=${pair%%:*} command=${pair#*:}
    if [ "$command" = "__dejavu__" ]; then  # a font, not a command: look for its file
      [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=("$package")
      continue
    fi
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing with apt-get: ${missing[*]}" >&2
  if [ $apt_updated -eq 0 ]; then
    $sudo apt-get update -qq >/dev/null
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

make_venv() {
  # A virtualenv at DIR with an up-to-date pip (python3-venv installed first where Debian lacks it).
  local dir=$1
  if [ ! -x "$dir/bin/python" ]; then
    python3 -m venv "$dir" 2>/dev/null || { need_apt python3-venv:__force_install__; python3 -m venv "$dir"; }
  fi
  "$dir/bin/python" -m pip install -q --upgrade pip >/dev/null
}
