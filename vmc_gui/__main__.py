"""Allow ``python -m vmc_gui``."""

from vmc_gui.cli import main

raise SystemExit(main())
