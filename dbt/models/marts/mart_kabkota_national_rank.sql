-- NTT's 22 kab/kota ranked among all kab/kota of Indonesia, per indicator and year (the kab/kota tables'
-- annual figures; 1 = the highest value, for P0, P1 and P2 the poorest), and among NTT's own, beside NTT's
-- figure and Indonesia's figure of the same survey round. The ranks are taken over every kab/kota the fact
-- holds; only NTT's rows are kept (every other kab/kota's figure is in fct_poverty_indicator). A year whose
-- figures do not cover every province (P0 2016, 2023 and 2025 come only from the NTT extract) gets no national
-- rank: a rank among NTT's 22 is not a rank in Indonesia. kabkota_ranked and provinces_covered say what a rank
-- is out of.
with figures as (
    select
        area.area_key,
        area.bps_code,
        area.name,
        area.level,
        area.province_bps_code,
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
        count(distinct province_bps_code) over (partition by year, indicator_code) as provinces_covered,
        rank() over (partition by year, indicator_code, province_bps_code order by value desc) as rank_in_province,
        count(*) over (partition by year, indicator_code, province_bps_code) as kabkota_in_province
    from figures
    where level = 'kabkota'
),

-- Indonesia's figure of the round a year's kab/kota figures measure (from 2015 its March figure).
national as (
    select period.year, indicator.indicator_code, fact.survey_round, fact.value as national_value
    from {{ ref('fct_poverty_indicator') }} as fact
    join {{ ref('dim_area') }} as area using (area_key)
    join {{ ref('dim_period') }} as period using (period_key)
    join {{ ref('dim_indicator') }} as indicator using (indicator_key)
    where area.level = 'country'
    qualify row_number() over (
        partition by period.year, indicator.indicator_code, fact.survey_round order by period.semester nulls first
    ) = 1
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
    kabkota.period_key,
    kabkota.year,
    kabkota.survey_round,
    kabkota.indicator_key,
    kabkota.indicator_code,
    kabkota.unit,
    kabkota.value,
    cast(case when kabkota.provinces_covered = provinces_with_kabkota.provinces then kabkota.rank_in_indonesia end
        as integer) as national_rank,
    cast(kabkota.kabkota_ranked as integer) as kabkota_ranked,
    cast(kabkota.provinces_covered as integer) as provinces_covered,
    cast(kabkota.rank_in_province as integer) as rank_in_ntt,
    cast(kabkota.kabkota_in_province as integer) as kabkota_in_ntt,
    kabkota.province_value as ntt_value,
    kabkota.value - kabkota.province_value as gap_to_ntt,
    national.national_value,
    kabkota.value - national.national_value as gap_to_national,
    kabkota.source_layout,
    kabkota.source_file
from kabkota
cross join provinces_with_kabkota
left join national using (year, indicator_code, survey_round)
where kabkota.is_ntt
