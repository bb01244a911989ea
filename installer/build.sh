#!/usr/bin/env bash
# Build the Linux bundle and its tarball.
#
#   bash installer/build.sh            # build/dist/counter/ and build/hall-counter-<v>-linux-<arch>.tar.gz
#   bash installer/build.sh --clean    # start from a new venv and an empty PyInstaller cache
#   PYTHON=python3.12 bash installer/build.sh
#
# The program is frozen from a venv of its own (build/venv), where only the project and its
# run-time dependencies are installed (plus PyInstaller), so nothing from a developer's venv
# ends up in the bundle. The venv is kept between builds; `pip install` is then a quick no-op.
# Build on the oldest Linux you support: the bundle needs a glibc at least as new as this one.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$ROOT/build"
VENV="$BUILD/venv"
# The same choice as the dev venv (tools/pick_python.sh): an optimised distribution build when
# there is one; the bundle carries that interpreter to the counter.
source "$ROOT/tools/pick_python.sh"
PYTHON=$PY
CLEAN=0
for arg in "$@"; do
    case "$arg" in
        --clean) CLEAN=1 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

if [[ $CLEAN == 1 ]]; then
    rm -rf "$VENV" "$BUILD/pyinstaller" "$BUILD/dist" "$BUILD/stage"
fi
mkdir -p "$BUILD"

step "venv ($VENV)"
if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
# Editable: the metadata (name, version) is the project's, the code is read from this tree.
"$PY" -m pip install --disable-pip-version-check --quiet -e "$ROOT" "pyinstaller>=6.5"

read -r NAME VERSION < <("$PY" - "$ROOT/pyproject.toml" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print(project["name"], project["version"])
EOF
)
ARCH=$(uname -m)

step "PyInstaller ($NAME $VERSION)"
rm -f "$BUILD/dist/counter.stamp"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$BUILD/dist" --workpath "$BUILD/pyinstaller" "$ROOT/installer/counter.spec"
BUNDLE="$BUILD/dist/counter"

# pyenv and some distributions build libpython with debug symbols (20 MB of them). Only
# libpython is stripped: the wheels' libraries were patched by auditwheel, and strip can break
# those.
if command -v strip >/dev/null; then
    for lib in "$BUNDLE"/_internal/libpython3*.so*; do
        [[ -f "$lib" && ! -L "$lib" ]] && strip --strip-unneeded "$lib"
    done
fi

step "check the bundle"
"$BUNDLE/counter" --version
# Dated when the build started: a source changed since then makes the bundle stale
# (tests/test_bundle.py reuses a bundle only when it is newer than every source).
touch -d "@$started" "$BUILD/dist/counter.stamp"

step "tarball"
"$PY" "$ROOT/installer/render_templates.py" --out "$BUILD"
PACKAGE="$NAME-$VERSION-linux-$ARCH"
STAGE="$BUILD/stage/$PACKAGE"
rm -rf "$BUILD/stage"
mkdir -p "$STAGE"
cp -a "$BUNDLE" "$STAGE/counter"
cp "$BUILD/hall-counter.desktop" "$STAGE/hall-counter.desktop"
cp "$ROOT/resources/icons/counter.png" "$STAGE/hall-counter.png"
install -m 755 "$ROOT/installer/linux/install.sh" "$STAGE/install.sh"
cp "$ROOT/installer/README-install.md" "$STAGE/README-install.md"
TARBALL="$BUILD/$PACKAGE.tar.gz"
tar -C "$BUILD/stage" -czf "$TARBALL" "$PACKAGE"
rm -rf "$BUILD/stage"

step "done"
echo "bundle:  $BUNDLE  $(du -sh "$BUNDLE" | cut -f1)"
echo "tarball: $TARBALL  $(du -sh "$TARBALL" | cut -f1)"
echo "build time: $(( $(date +%s) - started ))s"
