{{ stage_bps_observations('bps_webapi') }}
