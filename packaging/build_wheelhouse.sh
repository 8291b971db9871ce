#!/usr/bin/env bash
# Gather every wheel lossdesk needs into one folder, for installing with no network.
#
#   packaging/build_wheelhouse.sh DIR [--extras LIST] [--python-version X.Y ...]
#
# DIR gets lossdesk's own wheel and the wheels of its dependencies and extras (default
# --extras export: Pillow, for GIF export), for this machine's Python and platform.
# --python-version 3.12 (repeatable) adds the wheels for another Python on the same kind
# of machine, e.g. lab machines whose system Python differs from this one. PYTHON=python3.12
# picks the Python that runs pip. Copy DIR to a USB stick; on each machine:
#
#   python3 -m venv ~/lossdesk && ~/lossdesk/bin/pip install --no-index --find-links DIR lossdesk[export]
set -euo pipefail

usage() { sed -n '2,13s/^# \{0,1\}//p' "$0"; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
DIR=""
EXTRAS="export"
VERSIONS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --extras) EXTRAS="${2?--extras needs a list such as export,test}"; shift 2 ;;
        --python-version) VERSIONS+=("${2:?--python-version needs a version such as 3.12}"); shift 2 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "build_wheelhouse.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) [ -z "$DIR" ] || { echo "build_wheelhouse.sh: one folder, please" >&2; exit 2; }
           DIR="$1"; shift ;;
    esac
done
[ -n "$DIR" ] || { usage >&2; exit 2; }
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
SPEC="lossdesk${EXTRAS:+[$EXTRAS]}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lossdesk-wheelhouse.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# a copy of the sources, so that building the wheel leaves nothing in the repository
mkdir "$WORK/src"
cp -r "$REPO/lossdesk" "$REPO/resources" "$REPO/pyproject.toml" "$REPO/README.md" "$WORK/src/"

echo "== lossdesk and its dependencies ($SPEC) for $("$PY" -c 'import sys; print("Python %d.%d" % sys.version_info[:2])')"
"$PY" -m pip wheel --quiet --wheel-dir "$DIR" "$WORK/src${EXTRAS:+[$EXTRAS]}"

if [ ${#VERSIONS[@]} -gt 0 ]; then
    WHEEL="$(ls -t "$DIR"/lossdesk-*-py3-none-any.whl | head -1)"
    # the platform tags this machine's pip accepts (manylinux_2_36_x86_64 … linux_x86_64)
    TAGS_CODE='from pip._vendor.packaging.tags import platform_tags; print(" ".join(platform_tags()))'
    PLATFORMS=()
    for tag in $("$PY" -c "$TAGS_CODE"); do PLATFORMS+=("--platform=$tag"); done
    for version in "${VERSIONS[@]}"; do
        echo "== the same for Python $version"
        "$PY" -m pip download --quiet --dest "$DIR" --only-binary=:all: --python-version "$version" \
            "${PLATFORMS[@]}" "$WHEEL${EXTRAS:+[$EXTRAS]}"
    done
fi

FOR_CODE='import platform, sys; print("%s %s, Python %d.%d" % (platform.system(), platform.machine(), *sys.version_info[:2]))'
FOR="$("$PY" -c "$FOR_CODE")"
for version in ${VERSIONS[@]+"${VERSIONS[@]}"}; do FOR="$FOR and $version"; done
cat > "$DIR/INSTALL.txt" <<EOF
lossdesk, to install with no network ($FOR). On each machine, in this folder:

    python3 -m venv ~/lossdesk
    ~/lossdesk/bin/pip install --no-index --find-links . "$SPEC"
    ~/lossdesk/bin/lossdesk

A machine of another kind (Windows, macOS, ARM) needs a wheelhouse built on one like it.
EOF
echo "== done: $(ls "$DIR"/*.whl | wc -l) wheels, $(du -sh "$DIR" | cut -f1), in $DIR"
echo "   install with: pip install --no-index --find-links $DIR \"$SPEC\""
