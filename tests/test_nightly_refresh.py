"""The refresh as data teams schedule it: a failed dbt test never publishes. The test works on its own copy
of the built warehouse. Readers never blocked, kills survived, one refresh at a time, bad files night after
night: the nights of tests/season.py (a refresh costs half a minute, so they share one season of nights)."""

from store.paths import BUNDLED_DATA_DIR
from tests.conftest import POOR_COUNT_FILE, Warehouse


def test_a_failing_dbt_test_stops_the_publish_and_fails_the_run(warehouse: Warehouse):
    before = warehouse.sha256()
    # Sumba Barat's poor in 2023 ten thousand higher: plausible alone (GX passes), but the 22 areas no
    # longer add up to the province, which the dbt test assert_regencies_add_up_to_the_province refuses.
    text = (BUNDLED_DATA_DIR / POOR_COUNT_FILE).read_text().replace(",37.15,", ",47.15,", 1)
    (warehouse.landing / "JumlahMiskin_revisi.csv").write_text(text)

    outcome = warehouse.refresh(log_level="ERROR")

    assert not outcome.success
    assert any("assert_regencies_add_up_to_the_province" in text for text in outcome.failed_checks)
    assert not outcome.published and "published_warehouse" in outcome.not_materialized
    assert warehouse.sha256() == before
    failed = warehouse.query_build("select count(*) from provenance.load_log where status = 'failed'")
    assert failed[0][0] >= 1
