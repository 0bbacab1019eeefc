"""The resources of every run, made from the settings of the environment (see dagster_project.settings)."""

import dagster as dg

from dagster_project.console_log import concise_console_logger
from dagster_project.dbt_project import dbt_cli_resource
from dagster_project.resources import run_resources
from dagster_project.settings import Settings


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={**run_resources(Settings.from_environment()), "dbt": dbt_cli_resource()},
        loggers={"console": concise_console_logger},
    )
