{{ stage_bps_long_table('bps_webapi') }}
