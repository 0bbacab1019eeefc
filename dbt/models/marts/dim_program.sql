-- The RAT hierarchy, per document: sektor/urusan > kebijakan > sasaran > program > kegiatan.
select
    program_key,
    any_value(document_key) as document_key,
    any_value(year) as year,
    any_value(row_group_number) as row_group_number,
    any_value(sektor) as sektor,
    any_value(kebijakan) as kebijakan,
    any_value(sasaran) as sasaran,
    any_value(program) as program,
    any_value(kegiatan) as kegiatan,
    min(row_number) as first_row_number
from {{ ref('int_rat__matrix_rows') }}
group by program_key
