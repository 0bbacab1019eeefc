"""Why a RAT document cannot be extracted, in words a planner can act on."""

from __future__ import annotations

from ingest.errors import SourceFileError


class RatDocumentError(SourceFileError):
    """A document that yields no matrix rows; `kind` is a stable code for the quarantine list."""

    kind = "unreadable"


class NotAPdfError(RatDocumentError):
    kind = "not_a_pdf"


class EncryptedPdfError(RatDocumentError):
    kind = "encrypted"


class ScannedPdfError(RatDocumentError):
    kind = "no_text_layer"


class NoMatrixError(RatDocumentError):
    kind = "no_matrix"
