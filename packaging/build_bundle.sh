#!/usr/bin/env bash
# Build lossdesk as a one-folder app, OUTDIR/lossdesk/lossdesk, that runs without Python.
#
#   packaging/build_bundle.sh [--python PY] [OUTDIR]       (OUTDIR defaults to ./dist)
#
# By default it makes a fresh environment in a temporary folder (python3 -m venv, then
# pip install ".[bundle]": lossdesk, Pillow and PyInstaller), so the repository and your
# own environments stay as they are. --python PY builds with an environment that already
# has lossdesk and PyInstaller installed (pip install ".[bundle]"), with no download.
# PYTHON=python3.12 picks the interpreter for the fresh environment.
#
# The build's own files (environment, PyInstaller's work folder) live in the temporary
# folder and are removed at the end; only OUTDIR/lossdesk is written, with the desktop
# entry's installer beside the program (OUTDIR/lossdesk/install_desktop.sh). The bundle then
# renders a screenshot headless, so a bundle that cannot start never leaves this script.
# The bundle runs on Linux machines whose C library (glibc) is at least the version printed
# at the end, about the build machine's own: build it on the oldest system of the lab.
set -euo pipefail

usage() { sed -n '2,17s/^# \{0,1\}//p' "$0"; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=""
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --python) PY="${2:?--python needs the path of a Python}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "build_bundle.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) [ -z "$OUT" ] || { echo "build_bundle.sh: one output folder, please" >&2; exit 2; }
           OUT="$1"; shift ;;
    esac
done
OUT="${OUT:-dist}"
if [[ "$PY" == */* ]]; then  # a path stays valid after the cd below (a venv's python: no realpath)
    PY="$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")"
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lossdesk-bundle.XXXXXX")"
cleanup() { [ "${KEEP_BUILD:-0}" = 1 ] && echo "build folder kept: $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT

if [ -z "$PY" ]; then
    echo "== a fresh environment in $WORK/venv"
    "${PYTHON:-python3}" -m venv "$WORK/venv"
    PY="$WORK/venv/bin/python"
    # a copy of the sources, so that building the wheel leaves nothing in the repository
    mkdir "$WORK/src"
    cp -r "$REPO/lossdesk" "$REPO/resources" "$REPO/pyproject.toml" "$REPO/README.md" "$WORK/src/"
    "$PY" -m pip install --quiet "$WORK/src[bundle]"
fi
# from the build folder: python -m puts the current folder first on sys.path, and the
# lossdesk to bundle is the installed one, not a checkout the script happens to run in
cd "$WORK"
if ! "$PY" -c "import PyInstaller, lossdesk" 2>/dev/null; then
    echo "build_bundle.sh: $PY lacks PyInstaller or lossdesk; install them with pip install \".[bundle]\"" >&2
    exit 2
fi

echo "== PyInstaller $("$PY" -c 'import PyInstaller; print(PyInstaller.__version__)') -> $OUT/lossdesk"
START=$SECONDS
# HOME in the build folder: PyInstaller's cache stays out of the user's home as well
HOME="$WORK/home" "$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$OUT" --workpath "$WORK/build" "$REPO/packaging/lossdesk.spec" \
    > "$WORK/pyinstaller.log" 2>&1 || { cat "$WORK/pyinstaller.log" >&2; exit 1; }
# What is worth reading: not the banner, the list of libraries left out, nor the two known
# warnings about parts left out on purpose (pyqtgraph's Jupyter widget, Qt's GTK 3 theme).
grep -v -e " INFO: " -e "^lossdesk.spec: leaving out" -e "pyqtgraph.jupyter" -e "libqgtk3.so" \
    "$WORK/pyinstaller.log" || true
echo "   built in $((SECONDS - START)) s"

# the desktop entry travels with the bundle: OUTDIR/lossdesk/install_desktop.sh adds it to
# the menu on each machine the folder is copied to, starting the lossdesk beside it
cp "$REPO/packaging/install_desktop.sh" "$REPO/packaging/lossdesk.desktop" \
   "$REPO/packaging/lossdesk-mime.xml" "$REPO/resources/icons/lossdesk.svg" "$OUT/lossdesk/"

echo "== a headless start: lossdesk --screenshot"
mkdir -p "$WORK/home"
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen HOME="$WORK/home" \
    XDG_CONFIG_HOME="$WORK/home/config" XDG_DATA_HOME="$WORK/home/data" \
    XDG_CACHE_HOME="$WORK/home/cache" XDG_STATE_HOME="$WORK/home/state" \
    "$OUT/lossdesk/lossdesk" --size 1024x640 --screenshot "$WORK/check.png"
[ -s "$WORK/check.png" ] || { echo "build_bundle.sh: the bundle wrote no screenshot" >&2; exit 1; }

echo "== done: $OUT/lossdesk/lossdesk ($(du -sh "$OUT/lossdesk" | cut -f1))"
if command -v objdump > /dev/null; then
    GLIBC=$(find "$OUT/lossdesk" -type f \( -name '*.so*' -o -name lossdesk \) -exec objdump -T {} + 2>/dev/null \
            | grep -oE 'GLIBC_[0-9]+\.[0-9]+' | sort -t. -k2,2n -u | tail -1 | cut -d_ -f2)
    echo "   runs on Linux (x86-64) with glibc $GLIBC or newer"
fi
