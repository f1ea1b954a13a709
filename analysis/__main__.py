"""Command line: ``python -m analysis COMMAND ...``.

Commands
--------
run              load, clean and measure a corpus; write DIR/tables/*.csv and DIR/figures/*
score-sentences  score gold-style sentence items (JSONL in, JSONL out)
validate         agreement of the measures with a hand-coded gold file
figures          (re)render every chart from a run's tables
notebooks        execute the notebooks in order (what ``make run`` does after ``run``)

Unusable arguments end with a one-line message on stderr and exit status 2;
per-record problems in a corpus go to ``tables/cleaning_report.csv`` and the run continues.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import AnalysisError


def _column_map(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        theirs, sep, ours = p.partition("=")
        if not sep or not theirs or not ours:
            raise AnalysisError(f"--column-map expects THEIRS=OURS (e.g. headline=title), got {p!r}")
        out[theirs] = ours
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run every stage on a corpus and write tables and figures")
    run.add_argument("--corpus", action="append", required=True, metavar="PATH",
                     help="a folder of .txt files, or a .jsonl/.csv/.parquet file (repeatable)")
    run.add_argument("--out", required=True, metavar="DIR", help="output folder (gets tables/ and figures/)")
    run.add_argument("--column-map", action="append", default=[], metavar="THEIRS=OURS",
                     help="map a field name of your files to ours (doc_id, title, date, source, url, text)")
    run.add_argument("--no-figures", action="store_true", help="write tables only")
    run.add_argument("--workers", type=int, default=1, metavar="N", help="local worker processes (default 1)")
    run.add_argument("--engine", choices=("local", "dask"), default="local", help="execution engine")
    run.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="dask scheduler address (default: a LocalCluster with --workers workers)")
    run.add_argument("--quiet", action="store_true", help="no progress output")

    sc = sub.add_parser("score-sentences", help="score sentence items: JSONL in, JSONL out")
    sc.add_argument("--in", dest="inp", required=True, metavar="ITEMS.jsonl")
    sc.add_argument("--out", required=True, metavar="PRED.jsonl")

    va = sub.add_parser("validate", help="agreement with a hand-coded gold file")
    va.add_argument("--gold", required=True, metavar="GOLD.jsonl")
    va.add_argument("--folds", type=int, default=5, help="cross-validation folds, grouped by article (default 5)")
    va.add_argument("--out", default=None, metavar="DIR",
                    help="also write DIR/tables/validation_*.csv and the confusion-matrix figures to DIR/figures")

    fi = sub.add_parser("figures", help="render every chart from a run's tables")
    fi.add_argument("--tables", required=True, metavar="DIR")
    fi.add_argument("--out", required=True, metavar="DIR")

    nb = sub.add_parser("notebooks", help="execute the notebooks in order")
    nb.add_argument("--corpus", action="append", default=None, metavar="PATH")
    nb.add_argument("--out", default=None, metavar="DIR")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            from . import pipeline

            if args.workers < 1:
                raise AnalysisError(f"--workers must be at least 1, got {args.workers}")
            summary = pipeline.run(
                args.corpus,
                out=args.out,
                column_map=_column_map(args.column_map),
                figures=not args.no_figures,
                workers=args.workers,
                engine=args.engine,
                scheduler=args.scheduler,
                progress=not args.quiet,
            )
            if not args.quiet:
                print(summary)
        elif args.command == "score-sentences":
            from . import sentiment

            n = sentiment.score_file(args.inp, args.out)
            print(f"scored {n} items -> {args.out}")
        elif args.command == "validate":
            from . import validate

            result = validate.validate(args.gold, folds=args.folds)
            print(validate.format_report(result))
            if args.out:
                from . import pipeline

                pipeline.write_validation(result, args.out)
        elif args.command == "figures":
            from . import pipeline

            paths = pipeline.render_figures(args.tables, args.out)
            print(f"wrote {len(paths)} files to {args.out}")
        elif args.command == "notebooks":
            from . import execute

            execute.execute_all(corpus=args.corpus, out=args.out)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
