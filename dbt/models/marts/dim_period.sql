-- A spine of years, each annual and with its two Susenas rounds (March, September),
-- so facts of any source find their period without the dimension depending on the facts.
with years as (
    select cast(range as integer) as year from range(2000, 2041)
),

semesters as (
    select * from (values
        (cast(null as integer), 'annual', cast(null as integer), ''),
        (1, 'semester', 3, ' S1 (Maret)'),
        (2, 'semester', 9, ' S2 (September)')
    ) as s (semester, period_type, survey_month, label_suffix)
)

select
    {{ surrogate_key(['years.year', 'semesters.semester']) }} as period_key,
    years.year,
    semesters.semester,
    semesters.period_type,
    semesters.survey_month,
    cast(years.year as varchar) || semesters.label_suffix as label
from years
cross join semesters
