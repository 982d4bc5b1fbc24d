#!/bin/sh
# Regenerate the pictures in docs/images with the app's own exporter.
#   sh docs/make-images.sh        (from the repository, with vmc-gui installed)
set -e
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/images"
vmc-gui export diagram:vm-vs-container --out vm-vs-container.png --scale 1
vmc-gui export diagram:lesson:isolation --out isolation-dark.png --theme dark --scale 1
vmc-gui export cluster:failover --at 90 --out cluster-failover-90.png --scale 1.2
vmc-gui export chart:failover:availability --out chart-failover-availability.png --at 150 --scale 1
python "$here/make_app_images.py"   # the app's window, as a user drives it
