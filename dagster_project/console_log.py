"""A console logger for people: one line per event, no stack traces.

Dagster's default console logger prints every failure with its Python stack trace. The full trace
stays in the run's event log (the Dagster UI shows it); the terminal gets the sentence.
"""

import logging
import sys

import dagster as dg

_LOG_RECORD_METADATA_ATTR = "dagster_meta"


class ConciseFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        meta = getattr(record, _LOG_RECORD_METADATA_ATTR, None) or {}
        message = meta.get("orig_message") or record.getMessage()
        first_line = message.strip().splitlines()[0] if message.strip() else ""
        step = meta.get("step_key")
        where = f"{step}: " if step else ""
        return f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {where}{first_line}"


@dg.logger(
    config_schema={"log_level": dg.Field(str, is_required=False, default_value="INFO")},
    description="One line per event on stderr, without stack traces.",
)
def concise_console_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("ntt_warehouse", level=init_context.logger_config["log_level"])
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ConciseFormatter())
    logger.addHandler(handler)
    return logger
