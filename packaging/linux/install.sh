#!/usr/bin/env bash
# Put vmc-gui on the Linux desktop: its launcher, icons, AppStream entry and the scenario
# file type, for one user (~/.local) or system-wide (--prefix /usr/local, as root).
#
#   packaging/linux/install.sh [--prefix DIR] [PROGRAM]
#   packaging/linux/install.sh [--prefix DIR] --uninstall
#
# PROGRAM is the vmc-gui to launch. By default: the frozen build (dist/vmc-gui, made by
# packaging/build.sh), which is copied to DIR/lib/vmc-gui and linked as DIR/bin/vmc-gui;
# else the vmc-gui on PATH (pip install .), launched where it is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
id=io.github.vmcgui.VmcGui
prefix=$HOME/.local
program=""
uninstall=0
while (($#)); do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    *) program=$1; shift ;;
  esac
done
# Absolute: the launcher and the link must work from anywhere.
prefix=$(mkdir -p "$prefix" && cd "$prefix" && pwd)
share=$prefix/share
sizes="16 24 32 48 64 128 256 512"
# A copied build carries this file: only such a folder is ever replaced or removed.
marker=.installed-by-vmc-gui
copy=$prefix/lib/vmc-gui
link=$prefix/bin/vmc-gui

refresh() {  # the desktop's caches; each tool is optional
  if command -v update-mime-database >/dev/null; then update-mime-database "$share/mime"; fi
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$share/icons/hicolor" || true
  fi
}

ours() {  # whether DIR/bin/vmc-gui is the link this script made
  [ -L "$link" ] && [ "$(readlink "$link")" = "$copy/vmc-gui" ]
}

if ((uninstall)); then
  rm -f "$share/applications/$id.desktop" "$share/metainfo/$id.metainfo.xml" \
    "$share/mime/packages/$id.xml" "$share/icons/hicolor/scalable/apps/$id.svg"
  for size in $sizes; do rm -f "$share/icons/hicolor/${size}x${size}/apps/$id.png"; done
  if ours; then rm -f "$link"; fi
  if [ -f "$copy/$marker" ]; then rm -rf "$copy"; fi
  mkdir -p "$share/mime/packages"
  refresh
  echo "vmc-gui removed from $prefix"
  exit 0
fi

if [ -z "$program" ]; then
  if [ -x "$root/dist/vmc-gui/vmc-gui" ]; then
    program=$root/dist/vmc-gui/vmc-gui
  elif command -v vmc-gui >/dev/null; then
    program=$(command -v vmc-gui)
  else
    echo "install.sh: no vmc-gui to install: run packaging/build.sh, or pip install ." >&2
    exit 2
  fi
fi
if [ ! -f "$program" ] || [ ! -x "$program" ]; then
  echo "install.sh: $program is not a program" >&2
  exit 2
fi
program=$(cd "$(dirname "$program")" && pwd)/$(basename "$program")
case $program$prefix in
  *%*) # The spec writes it %%, but GLib then looks for a program named with the %% in it.
    echo "install.sh: a launcher cannot run a program whose path has a % ($program, $prefix)" >&2
    exit 2 ;;
esac

folder=$(dirname "$program")
if [ -f "$folder/_internal/base_library.zip" ]; then
  # A frozen one-folder build: copy the folder, so that the clone or download can go.
  if [ -e "$link" ] && ! ours; then
    echo "install.sh: $link exists and is not this script's: remove it, or use --prefix" >&2
    exit 2
  fi
  if [ -e "$copy" ] && [ ! -f "$copy/$marker" ]; then
    echo "install.sh: $copy exists and is not this script's: remove it, or use --prefix" >&2
    exit 2
  fi
  if [ "$(cd "$folder" && pwd -P)" != "$(mkdir -p "$copy" && cd "$copy" && pwd -P)" ]; then
    # Into a new folder first: the old copy goes only once the new one is complete.
    mkdir -p "$prefix/lib"
    staging=$(mktemp -d "$prefix/lib/.vmc-gui.XXXXXX")
    cp -a "$folder/." "$staging/"
    touch "$staging/$marker"
    rm -rf "$copy"
    mv "$staging" "$copy"
  fi
  program=$copy/vmc-gui
  mkdir -p "$prefix/bin"
  ln -sfn "$program" "$link"
fi

# The launcher runs the program by its full path (a desktop session's PATH may not have a
# virtual environment), quoted as the Desktop Entry spec asks: inside double quotes " ` $ \
# take a backslash, and the key file's own escaping then doubles every backslash.
escape='
  function key(s,   out, i, c) {  # the key file: a backslash is written twice
    out = ""
    for (i = 1; i <= length(s); i++) { c = substr(s, i, 1); out = out (c == "\\" ? "\\\\" : c) }
    return out
  }
  function quoted(s,   out, i, c) {  # an Exec argument, in double quotes (no % gets here)
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c == "\"" || c == "`" || c == "$" || c == "\\") out = out "\\" c
      else out = out c
    }
    return "\"" out "\""
  }'
exec_path=$(PROGRAM=$program awk "$escape"'BEGIN { print key(quoted(ENVIRON["PROGRAM"])) }')
try_exec=$(PROGRAM=$program awk "$escape"'BEGIN { print key(ENVIRON["PROGRAM"]) }')
icons=$root/resources/icons
mkdir -p "$share/applications" "$share/metainfo" "$share/mime/packages" \
  "$share/icons/hicolor/scalable/apps"
EXEC=$exec_path TRYEXEC=$try_exec awk '
  /^Exec=vmc-gui / { sub(/^Exec=vmc-gui/, ""); print "Exec=" ENVIRON["EXEC"] $0; next }
  /^TryExec=vmc-gui$/ { print "TryExec=" ENVIRON["TRYEXEC"]; next }
  { print }
' "$here/$id.desktop" > "$share/applications/$id.desktop"
cp "$here/$id.metainfo.xml" "$share/metainfo/$id.metainfo.xml"
cp "$here/$id.mime.xml" "$share/mime/packages/$id.xml"
cp "$icons/$id.svg" "$share/icons/hicolor/scalable/apps/$id.svg"
for size in $sizes; do
  mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
  cp "$icons/$id-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$id.png"
done
refresh
echo "vmc-gui installed in $prefix: the launcher runs $program"
