"""Why a RAT document cannot be extracted, in words a planner can act on."""

from __future__ import annotations

from store.errors import SourceFileError


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


class OcrConfidenceTooLowError(RatDocumentError):
    """A scan too poor to read: OCR's words are mostly guesses."""

    kind = "ocr_confidence_too_low"


class OcrUncertainError(RatDocumentError):
    """OCR read the matrix but not every rupiah for sure.

    `document` holds what was read (for a person to check), `cells` the amounts in doubt.
    """

    kind = "ocr_uncertain"

    def __init__(self, path, cause: str, document=None, cells=()) -> None:
        super().__init__(path, cause)
        self.document = document
        self.cells = list(cells)
