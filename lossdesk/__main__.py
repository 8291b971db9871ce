"""``python -m lossdesk``: the command line (lossdesk.cli), which limits numpy's BLAS to
one thread before anything loads numpy."""

import sys

from lossdesk.cli import main

sys.exit(main())
