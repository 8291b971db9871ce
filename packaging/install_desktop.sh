#!/usr/bin/env bash
# Put lossdesk in the desktop's menu and let a double-click on a .lossdesk file open it (Linux).
#
#   packaging/install_desktop.sh [--exec COMMAND] [--system]
#   packaging/install_desktop.sh --uninstall [--system]
#
# For you alone, into $XDG_DATA_HOME (default ~/.local/share): applications/lossdesk.desktop,
# icons/hicolor/scalable/apps/lossdesk.svg (and the session files' icon) and
# mime/packages/lossdesk.xml (the .lossdesk file type); then the desktop's caches are
# refreshed where update-desktop-database and update-mime-database exist.
# --exec names the program the menu starts: by default the bundle's lossdesk when this
# script is the copy inside a bundle (dist/lossdesk/install_desktop.sh), else lossdesk on PATH;
#   packaging/install_desktop.sh --exec ~/lossdesk/bin/lossdesk     (a pip install in a venv)
# --system installs for every user, into /usr/local/share (run it with sudo).
# --uninstall removes exactly these files again.
set -euo pipefail

usage() { sed -n '2,15s/^# \{0,1\}//p' "$0"; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# beside this script inside a bundle; in the repository, the icon is in resources/
ICON_SOURCE="$HERE/lossdesk.svg"
[ -f "$ICON_SOURCE" ] || ICON_SOURCE="$(dirname "$HERE")/resources/icons/lossdesk.svg"
COMMAND="lossdesk"
[ -x "$HERE/lossdesk" ] && [ -f "$HERE/lossdesk" ] && COMMAND="$HERE/lossdesk"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
UNINSTALL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --exec) COMMAND="${2:?--exec needs the program to start}"; shift 2 ;;
        --system) DATA="/usr/local/share"; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install_desktop.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

APP="$DATA/applications/lossdesk.desktop"
ICON="$DATA/icons/hicolor/scalable/apps/lossdesk.svg"
MIME_ICON="$DATA/icons/hicolor/scalable/mimetypes/application-x-lossdesk-session.svg"
MIME="$DATA/mime/packages/lossdesk.xml"

refresh_caches() {
    if command -v update-desktop-database > /dev/null; then
        update-desktop-database -q "$DATA/applications" || true
    fi
    if command -v update-mime-database > /dev/null; then
        update-mime-database "$DATA/mime" > /dev/null || true
    fi
    # a newer folder tells the icon themes to look again
    [ -d "$DATA/icons/hicolor" ] && touch "$DATA/icons/hicolor"
    return 0
}

if [ "$UNINSTALL" = 1 ]; then
    rm -f "$APP" "$ICON" "$MIME_ICON" "$MIME"
    refresh_caches
    echo "lossdesk's menu entry, icon and file type are removed from $DATA"
    exit 0
fi

# The menu starts COMMAND: a path is made absolute, a bare name is looked up on PATH when run.
if [[ "$COMMAND" == */* ]] && [ -d "$(dirname "$COMMAND")" ]; then
    COMMAND="$(cd "$(dirname "$COMMAND")" && pwd)/$(basename "$COMMAND")"
fi
if ! command -v "$COMMAND" > /dev/null; then
    echo "install_desktop.sh: warning: $COMMAND is not a program here yet; the menu entry starts" \
         "it once it is (or give --exec PATH)" >&2
fi
case "$COMMAND" in
    *[\"\`\$\\]*)
        echo "install_desktop.sh: a program path with \", \`, \$ or \\ cannot go in a menu entry;" \
             "move it or link it from a plain path" >&2
        exit 2 ;;
esac
EXEC="${COMMAND//%/%%}"  # a literal % is written %% in Exec
[[ "$EXEC" == *[[:space:]\'\>\<~\|\&\;\*\?\#\(\)]* ]] && EXEC="\"$EXEC\""

mkdir -p "$(dirname "$APP")" "$(dirname "$ICON")" "$(dirname "$MIME_ICON")" "$(dirname "$MIME")"
# Exec=lossdesk %f becomes Exec=COMMAND %f: %f is the file a double-click opens
while IFS= read -r line; do
    if [[ "$line" == Exec=* ]]; then
        printf 'Exec=%s %%f\n' "$EXEC"
    else
        printf '%s\n' "$line"
    fi
done < "$HERE/lossdesk.desktop" > "$APP"
chmod 644 "$APP"
install -m 644 "$ICON_SOURCE" "$ICON"
install -m 644 "$ICON_SOURCE" "$MIME_ICON"
install -m 644 "$HERE/lossdesk-mime.xml" "$MIME"
refresh_caches
echo "lossdesk is in the menu (Education), and .lossdesk files open with: $COMMAND %f"
echo "  files: $APP, $ICON, $MIME"
