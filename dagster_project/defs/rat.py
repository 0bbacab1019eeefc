"""RAT action plans: every PDF bundled or landed, extracted once per content hash."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from dagster_project.gx_checks import gx_blocking_check
from dagster_project.resources import WarehouseResource
from dagster_project.settings import bundled_data_dir, landing_dir
from expectations.raw_rat import raw_rat_rows_suite
from ingest.fingerprint import file_sha256
from ingest.incremental import copy_to_quarantine_folder
from ingest.paths import display_path
from ingest.rat import tables
from ingest.rat.batch import extract_new_documents


def rat_pdf_files() -> list[Path]:
    """Bundled RAT reports and PDFs dropped in the landing folder, in a stable order."""
    bundled = sorted((bundled_data_dir() / "rat").glob("*.pdf"))
    landed = sorted(p for p in landing_dir().rglob("*") if p.suffix.lower() == ".pdf")
    return bundled + landed


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", tables.ROWS_TABLE], description="RAT matrix rows, one per logical row, with provenance."
        ),
        dg.AssetSpec(
            ["raw", tables.DOCUMENTS_TABLE], description="RAT documents loaded: hash, year, pages, totals."
        ),
    ],
    group_name="rat",
    can_subset=False,
)
def rat_documents(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    files = rat_pdf_files()
    sha256_by_path = {path: file_sha256(path) for path in files}
    hashes = set(sha256_by_path.values())
    previous_documents = tables.kept(warehouse.read_table_if_exists("raw.rat_documents"), hashes, "sha256")
    previous_rows = tables.kept(
        warehouse.read_table_if_exists("raw.rat_matrix_rows"), hashes, "source_sha256"
    )
    previous_quarantine = tables.kept(warehouse.read_quarantine(tables.QUARANTINE_SOURCE), hashes, "sha256")
    known = set()
    for frame, column in ((previous_documents, "sha256"), (previous_quarantine, "sha256")):
        if frame is not None:
            known |= set(frame[column])

    def report(path: Path, status: str) -> None:
        context.log.info(f"{display_path(path)}: {status}")

    batch = extract_new_documents(files, known_hashes=known, sha256_by_path=sha256_by_path, on_done=report)
    now = datetime.now(UTC)
    documents = tables.merged(previous_documents, tables.documents_frame(batch.extracted, now))
    rows = tables.merged(previous_rows, tables.rows_frame(batch.extracted, now))
    quarantine = tables.merged(previous_quarantine, tables.quarantine_frame(batch, now))
    warehouse.replace_raw_table(tables.DOCUMENTS_TABLE, documents)
    warehouse.replace_raw_table(tables.ROWS_TABLE, rows)
    warehouse.replace_quarantine(tables.QUARANTINE_SOURCE, quarantine)
    copy_to_quarantine_folder(quarantine, warehouse.quarantine_dir)
    for rejected in batch.rejected:
        context.log.warning(f"quarantined {rejected.reason}")

    summary = {
        "files": len(files),
        "extracted": len(batch.extracted),
        "unchanged": len(batch.unchanged),
        "quarantined": len(quarantine),
        "rows_in": sum(len(d.rows) for d in batch.extracted),
        "rows_rejected": len(batch.rejected),
        "source_hashes": dg.MetadataValue.json(sorted(hashes)),
    }
    yield dg.MaterializeResult(asset_key=["raw", tables.ROWS_TABLE], metadata={**summary, "rows": len(rows)})
    yield dg.MaterializeResult(
        asset_key=["raw", tables.DOCUMENTS_TABLE],
        metadata={"documents": len(documents), "reasons": dg.MetadataValue.json(list(quarantine["reason"]))},
    )


gx_raw_rat_matrix_rows = gx_blocking_check(
    dg.AssetKey(["raw", tables.ROWS_TABLE]), f"raw.{tables.ROWS_TABLE}", raw_rat_rows_suite
)
