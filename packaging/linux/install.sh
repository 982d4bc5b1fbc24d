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
share=$prefix/share
sizes="16 24 32 48 64 128 256 512"

refresh() {  # the desktop's caches; each tool is optional
  if command -v update-mime-database >/dev/null; then update-mime-database "$share/mime"; fi
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$share/icons/hicolor" || true
  fi
}

if ((uninstall)); then
  rm -f "$share/applications/$id.desktop" "$share/metainfo/$id.metainfo.xml" \
    "$share/mime/packages/$id.xml" "$share/icons/hicolor/scalable/apps/$id.svg"
  for size in $sizes; do rm -f "$share/icons/hicolor/${size}x${size}/apps/$id.png"; done
  if [ -L "$prefix/bin/vmc-gui" ]; then rm -f "$prefix/bin/vmc-gui"; fi
  rm -rf "$prefix/lib/vmc-gui"
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
program=$(cd "$(dirname "$program")" && pwd)/$(basename "$program")
[ -x "$program" ] || { echo "install.sh: $program is not a program" >&2; exit 2; }

if [ -f "$(dirname "$program")/_internal/base_library.zip" ]; then
  # A frozen one-folder build: copy the folder, so the clone or download can go.
  rm -rf "$prefix/lib/vmc-gui"
  mkdir -p "$prefix/lib" "$prefix/bin"
  cp -a "$(dirname "$program")" "$prefix/lib/vmc-gui"
  program=$prefix/lib/vmc-gui/vmc-gui
  ln -sfn "$program" "$prefix/bin/vmc-gui"
fi

icons=$root/resources/icons
mkdir -p "$share/applications" "$share/metainfo" "$share/mime/packages" \
  "$share/icons/hicolor/scalable/apps"
# The launcher runs this program by its full path: a desktop session's PATH may not have it.
sed -e "s|^Exec=vmc-gui |Exec=$program |" -e "s|^TryExec=vmc-gui$|TryExec=$program|" \
  "$here/$id.desktop" > "$share/applications/$id.desktop"
cp "$here/$id.metainfo.xml" "$share/metainfo/$id.metainfo.xml"
cp "$here/$id.mime.xml" "$share/mime/packages/$id.xml"
cp "$icons/$id.svg" "$share/icons/hicolor/scalable/apps/$id.svg"
for size in $sizes; do
  mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
  cp "$icons/$id-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$id.png"
done
refresh
echo "vmc-gui installed in $prefix: the launcher runs $program"
