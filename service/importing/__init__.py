"""Reading deal lists: SIPRI trade registers (both layouts), CSV and NDJSON.

Pure parsing (no Flask, no database): each reader turns a file into `Row`s,
each the record it proposes (in the API's input shape, plus the import-only
`buyer_original`/`seller_original`) or the reasons it cannot. Validation by
the API's own schema and writing happen in service.bulk.
"""

from .formats import FORMATS, detect_format, read_rows
from .types import ImportFileError, Row

__all__ = ["FORMATS", "ImportFileError", "Row", "detect_format", "read_rows"]
