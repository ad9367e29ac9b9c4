"""``python -m facilitator`` runs the same command as the ``facilitator`` script."""

import sys

from facilitator.cli import main

sys.exit(main())
