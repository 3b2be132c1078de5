# Shared by bin/portal and bin/test: make .venv and install a requirements file into it,
# again only when that file changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"

ensure_venv() {  # ensure_venv REQUIREMENTS_FILE
  local req="$1" stamp=".venv/.installed-$(basename "$1")"
  if [ ! -x .venv/bin/python ]; then
    echo ">> creating .venv with $($PY --version)"
    "$PY" -m venv .venv
  fi
  local want
  want="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo ">> installing $req"
    # (grep drops this machine's notes about optional local package folders)
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req" 2>&1 \
      | { grep -v "is ignored: it is neither a file nor a directory" || true; }
    echo "$want" > "$stamp"
  fi
}

apt_install() {  # apt_install COMMAND PACKAGE...: install Debian packages when COMMAND is missing
  local cmd="$1"; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo ">> installing $* (Debian packages)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    fi
  else
    echo "!! '$cmd' is missing: install the Debian packages '$*' (needs root)." >&2
    return 1
  fi
}

apt_install_lib() {  # apt_install_lib LIBRARY PACKAGE...: install Debian packages when a shared library is missing
  local lib="$1"; shift
  ldconfig -p 2>/dev/null | grep -c "$lib" >/dev/null && return 0
  apt_install "$lib" "$@"
}

fetch_contexts() {  # pinned JSON-LD contexts from the npm registry into credentials/contexts/cache (never committed)
  .venv/bin/python credentials/contexts/fetch.py --quiet
}

compile_messages() {  # the .mo files are built here, never committed
  compgen -G "locale/*/LC_MESSAGES/*.po" >/dev/null || return 0
  apt_install msgfmt gettext
  .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=var -v0
}
