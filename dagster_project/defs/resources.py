import dagster as dg

from dagster_project.console_log import concise_console_logger
from dagster_project.dbt_project import dbt_cli_resource
from dagster_project.resources import WarehouseResource
from dagster_project.settings import warehouse_path


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(path=str(warehouse_path())),
            "dbt": dbt_cli_resource(),
        },
        loggers={"console": concise_console_logger},
    )
