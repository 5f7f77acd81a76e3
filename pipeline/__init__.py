"""Pressewerk: a German-language NLP extraction pipeline for press releases.

``pipeline.extract(texts)`` runs the whole extraction and returns the tables (see :mod:`pipeline.api`).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.4.0"
__all__ = ["Tables", "__version__", "extract"]


def __getattr__(name: str) -> Any:
    """``extract`` and ``Tables`` are imported on first use (the CLI starts without spaCy)."""
    if name in ("extract", "Tables"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
