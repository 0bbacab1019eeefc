"""The star schema as a Mermaid ER diagram, generated from the dbt manifest so it cannot go stale."""

from __future__ import annotations

import json
from pathlib import Path

STAR_PREFIXES = ("dim_", "fct_", "bridge_", "mart_")


def mermaid_er(manifest_path: Path) -> str:
    """erDiagram with every star model, its documented columns, and the relationships its tests declare."""
    manifest = json.loads(manifest_path.read_text())
    nodes = manifest["nodes"]
    models = {
        node["name"]: node
        for node in nodes.values()
        if node["resource_type"] == "model" and node["name"].startswith(STAR_PREFIXES)
    }
    lines = ["erDiagram"]
    for name in sorted(models):
        lines.append(f"    {name} {{")
        for column, spec in models[name]["columns"].items():
            data_type = (spec.get("data_type") or "col").replace(" ", "_")
            lines.append(f"        {data_type} {column}")
        lines.append("    }")
    relationships = set()
    for node in nodes.values():
        test = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or test.get("name") != "relationships":
            continue
        child = node["attached_node"].split(".")[-1] if node.get("attached_node") else None
        kwargs = test.get("kwargs", {})
        parent = kwargs.get("to", "").split("'")[1] if "'" in kwargs.get("to", "") else None
        if child in models and parent in models and child != parent:
            relationships.add((parent, child, kwargs.get("column_name") or node.get("column_name")))
    for parent, child, column in sorted(relationships):
        lines.append(f'    {parent} ||--o{{ {child} : "{column}"')
    return "\n".join(lines) + "\n"


def star_schema_markdown(manifest_path: Path) -> str:
    return (
        "# The star schema\n\n"
        "Generated from the dbt manifest by `ntt-warehouse docs` (a test fails when it is stale).\n"
        "Lines are the relationships the dbt tests enforce.\n\n"
        f"```mermaid\n{mermaid_er(manifest_path)}```\n"
    )
