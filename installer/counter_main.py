"""Entry point of the frozen program (PyInstaller): the same `counter` command as the package.

`counter` with no command starts the counter window; `counter --version`, `counter process`,
`counter demo`... work from the bundle exactly as from an installed source tree.
"""

from app.cli import run

if __name__ == "__main__":
    run()  # as `python -m app`: a one-shot command ends without the interpreter's teardown
