# Sourced by tools/run_tests.sh and tools/run_app.sh: sets PY, the interpreter .venv is made
# from when there is none yet.
#   PYTHON=...   this interpreter, whatever it is
#   otherwise    the distribution's own /usr/bin/python3 when it is 3.11 or newer and can make
#                a venv; else python3 on PATH.
# Why the distribution's first: Debian and Ubuntu build CPython with profile-guided
# optimisation and LTO, and link libpython into the program. A default pyenv build (no
# --enable-optimizations) ran `counter process` about a fifth slower on the same machine
# (0.45 s against 0.38 s, docs/benchmarks.md): the command is almost all Python start-up.
pick_python() {
  if [ -n "${PYTHON:-}" ]; then
    echo "$PYTHON"
    return
  fi
  local system=/usr/bin/python3
  if [ -x "$system" ] && "$system" -c \
      'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "$system"
  else
    echo python3
  fi
}
PY=$(pick_python)
