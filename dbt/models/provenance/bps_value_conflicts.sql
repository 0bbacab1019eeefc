select * from {{ ref('int_bps__value_conflicts') }}
