"""`python -m secassess`."""

import sys

from secassess.cli import main

sys.exit(main())
