"""Pressewerk: a German-language NLP extraction pipeline for press releases."""

__version__ = "0.1.0"
