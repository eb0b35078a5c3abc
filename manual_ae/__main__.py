import sys

from manual_ae.cli import main

sys.exit(main())
