"""`ntt-warehouse`: the command line for data teams and analysts."""

import argparse
import sys
from pathlib import Path


def _refresh(args: argparse.Namespace) -> int:
    from dagster_project.refresh import run_refresh

    outcome = run_refresh(warehouse=args.warehouse, log_level=args.log_level)
    print(outcome.report(), file=sys.stdout if outcome.success else sys.stderr)
    return 0 if outcome.success else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="ntt-warehouse",
        description="NTT poverty warehouse: BPS statistics and RAT action plans in DuckDB.",
    )
    commands = root.add_subparsers(dest="command", required=True)

    refresh = commands.add_parser(
        "refresh",
        help="extract every source, run the quality gates, build the models and publish the warehouse",
    )
    refresh.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="published DuckDB file (default: $NTT_WAREHOUSE or warehouse/ntt_poverty.duckdb)",
    )
    refresh.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    refresh.set_defaults(handler=_refresh)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
