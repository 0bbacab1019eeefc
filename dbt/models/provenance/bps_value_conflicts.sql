-- The disagreements, with each area's name.
select conflicts.bps_code, area.name as area_name, conflicts.* exclude (bps_code)
from {{ ref('int_bps__value_conflicts') }} as conflicts
left join {{ ref('dim_area') }} as area using (bps_code)
