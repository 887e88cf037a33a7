# Shared by scripts/run and scripts/test.

# ensure_packages pkg:command ... installs each Debian package whose command is missing.
ensure_packages() {
  local missing=()
  for pair in "$@"; do
    local pkg=${pair%%:*} cmd=${pair#*:}
    if [ "$cmd" = initdb ]; then
      command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=("$pkg")
    else
      command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  install_debian_packages "${missing[@]}"
}

# install_debian_packages pkg ... installs them when root, or says how and stops.
install_debian_packages() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages: $*. Install them with: sudo apt-get install -y $*" >&2
    exit 1
  fi
  echo "Installing $* ..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# ensure_python_module pkg module installs the Debian package when the system's python3 (not a
# pyenv or venv one earlier on PATH) cannot import the module.
ensure_python_module() {
  /usr/bin/python3 -c "import $2" 2>/dev/null && return 0
  install_debian_packages "$1"
}
