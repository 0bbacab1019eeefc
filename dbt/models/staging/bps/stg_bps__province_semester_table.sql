{{ stage_bps_long_table('bps_province_semester_table') }}
