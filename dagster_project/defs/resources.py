import dagster as dg
from dagster_dbt import DbtCliResource

from dagster_project.dbt_project import dbt_project
from dagster_project.resources import WarehouseResource
from dagster_project.settings import warehouse_path


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource(path=str(warehouse_path())),
            "dbt": DbtCliResource(project_dir=dbt_project),
        }
    )
