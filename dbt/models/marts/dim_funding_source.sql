select
    {{ surrogate_key(['funding_source_code']) }} as funding_source_key,
    funding_source_code,
    funding_source_name,
    funding_level
from {{ ref('stg_reference__funding_sources') }}
