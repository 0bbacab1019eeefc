"""Expectations for raw RAT matrix rows."""

from expectations.runner import SuiteSpec, gx
from ingest.rat.locations import SCOPE_BOTH, SCOPE_NONE, SCOPE_PROVINCE, SCOPE_REGENCIES, SCOPE_UNSPECIFIED

gxe = gx.expectations


def raw_rat_rows_suite() -> SuiteSpec:
    return SuiteSpec(
        name="raw_rat_matrix_rows",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="source_sha256", description="every row names its document"
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="year", description="the RAT year was read from the header"
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="year", min_value=2000, max_value=2100, description="RAT year is plausible"
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="pagu_rupiah",
                min_value=0,
                max_value=10_000_000_000_000,
                description="pagu between 0 and Rp 10 trillion",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="lokasi_scope",
                value_set=[SCOPE_PROVINCE, SCOPE_REGENCIES, SCOPE_BOTH, SCOPE_UNSPECIFIED, SCOPE_NONE],
                description="location scope is one of the known scopes",
            ),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["source_sha256", "row"], description="one row per document and row number"
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="program", description="every row names a program (may be empty text, not missing)"
            ),
        ],
    )
