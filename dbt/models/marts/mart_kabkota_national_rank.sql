-- Every kab/kota of Indonesia ranked among all kab/kota per indicator and year (the kab/kota tables' annual
-- figures; 1 = the highest value, for P0, P1 and P2 the poorest), and within its province, beside its
-- province's figure of the same series and round. A year whose figures do not cover every province (P0 2016,
-- 2023 and 2025 come only from the NTT extract) gets no national rank: a rank among NTT's 22 is not a rank
-- in Indonesia. kabkota_ranked and provinces_covered say what each rank is out of.
with figures as (
    select
        area.area_key,
        area.bps_code,
        area.name,
        area.level,
        area.province_bps_code,
        area.province_name,
        area.is_ntt,
        fact.period_key,
        period.year,
        fact.survey_round,
        fact.indicator_key,
        indicator.indicator_code,
        indicator.unit,
        fact.value,
        fact.source_layout,
        fact.source_file,
        -- A province's own province_bps_code is its code, so its row shares the window of its kab/kota.
        max(case when area.level = 'province' then fact.value end) over (
            partition by area.province_bps_code, fact.period_key, fact.indicator_key, fact.survey_round
        ) as province_value
    from {{ ref('fct_poverty_indicator') }} as fact
    join {{ ref('dim_area') }} as area using (area_key)
    join {{ ref('dim_period') }} as period using (period_key)
    join {{ ref('dim_indicator') }} as indicator using (indicator_key)
    where area.level in ('province', 'kabkota') and period.semester is null and fact.source_layout != 'release'
),

kabkota as (
    select
        * exclude (level),
        rank() over (partition by year, indicator_code order by value desc) as rank_in_indonesia,
        count(*) over (partition by year, indicator_code) as kabkota_ranked,
        rank() over (partition by year, indicator_code, province_bps_code order by value desc) as rank_in_province,
        count(*) over (partition by year, indicator_code, province_bps_code) as kabkota_in_province
    from figures
    where level = 'kabkota'
),

coverage as (
    select year, indicator_code, count(distinct province_bps_code) as provinces_covered
    from kabkota
    group by 1, 2
),

provinces_with_kabkota as (
    select count(distinct province_bps_code) as provinces
    from {{ ref('dim_area') }}
    where level = 'kabkota'
)

select
    kabkota.area_key,
    kabkota.bps_code,
    kabkota.name as kabkota_name,
    kabkota.province_bps_code,
    kabkota.province_name,
    kabkota.is_ntt,
    kabkota.period_key,
    kabkota.year,
    kabkota.survey_round,
    kabkota.indicator_key,
    kabkota.indicator_code,
    kabkota.unit,
    kabkota.value,
    cast(case when coverage.provinces_covered = provinces_with_kabkota.provinces then kabkota.rank_in_indonesia end
        as integer) as national_rank,
    cast(kabkota.kabkota_ranked as integer) as kabkota_ranked,
    cast(coverage.provinces_covered as integer) as provinces_covered,
    cast(kabkota.rank_in_province as integer) as rank_in_province,
    cast(kabkota.kabkota_in_province as integer) as kabkota_in_province,
    kabkota.province_value,
    kabkota.value - kabkota.province_value as gap_to_province,
    kabkota.source_layout,
    kabkota.source_file
from kabkota
join coverage using (year, indicator_code)
cross join provinces_with_kabkota
