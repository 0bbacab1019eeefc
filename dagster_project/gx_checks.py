"""Great Expectations suites as blocking Dagster asset checks on tables in the build warehouse."""

from collections.abc import Callable

import dagster as dg

from dagster_project.resources import WarehouseResource
from expectations.runner import SuiteSpec, validate_dataframe


def gx_blocking_check(
    asset: dg.AssetsDefinition | dg.AssetKey,
    table: str,
    suite: Callable[[], SuiteSpec],
) -> dg.AssetChecksDefinition:
    """A blocking check that validates `table` with `suite`; when it fails nothing downstream runs."""
    spec = suite()

    @dg.asset_check(
        asset=asset,
        name=f"gx_{spec.name}",
        blocking=True,
        description=f"Great Expectations suite {spec.name} on {table}",
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        result = validate_dataframe(warehouse.read_table(table), suite())
        return dg.AssetCheckResult(
            passed=result.success,
            severity=dg.AssetCheckSeverity.ERROR,
            description=result.message(),
            metadata={
                "suite": spec.name,
                "expectations_evaluated": result.evaluated,
                "expectations_failed": len(result.failures),
                "failures": dg.MetadataValue.md(
                    "\n".join(f"- {f.message()}" for f in result.failures) or "none"
                ),
            },
        )

    return _check
