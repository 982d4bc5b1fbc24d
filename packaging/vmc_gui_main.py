"""The frozen app's entry point: the same ``vmc-gui`` command the wheel installs."""

import multiprocessing
import sys

from vmc_gui.cli import main

if __name__ == "__main__":
    # The survey's worker processes are started with "spawn", which runs this executable
    # again: freeze_support() makes such a run a worker, not a second app.
    multiprocessing.freeze_support()
    sys.exit(main())
