import sys

from gongsheng.cli import main

sys.exit(main())
