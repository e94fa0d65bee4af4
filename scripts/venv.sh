# Sourced by the scripts that run kbind from a checkout: sets $py to a
# virtual environment's Python with this checkout installed (the active one,
# or one kept under the cache folder), never the machine's own Python.
venv="${VIRTUAL_ENV:-${XDG_CACHE_HOME:-$HOME/.cache}/kbind/dev-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'
py="$venv/bin/python"
export PATH="$venv/bin:$PATH"
