#!/usr/bin/env bash
# Install the counter program from this folder (the unpacked tarball).
#
#   ./install.sh                       # for you: ~/.local/opt/hall-counter, menu entry, `counter`
#   sudo ./install.sh --system         # for every user: /opt/hall-counter, /usr/local/bin/counter
#   ./install.sh --data-dir DIR        # keep the hall's database in DIR (written to counter.ini)
#   ./install.sh --uninstall [--system]   # remove the program; the hall's data is kept
#
# Without --data-dir each user's database is in ~/.local/share/hall-counter. Installing again
# over an existing installation replaces the program and keeps its counter.ini.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP=hall-counter
SYSTEM=0
UNINSTALL=0
DATA_DIR=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --system) SYSTEM=1 ;;
        --uninstall) UNINSTALL=1 ;;
        --data-dir) DATA_DIR=${2:?--data-dir needs a folder}; shift ;;
        --data-dir=*) DATA_DIR=${1#*=} ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ $SYSTEM == 1 ]]; then
    [[ $(id -u) == 0 ]] || { echo "install.sh: --system needs root (sudo)" >&2; exit 1; }
    PREFIX=/opt/$APP
    BIN=/usr/local/bin
    SHARE=/usr/share
else
    PREFIX=$HOME/.local/opt/$APP
    BIN=$HOME/.local/bin
    SHARE=${XDG_DATA_HOME:-$HOME/.local/share}
fi
PROGRAM_DIR=$PREFIX/counter
DESKTOP_FILE=$SHARE/applications/$APP.desktop
ICON_FILE=$SHARE/icons/hicolor/256x256/apps/$APP.png

refresh_menus() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [[ $UNINSTALL == 1 ]]; then
    if [[ -f "$PROGRAM_DIR/counter.ini" ]]; then
        echo "数据文件夹 / the hall's data stays in: $(sed -n 's/^data_dir *= *//p' "$PROGRAM_DIR/counter.ini")"
    fi
    [[ -L "$BIN/counter" && $(readlink "$BIN/counter") == "$PROGRAM_DIR/counter" ]] && rm -f "$BIN/counter"
    rm -f "$DESKTOP_FILE" "$ICON_FILE"
    rm -rf "$PROGRAM_DIR"
    rmdir "$PREFIX" 2>/dev/null || true
    refresh_menus
    echo "已卸载 / uninstalled from $PREFIX (每个用户的数据仍在 / each user's data is kept in ~/.local/share/$APP)"
    exit 0
fi

[[ -x "$HERE/counter/counter" ]] || { echo "install.sh: run it from the unpacked tarball (counter/ is missing)" >&2; exit 1; }

mkdir -p "$PREFIX" "$BIN" "$(dirname "$DESKTOP_FILE")" "$(dirname "$ICON_FILE")"
saved_ini=""
if [[ -d "$PROGRAM_DIR" ]]; then
    # An old installation: never delete a database that someone kept inside it.
    if find "$PROGRAM_DIR" -name '*.sqlite3*' -print -quit | grep -q .; then
        echo "install.sh: $PROGRAM_DIR holds a database; move it out before upgrading" >&2
        exit 1
    fi
    if [[ -f "$PROGRAM_DIR/counter.ini" ]]; then
        saved_ini=$(mktemp)
        cp "$PROGRAM_DIR/counter.ini" "$saved_ini"
    fi
    rm -rf "$PROGRAM_DIR"
fi
cp -a "$HERE/counter" "$PROGRAM_DIR"
if [[ -n "$DATA_DIR" ]]; then
    mkdir -p "$DATA_DIR"
    DATA_DIR=$(cd "$DATA_DIR" && pwd)
    printf '[paths]\ndata_dir = %s\n' "$DATA_DIR" > "$PROGRAM_DIR/counter.ini"
elif [[ -n "$saved_ini" ]]; then
    cp "$saved_ini" "$PROGRAM_DIR/counter.ini"
fi
[[ -n "$saved_ini" ]] && rm -f "$saved_ini"

ln -sfn "$PROGRAM_DIR/counter" "$BIN/counter"
install -m 644 "$HERE/hall-counter.png" "$ICON_FILE"
sed -e "s|@EXEC@|\"$PROGRAM_DIR/counter\"|" -e "s|@ICON@|$APP|" \
    "$HERE/hall-counter.desktop" > "$DESKTOP_FILE"
chmod 644 "$DESKTOP_FILE"
refresh_menus

echo "已安装 / installed: $PROGRAM_DIR"
echo "  菜单 / menu entry: $DESKTOP_FILE"
echo "  命令 / command:    $BIN/counter  ($("$PROGRAM_DIR/counter" --version))"
if [[ -f "$PROGRAM_DIR/counter.ini" ]]; then
    echo "  数据 / data:       $(sed -n 's/^data_dir *= *//p' "$PROGRAM_DIR/counter.ini")"
else
    echo "  数据 / data:       ~/.local/share/$APP (每个用户 / per user)"
fi
case ":$PATH:" in *":$BIN:"*) ;; *) echo "  (把 $BIN 加入 PATH / add $BIN to your PATH to type \`counter\`)";; esac
