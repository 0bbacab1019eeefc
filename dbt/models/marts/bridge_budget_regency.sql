-- Budget line x area. A line that names regencies is split evenly across them (allocation_share = 1/n).
-- A line that names no regency (province-wide, unspecified or no location) goes to the province row with
-- share 1 and is_province_wide: it is shown separately, never spread over regencies.
with lines as (
    select * from {{ ref('int_rat__budget_lines') }}
),

named as (
    select
        budget_line_key,
        unnest(regency_codes) as bps_code,
        location_scope,
        1.0 / regency_count as allocation_share,
        pagu_rupiah,
        false as is_province_wide
    from lines
    where regency_count > 0
),

province_wide as (
    select budget_line_key, 5300 as bps_code, location_scope, 1.0 as allocation_share, pagu_rupiah, true
    from lines
    where regency_count = 0
)

select
    budget_line_key,
    {{ surrogate_key(['bps_code']) }} as regency_key,
    bps_code,
    location_scope,
    allocation_share,
    allocation_share * pagu_rupiah as allocated_pagu,
    is_province_wide
from (select * from named union all select * from province_wide)
