{{ stage_bps_long_table('bps_single_year_table') }}
