import os

import dagster as dg

from dagster_project.console_log import concise_console_logger
from dagster_project.dbt_project import dbt_cli_resource
from dagster_project.resources import WarehouseResource
from dagster_project.settings import ENV_VARS


def environment_bindings() -> dict[str, dg.EnvVar]:
    """`dg.EnvVar` for every setting whose variable is set; the others keep the resource's defaults."""
    return {field: dg.EnvVar(name) for field, name in ENV_VARS.items() if os.environ.get(name)}


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={"warehouse": WarehouseResource(**environment_bindings()), "dbt": dbt_cli_resource()},
        loggers={"console": concise_console_logger},
    )
