"""Entry point of the frozen program (PyInstaller): the same `counter` command as the package.

`counter` with no command starts the counter window; `counter --version`, `counter process`,
`counter demo`... work from the bundle exactly as from an installed source tree.
"""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
