-- Where a RAT matrix row names an outcome (P0, kemiskinan ekstrem, open unemployment, literacy, drinking water,
-- stunting...), its target beside the BPS figure of the plan year, the year before it (the baseline the plan
-- was written against) and the latest year. The outcome is recognised from the row's texts by the reviewed
-- pairings of the seed rat_indicator_rules (regular expressions over spelling variants, with exclusions; each
-- row says which BPS table measures the outcome and why the pairing holds), never by one exact string. A
-- target whose outcome no indicator of the warehouse measures (stunting is Kemenkes's) says so: match_status.
-- Grain: matrix row x recognised indicator x area. A row naming some regencies gives one row per regency; a
-- row naming all 22 or none is a province-wide target and is compared with the province (BPS 5300).
with targets_rows as (
    select
        target.program_target_key,
        target.document_key,
        target.program_key,
        target.year,
        target.row_number,
        target.target_text,
        target.target_value,
        target.target_unit,
        target.lokasi,
        target.lokasi_bps_codes,
        target.sasaran_indicator_text,
        rat_indicator.indicator_name_id as performance_indicator_text
    from {{ ref('fct_program_target') }} as target
    left join {{ ref('dim_indicator') }} as rat_indicator
        on rat_indicator.indicator_key = target.indicator_key and rat_indicator.source = 'RAT'
),

-- The two texts of a row that can name an indicator: its own performance indicator (program or kegiatan
-- level, the one the target is set for) and its goal's indicator (indikator sasaran).
texts as (
    select
        targets_rows.* exclude (sasaran_indicator_text, performance_indicator_text),
        field.matched_field,
        field.matched_text,
        field.priority,
        lower(regexp_replace(field.matched_text, '\s+', ' ', 'g')) as normalized
    from targets_rows
    cross join lateral (
        select 'indikator_kinerja' as matched_field, targets_rows.performance_indicator_text as matched_text,
            1 as priority
        union all
        select 'indikator_sasaran', targets_rows.sasaran_indicator_text, 2
    ) as field
    where field.matched_text is not null
),

matches as (
    select
        texts.*,
        rules.indicator_code,
        rules.indicator_name_id as rule_indicator_name_id,
        rules.measured_by,
        rules.why as mapping_why
    from texts
    join {{ ref('rat_indicator_rules') }} as rules
        on regexp_matches(texts.normalized, rules.pattern)
        and not coalesce(regexp_matches(texts.normalized, nullif(rules.exclude_pattern, '')), false)
    -- one row per matrix row and indicator: the row's own performance indicator before its goal's
    qualify row_number() over (
        partition by texts.program_target_key, rules.indicator_code order by texts.priority
    ) = 1
),

areas as (
    select
        matches.* exclude (lokasi_bps_codes),
        case
            when len(string_split(trim(coalesce(matches.lokasi_bps_codes, '')), ' ')) between 1 and 21
                and trim(coalesce(matches.lokasi_bps_codes, '')) <> ''
                then string_split(trim(matches.lokasi_bps_codes), ' ')
            else ['5300']
        end as area_codes
    from matches
),

targets as (
    select areas.* exclude (area_codes), cast(unnest(areas.area_codes) as integer) as bps_code
    from areas
),

-- Annual figures; where an indicator has only survey-round figures for a year, the March round. Of a
-- province's two annual figures of 2008-2011, the kab/kota tables' (as mart_regency_poverty_profile). Extreme
-- poverty comes from releases, each figure with its producer (BPS, or a Kemenko PMK estimate).
bps_values as (
    select
        regency.bps_code,
        indicator.indicator_code,
        period.year,
        period.label as period_label,
        fact.value,
        fact.source_file,
        fact.producer
    from {{ ref('fct_poverty_indicator') }} as fact
    join {{ ref('dim_regency') }} as regency using (regency_key)
    join {{ ref('dim_period') }} as period using (period_key)
    join {{ ref('dim_indicator') }} as indicator using (indicator_key)
    where indicator.source = 'BPS'
    -- The annual figure first, else the Susenas March round, else the Sakernas August round (the labour
    -- figure BPS calls the year's), else the year's earliest period.
    qualify row_number() over (
        partition by regency.bps_code, indicator.indicator_code, period.year
        order by period.period = 'annual' desc, period.period = 'S1' desc, period.period = 'M08' desc,
            period.period_date, fact.survey_round = 'annual', fact.survey_round
    ) = 1
),

latest as (
    select bps_code, indicator_code, max(year) as latest_year from bps_values group by 1, 2
)

select
    targets.program_target_key,
    targets.document_key,
    targets.program_key,
    targets.year,
    targets.row_number,
    targets.indicator_code,
    coalesce(indicator.indicator_name_id, targets.rule_indicator_name_id) as indicator_name_id,
    indicator.unit as indicator_unit,
    indicator.indicator_key is not null as indicator_in_warehouse,
    targets.matched_field,
    targets.matched_text,
    targets.measured_by,
    targets.mapping_why,
    targets.target_text,
    targets.target_value,
    targets.target_unit,
    coalesce(
        targets.target_value is not null
        and (
            (indicator.unit = 'percent' and targets.target_unit = '%')
            or (indicator.unit = 'index' and targets.target_unit in ('poin', 'point', 'indeks'))
            or (indicator.unit like 'rupiah%' and targets.target_unit in ('rupiah', 'Rp'))
            or (indicator.unit = 'years' and targets.target_unit in ('tahun', 'years'))
        ),
        false
    ) as target_is_comparable,
    regency.regency_key,
    targets.bps_code,
    regency.name as regency_name,
    targets.lokasi as location_text,
    outcome.period_label as outcome_period,
    outcome.value as outcome_value,
    outcome.source_file as outcome_source_file,
    outcome.producer as outcome_producer,
    targets.year - 1 as baseline_year,
    baseline.value as baseline_value,
    latest.latest_year,
    latest_value.value as latest_value,
    case when target_is_comparable then outcome.value - targets.target_value end as outcome_minus_target,
    case
        when indicator.indicator_key is null then 'indicator not in the warehouse'
        when not target_is_comparable then 'target not comparable'
        when outcome.value is null then 'no figure for the plan year'
        else 'compared'
    end as match_status,
    case
        when target_is_comparable and outcome.value is not null and indicator.higher_is_better is not null
            then case
                when indicator.higher_is_better then outcome.value >= targets.target_value
                else outcome.value <= targets.target_value
            end
    end as target_met
from targets
join {{ ref('dim_regency') }} as regency on regency.bps_code = targets.bps_code
left join {{ ref('dim_indicator') }} as indicator
    on indicator.indicator_code = targets.indicator_code and indicator.source = 'BPS'
left join bps_values as outcome
    on outcome.bps_code = targets.bps_code and outcome.indicator_code = targets.indicator_code
    and outcome.year = targets.year
left join bps_values as baseline
    on baseline.bps_code = targets.bps_code and baseline.indicator_code = targets.indicator_code
    and baseline.year = targets.year - 1
left join latest on latest.bps_code = targets.bps_code and latest.indicator_code = targets.indicator_code
left join bps_values as latest_value
    on latest_value.bps_code = targets.bps_code and latest_value.indicator_code = targets.indicator_code
    and latest_value.year = latest.latest_year
