select funding_source_code, name as funding_source_name, level as funding_level
from {{ ref('funding_sources') }}
