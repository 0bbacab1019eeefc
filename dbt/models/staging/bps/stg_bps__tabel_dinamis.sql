{{ stage_bps_long_table('bps_tabel_dinamis') }}
