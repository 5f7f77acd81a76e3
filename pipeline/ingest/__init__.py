"""Ingestion: inputs (files, folders, archives) to :class:`Document` records."""

from pipeline.ingest.document import Document, IngestError, Reject, make_doc_id, printable
from pipeline.ingest.formats import IngestOptions
from pipeline.ingest.sources import UsageError, iter_items

__all__ = ["Document", "IngestError", "IngestOptions", "Reject", "UsageError", "iter_items", "make_doc_id", "printable"]
