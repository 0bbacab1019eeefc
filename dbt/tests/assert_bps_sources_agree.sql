{{ config(severity='warn', meta={"dagster": {"ref": {"name": "int_bps__value_conflicts"}}}) }}

-- Warns (does not block) when two BPS sources disagree beyond rounding; the rows say where and by how much.
select * from {{ ref('int_bps__value_conflicts') }}
