# Sourced by tools/run_tests.sh, tools/run_app.sh and installer/build.sh: sets PY, the
# interpreter a new venv is made from.
#   PYTHON=...   this interpreter, whatever it is
#   otherwise    the distribution's own /usr/bin/python3 when it is 3.11 or newer and can make
#                a venv; else python3 on PATH.
# Why the distribution's first: Debian and Ubuntu ship an optimised CPython with libpython
# linked into the program. A default pyenv build (no --enable-optimizations, a shared
# libpython) ran `counter process` about a fifth slower on the same machine, the two
# alternated (medians 0.445-0.47 s against 0.37-0.395 s): the command is mostly Python start-up.
# installer/build.sh makes the bundle's build venv from the same choice.
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
