#!/usr/bin/env bash
# Build vmc-gui as a one-folder desktop app with PyInstaller, check that it runs, and
# print its size.
#
#   packaging/build.sh
#
# It makes its own virtual environment (build/pyinstaller-venv, kept between runs) with
# vmc-gui installed from this checkout, builds dist/vmc-gui/ from packaging/vmc-gui.spec,
# runs the frozen program (--smoke, list, simulate, export), checks the desktop files when
# their validators are installed, and packs dist/vmc-gui-VERSION-linux-ARCH.tar.gz with
# packaging/linux/install.sh inside.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=${VMC_GUI_BUILD_VENV:-build/pyinstaller-venv}
started=$(date +%s)

step() { printf '\n== %s\n' "$*"; }

step "environment: $venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
# A regular install (not -e): the spec collects the resources from the installed package.
# setuptools reuses build/lib between builds, so a file deleted from the checkout would
# still ship: start from nothing.
rm -rf build/lib build/bdist.* build/pyinstaller
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps .
"$venv/bin/python" -m pip install --quiet . 'pyinstaller>=6.10,<7'
version=$("$venv/bin/python" -c 'import vmc_gui; print(vmc_gui.__version__)')

step "pyinstaller: vmc-gui $version"
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/vmc-gui.spec
app=dist/vmc-gui/vmc-gui

step "the frozen program runs"
"$app" --version
# --smoke paints the main window once and exits; offscreen, it needs no display.
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$app" --smoke
"$app" list | head -n 3
"$app" simulate failover | sed -n '4p;11p'
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
"$app" export diagram:vm-vs-container --out "$check/diagram.png"
"$app" export lesson:fault-tolerance --at 90 --out "$check/window.png" --scale 1

step "desktop files"
if command -v desktop-file-validate >/dev/null; then
  if ! desktop-file-validate packaging/linux/io.github.vmcgui.VmcGui.desktop; then exit 1; fi
  echo "desktop entry: valid"
else
  echo "desktop-file-validate not installed (apt install desktop-file-utils): not checked"
fi
if command -v appstreamcli >/dev/null; then
  if ! appstreamcli validate --no-net packaging/linux/io.github.vmcgui.VmcGui.metainfo.xml; then
    exit 1
  fi
else
  echo "appstreamcli not installed (apt install appstream): not checked"
fi

step "archive"
arch=$(uname -m)
archive=dist/vmc-gui-$version-linux-$arch.tar.gz
stage=$check/vmc-gui-$version
mkdir -p "$stage/dist" "$stage/packaging" "$stage/resources"
cp -a dist/vmc-gui "$stage/dist/"
cp -a packaging/linux "$stage/packaging/"
cp -a resources/icons "$stage/resources/"
rm -rf "$stage/resources/icons/__pycache__" "$stage/resources/icons/__init__.py"
cp LICENSE README.md "$stage/"
tar -C "$check" -czf "$archive" "vmc-gui-$version"

step "size"
echo "build folder: $(du -sh dist/vmc-gui | cut -f1) (dist/vmc-gui, $(find dist/vmc-gui -type f | wc -l) files)"
echo "archive:      $(du -sh "$archive" | cut -f1) ($archive)"
echo "built in $(($(date +%s) - started)) s"
# The C library it was built against: the build runs on this version or newer.
echo "needs glibc $(ldd --version | head -n 1 | awk '{print $NF}') or newer (the build machine's)"
echo "install it on this desktop: packaging/linux/install.sh   (or from the archive: vmc-gui-$version/packaging/linux/install.sh)"
