import sys

from lossdesk.cli import main

sys.exit(main())
