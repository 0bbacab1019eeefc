import dagster as dg

from dagster_project.console_log import concise_console_logger
from dagster_project.dbt_project import dbt_cli_resource
from dagster_project.resources import WarehouseResource
from dagster_project.settings import environment_bindings


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={"warehouse": WarehouseResource(**environment_bindings()), "dbt": dbt_cli_resource()},
        loggers={"console": concise_console_logger},
    )
