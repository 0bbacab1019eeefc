"""Great Expectations suites as blocking Dagster asset checks on tables in the build warehouse."""

from collections.abc import Callable

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.resources import POOL, WarehouseResource
from expectations.runner import SuiteSpec, validate_dataframe


def gx_blocking_check(
    asset: dg.AssetsDefinition | dg.AssetKey,
    table: str,
    suites: Callable[[], list[SuiteSpec] | SuiteSpec],
) -> dg.AssetChecksDefinition:
    """A blocking check that validates `table` with `suites`; when it fails nothing downstream runs."""

    def specs() -> list[SuiteSpec]:
        made = suites()
        return made if isinstance(made, list) else [made]

    name = specs()[0].name

    @dg.asset_check(
        asset=asset,
        name=f"gx_{name}",
        blocking=True,
        pool=POOL,
        description=f"Great Expectations suites {', '.join(s.name for s in specs())} on {table}",
    )
    def _check(
        context: dg.AssetCheckExecutionContext,
        warehouse: WarehouseResource,
        duckdb: dg.ResourceParam[DuckDBResource],
    ) -> dg.AssetCheckResult:
        with duckdb.get_connection() as connection:
            frame = connection.execute(f"select * from {table}").df()
        docs_dir = warehouse.settings.docs_dir
        results = [
            validate_dataframe(frame, spec, docs_dir=docs_dir, run=context.run.run_id) for spec in specs()
        ]
        failures = [failure for result in results for failure in result.failures]
        return dg.AssetCheckResult(
            passed=not failures,
            severity=dg.AssetCheckSeverity.ERROR,
            description="\n".join(result.message() for result in results),
            metadata={
                "suites": dg.MetadataValue.json([result.suite_name for result in results]),
                "expectations_evaluated": sum(result.evaluated for result in results),
                "expectations_failed": len(failures),
                "unexpected_rows": sum(f.unexpected_count for f in failures),
                "failures": dg.MetadataValue.md("\n".join(f"- {f.message()}" for f in failures) or "none"),
                "data_docs": dg.MetadataValue.path(str(docs_dir / "index.html")),
            },
        )

    return _check
