"""The frozen app's entry point: the same ``vmc-gui`` command the wheel installs."""

import sys

from vmc_gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
