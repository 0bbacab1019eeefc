{{ stage_bps_long_table('bps_long_export') }}
