#!/bin/sh
# Regenerate the pictures in docs/images with the app's own exporter, 'vmc-gui export'.
#   sh docs/make-images.sh        (from the repository, with vmc-gui installed)
# The window pictures (lesson:NAME) are the main window as a first start lays it out, at
# 1600x1000; the metainfo (packaging/linux) shows them as the app's screenshots.
set -e
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/images"
# The main window: the table, the failover race 140 s after the failure (the VM world's node
# isolated, the pod's toleration running), the matrix in the dark.
vmc-gui export lesson:overview --out app-table.png --scale 1
vmc-gui export lesson:fault-tolerance --at 200 --out app-failover.png --scale 1
vmc-gui export lesson:guest-compatibility --theme dark --out app-compat-dark.png --scale 1
# The failover race playing (an animated WebP: 78 frames, about 0.8 MB).
vmc-gui export lesson:fault-tolerance --from 50 --to 440 --speed 30 --fps 6 --size 1600x1000 --out app-failover-run.webp
# What the exports give a slide or a document: a diagram, the cluster, a chart.
vmc-gui export diagram:vm-vs-container --out vm-vs-container.png --scale 1
vmc-gui export diagram:lesson:isolation --out isolation-dark.png --theme dark --scale 1
vmc-gui export cluster:failover --at 200 --out cluster-failover-200.png --scale 1.2
vmc-gui export chart:failover:availability --out chart-failover-availability.png --at 450 --scale 1
# Crashed or cut off? Split brain while four pods run twice, and the quorum lesson with the
# uplink cut (rack 2 keeps the cluster and the control plane).
vmc-gui export lesson:fault-tolerance/split-brain --at 500 --out app-split-brain.png --scale 1
vmc-gui export lesson:fault-tolerance/quorum --at 450 --out app-quorum.png --scale 1
