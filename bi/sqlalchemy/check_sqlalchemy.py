"""Plain SQLAlchemy + duckdb-engine against the published warehouse, read-only (run by `make bi-check`).

What Python BI tools and notebooks do with a database: list schemas and tables, reflect columns, load a
whole table (Table(..., autoload_with=engine), pandas.read_sql_table). Runs in whatever environment runs
it, so the same script shows which SQLAlchemy versions work:

    .venv/bin/python bi/sqlalchemy/check_sqlalchemy.py warehouse/ntt_poverty.duckdb
"""

from __future__ import annotations

import hashlib
import sys
import time
import warnings
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

MART = "mart_budget_vs_poverty"


def main() -> int:
    from sqlalchemy import MetaData, Table, create_engine, func, inspect, select

    warehouse = Path(sys.argv[1] if len(sys.argv) > 1 else "warehouse/ntt_poverty.duckdb").resolve()
    if not warehouse.exists():
        print(f"FAIL  no warehouse at {warehouse}: run `make run` first")
        return 1
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    print(
        "versions: "
        + ", ".join(f"{name} {version(name)}" for name in ("SQLAlchemy", "duckdb", "duckdb-engine", "pandas"))
    )
    warnings.filterwarnings("ignore", message=".*reflection on indices.*")
    engine = create_engine(f"duckdb:///{warehouse}", connect_args={"read_only": True})
    inspector = inspect(engine)
    failed = passed = 0

    def step(name: str, run: Callable[[], str]) -> None:
        nonlocal failed, passed
        started = time.monotonic()
        try:
            detail = run()
        except Exception as error:
            failed += 1
            first_line = str(error).splitlines()[0][:200]
            print(f"FAIL  {name}: {type(error).__name__}: {first_line}")
            return
        passed += 1
        print(f"PASS  {name} ({time.monotonic() - started:.1f} s): {detail}")

    step("list schemas", lambda: str(sorted(inspector.get_schema_names())))
    step("list tables in main", lambda: f"{len(inspector.get_table_names(schema='main'))} tables")

    def columns() -> str:
        types = {c["name"]: str(c["type"]) for c in inspector.get_columns(MART, schema="main")}
        if types.get("total_pagu") != "BIGINT":
            raise RuntimeError(f"total_pagu reflected as {types.get('total_pagu')}")
        return f"{len(types)} columns of main.{MART}, total_pagu BIGINT"

    step("reflect columns", columns)

    def whole_table() -> str:
        table = Table(MART, MetaData(), autoload_with=engine, schema="main")
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(table)).scalar_one()
        return f"Table(autoload_with=engine): {len(table.columns)} columns, {count} rows"

    step("load a whole table (Table autoload)", whole_table)

    def pandas_table() -> str:
        import pandas as pd

        frame = pd.read_sql_table(MART, engine, schema="main")
        return f"pandas.read_sql_table: {len(frame)} rows, total_pagu {frame['total_pagu'].dtype}"

    step("load a whole table (pandas.read_sql_table)", pandas_table)
    engine.dispose()
    after = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    if after == before:
        passed += 1
        print("PASS  warehouse untouched: sha256 unchanged")
    else:
        failed += 1
        print("FAIL  warehouse untouched: the file changed")
    print(f"sqlalchemy: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
