"""The bundle's entry point: the same command line as the ``lossdesk`` script.

PyInstaller needs a script, not an entry point; importing lossdesk.cli first keeps numpy's
BLAS at one thread (it sets the variables before anything loads numpy).
"""

import sys

from lossdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
