"""``python -m pipeline`` is the ``pressewerk`` command."""

from pipeline.cli import main

main()
