"""Apache Superset against the published warehouse, as a new user sets it up (run by `make bi-check`).

Runs with the Superset environment's Python (.venv-bi). Superset's metadata lives in a throwaway folder;
the warehouse is registered read-only through duckdb-engine and used through Superset's REST API (the
calls its web UI makes), via Flask's test client: no server, no port, no network. Prints PASS/FAIL per
step and exits 1 if any step failed.

    .venv-bi/bin/python bi/superset/check_superset.py warehouse/ntt_poverty.duckdb
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

MARTS = {
    "mart_regency_poverty_profile",
    "mart_budget_vs_poverty",
    "mart_program_convergence",
    "mart_rat_targets_vs_outcomes",
}
ANALYST_SCHEMAS = {"main", "provenance"}
BUILD_ONLY_SCHEMAS = {"raw", "staging", "intermediate", "reference"}
MONEY_COLUMNS = {"mart_budget_vs_poverty": {"total_pagu": "BIGINT", "province_wide_pagu": "BIGINT"}}

CONFIG = """
SECRET_KEY = {secret!r}
SQLALCHEMY_DATABASE_URI = {metadata!r}
WTF_CSRF_ENABLED = False
TALISMAN_ENABLED = False
RATELIMIT_ENABLED = False
CONTENT_SECURITY_POLICY_WARNING = False
"""


class Checks:
    def __init__(self) -> None:
        self.failed = 0
        self.results: dict[str, object] = {}

    def step(self, name: str, run: Callable[[], str], needs: tuple[str, ...] = ()) -> object:
        missing = [need for need in needs if need not in self.results]
        if missing:
            print(f"SKIP  {name}: needs {', '.join(missing)}", flush=True)
            return None
        started = time.monotonic()
        try:
            detail = run()
        except Exception as error:  # a step's failure is reported, and the next steps go on
            self.failed += 1
            print(
                f"FAIL  {name} ({time.monotonic() - started:.1f} s): {type(error).__name__}: {error}",
                flush=True,
            )
            return None
        self.results[name] = detail
        print(f"PASS  {name} ({time.monotonic() - started:.1f} s): {detail}", flush=True)
        return detail


def superset_cli(home: Path, *args: str) -> None:
    env = {**os.environ, "SUPERSET_CONFIG_PATH": str(home / "superset_config.py"), "FLASK_APP": "superset"}
    command = [str(Path(sys.executable).parent / "superset"), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"`superset {' '.join(args)}` exited {done.returncode}: {done.stderr[-800:]}")


def main() -> int:
    warehouse = Path(sys.argv[1] if len(sys.argv) > 1 else "warehouse/ntt_poverty.duckdb").resolve()
    if not warehouse.exists():
        print(f"FAIL  no warehouse at {warehouse}: run `make run` first")
        return 1
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    home = Path(tempfile.mkdtemp(prefix="ntt-superset-"))
    (home / "superset_config.py").write_text(
        CONFIG.format(secret=os.urandom(24).hex(), metadata=f"sqlite:///{home / 'superset.db'}")
    )
    os.environ["SUPERSET_CONFIG_PATH"] = str(home / "superset_config.py")
    checks = Checks()
    print(
        "versions: "
        + ", ".join(
            f"{name} {version(name)}" for name in ("apache-superset", "SQLAlchemy", "duckdb", "duckdb-engine")
        )
        + f"; warehouse {warehouse}",
        flush=True,
    )

    def metadata() -> str:
        superset_cli(home, "db", "upgrade")
        superset_cli(
            home, "fab", "create-admin", "--username", "admin", "--firstname", "NTT", "--lastname", "Check",
            "--email", "admin@example.invalid", "--password", "bi-check",
        )  # fmt: skip
        superset_cli(home, "init")
        return "metadata database, admin user and roles created"

    checks.step("superset init", metadata)

    from superset.app import create_app  # after SUPERSET_CONFIG_PATH is set

    app = create_app()
    client = app.test_client()
    headers: dict[str, str] = {}

    def call(method: str, url: str, body: dict | None = None) -> dict:
        response = client.open(url, method=method, json=body, headers=headers)
        if response.status_code >= 400:
            raise RuntimeError(
                f"{method} {url} -> {response.status_code}: {response.get_data(as_text=True)[:600]}"
            )
        return response.get_json()

    def login() -> str:
        token = call(
            "POST",
            "/api/v1/security/login",
            {"username": "admin", "password": "bi-check", "provider": "db", "refresh": False},
        )["access_token"]
        headers["Authorization"] = f"Bearer {token}"
        return "REST API login as admin"

    checks.step("login", login, needs=("superset init",))

    uri = f"duckdb:///{warehouse}"
    extra = json.dumps({"engine_params": {"connect_args": {"read_only": True}}})
    database: dict[str, int] = {}

    def register() -> str:
        call("POST", "/api/v1/database/test_connection/", {"sqlalchemy_uri": uri, "extra": extra})
        created = call(
            "POST",
            "/api/v1/database/",
            {
                "database_name": "NTT poverty warehouse",
                "sqlalchemy_uri": uri,
                "extra": extra,
                "expose_in_sqllab": True,
            },
        )
        database["id"] = created["id"]
        return f"{uri} registered read-only (connect_args read_only=true), id {created['id']}"

    checks.step("register database (duckdb-engine, read-only)", register, needs=("login",))
    registered = ("register database (duckdb-engine, read-only)",)

    # duckdb-engine names schemas "<catalog>.<schema>": the file's own are "ntt_poverty.main", ...; DuckDB's
    # "system" and "temp" catalogs are listed beside them. The UI offers these names; use them as it does.
    catalog = warehouse.stem
    listed: dict[str, str] = {}

    def schemas() -> str:
        found = call("GET", f"/api/v1/database/{database['id']}/schemas/?q=(force:!t)")["result"]
        own = sorted(name for name in found if name.split(".")[0] == catalog)
        if f"{catalog}.main" not in own:
            raise RuntimeError(f"schema {catalog}.main not listed: {sorted(found)}")
        listed["main"] = f"{catalog}.main"
        return f"the file's schemas: {own}; also listed: {sorted(set(found) - set(own))}"

    checks.step("list schemas", schemas, needs=registered)

    def only_analyst_schemas() -> str:
        found = call("GET", f"/api/v1/database/{database['id']}/schemas/?q=(force:!t)")["result"]
        own = {name.split(".", 1)[-1] for name in found if name.split(".")[0] == catalog}
        if own & BUILD_ONLY_SCHEMAS:
            raise RuntimeError(f"build-only schemas visible to BI users: {sorted(own & BUILD_ONLY_SCHEMAS)}")
        return f"only {sorted(own)} (analysts' schemas: {sorted(ANALYST_SCHEMAS)})"

    checks.step("published surface is the analysts' schemas only", only_analyst_schemas, needs=registered)

    def marts() -> str:
        schema = listed["main"]
        tables = call("GET", f"/api/v1/database/{database['id']}/tables/?q=(force:!t,schema_name:'{schema}')")
        names = {table["value"] for table in tables["result"]}
        missing = MARTS - names
        if missing:
            raise RuntimeError(f"marts not listed in {schema}: {sorted(missing)}")
        return f"{len(names)} tables/views in {schema}, including the {len(MARTS)} marts"

    checks.step("list the marts", marts, needs=("list schemas",))

    def reflect() -> str:
        shown = []
        for mart in sorted(MARTS):
            meta = call(
                "GET",
                f"/api/v1/database/{database['id']}/table_metadata/?name={mart}&schema={listed['main']}",
            )
            columns = {column["name"]: str(column["type"]) for column in meta["columns"]}
            if not columns:
                raise RuntimeError(f"{mart}: no columns reflected")
            for column, expected in MONEY_COLUMNS.get(mart, {}).items():
                if columns.get(column) != expected:
                    raise RuntimeError(
                        f"{mart}.{column} reflected as {columns.get(column)}, expected {expected}"
                    )
            shown.append(f"{mart} {len(columns)}")
        period = call(
            "GET",
            f"/api/v1/database/{database['id']}/table_metadata/?name=dim_period&schema={listed['main']}",
        )
        period_date = {c["name"]: str(c["type"]) for c in period["columns"]}.get("period_date")
        if period_date != "DATE":
            raise RuntimeError(f"dim_period.period_date reflected as {period_date}, expected DATE")
        return f"columns: {', '.join(shown)}; money BIGINT, dim_period.period_date DATE"

    checks.step("reflect columns and types", reflect, needs=("list schemas",))

    dataset: dict[str, int] = {}

    def create_dataset() -> str:
        created = call(
            "POST",
            "/api/v1/dataset/",
            {"database": database["id"], "schema": listed["main"], "table_name": "mart_budget_vs_poverty"},
        )
        dataset["budget"] = created["id"]
        columns = call("GET", f"/api/v1/dataset/{created['id']}")["result"]["columns"]
        types = {column["column_name"]: column.get("type") for column in columns}
        return (
            f"dataset {listed['main']}.mart_budget_vs_poverty (id {created['id']}), {len(columns)} columns,"
            f" total_pagu {types.get('total_pagu')}"
        )

    checks.step("create a dataset", create_dataset, needs=("list schemas",))

    def chart_query() -> str:
        metric = {
            "expressionType": "SIMPLE",
            "column": {"column_name": "allocated_pagu"},
            "aggregate": "SUM",
            "label": "pagu",
        }
        result = call(
            "POST",
            "/api/v1/chart/data",
            {
                "datasource": {"id": dataset["budget"], "type": "table"},
                "queries": [
                    {
                        "columns": ["regency_name"],
                        "metrics": [metric],
                        "filters": [{"col": "year", "op": "==", "val": 2023}],
                        "orderby": [[metric, False]],
                        "row_limit": 50,
                    }
                ],
                "result_format": "json",
                "result_type": "full",
            },
        )["result"][0]
        rows = {row["regency_name"]: row["pagu"] for row in result["data"]}
        import duckdb  # the Superset environment's own DuckDB, read-only, for the expected figures

        with duckdb.connect(str(warehouse), read_only=True) as connection:
            expected = dict(
                connection.execute(
                    "select regency_name, allocated_pagu from main.mart_budget_vs_poverty where year = 2023"
                ).fetchall()
            )
        if len(rows) != 22 or any(abs(rows[name] - value) > 0.01 for name, value in expected.items()):
            raise RuntimeError(f"chart data differs from the warehouse: {rows}")
        top = max(rows, key=rows.get)
        return f"bar chart query: 22 regencies, SUM(allocated_pagu) equal to the warehouse (top: {top})"

    checks.step("run a chart query", chart_query, needs=("create a dataset",))

    def time_series() -> str:
        created = call(
            "POST",
            "/api/v1/dataset/",
            {
                "database": database["id"],
                "schema": listed["main"],
                "table_name": "province_p0_by_survey_round",
                "sql": (
                    "select p.period_date, f.value as p0 from main.fct_poverty_indicator f"
                    " join main.dim_period p using (period_key)"
                    " join main.dim_indicator i using (indicator_key)"
                    " join main.dim_regency r using (regency_key)"
                    " where r.is_province and i.indicator_code = 'P0' and p.semester is not null"
                ),
            },
        )
        columns = call("GET", f"/api/v1/dataset/{created['id']}")["result"]["columns"]
        temporal = [column["column_name"] for column in columns if column.get("is_dttm")]
        if temporal != ["period_date"]:
            raise RuntimeError(f"temporal columns: {temporal}")
        axis = {"columnType": "BASE_AXIS", "sqlExpression": "period_date", "label": "period_date",
                "expressionType": "SQL", "timeGrain": "P1Y"}  # fmt: skip
        result = call(
            "POST",
            "/api/v1/chart/data",
            {
                "datasource": {"id": created["id"], "type": "table"},
                "queries": [
                    {
                        "columns": [axis],
                        "metrics": [{"expressionType": "SQL", "sqlExpression": "AVG(p0)", "label": "p0"}],
                        "orderby": [[axis, True]],
                        "row_limit": 1000,
                    }
                ],
                "result_format": "json",
                "result_type": "full",
            },
        )["result"][0]
        years = len(result["data"])
        if years < 5:
            raise RuntimeError(f"only {years} points: {result['data']}")
        return f"time series on period_date (DATE, is_dttm): {years} yearly points of the province's P0"

    checks.step("time-series chart on period_date", time_series, needs=("list schemas",))

    def read_only() -> str:
        after = hashlib.sha256(warehouse.read_bytes()).hexdigest()
        if after != before:
            raise RuntimeError("the warehouse file changed")
        return "warehouse file unchanged (sha256)"

    checks.step("warehouse untouched", read_only)
    shutil.rmtree(home, ignore_errors=True)
    print(f"superset: {len(checks.results)} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
