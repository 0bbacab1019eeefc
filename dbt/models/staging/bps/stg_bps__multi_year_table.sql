{{ stage_bps_long_table('bps_multi_year_table') }}
