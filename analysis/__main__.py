"""Command line: ``python -m analysis COMMAND ...``.

Commands
--------
run              load, clean and measure a corpus; write DIR/tables/*.csv and DIR/figures/*
score-sentences  score gold-style sentence items (JSONL in, JSONL out)
validate         leave-one-outlet-out agreement with a hand-coded gold file
adaptation       what coding sentences of one's own outlet buys (the adaptation curve)
train-tone       fit the tone and protocol model on hand-coded sentences
kwic             concordance of a phrase or lexicon category across a corpus (CSV)
figures          (re)render every chart from a run's tables
notebooks        execute the notebooks in order (what ``make run`` does after ``run``)

Unusable arguments end with a one-line message on stderr and exit status 2;
per-record problems in a corpus go to ``tables/cleaning_report.csv`` and the run continues.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from . import (
    __version__,
    adaptation,
    coded,
    entities,
    pipeline,
    protocol,
    readability,
    sentiment,
    tone_model,
    training,
    validate,
)
from .errors import AnalysisError
from .params import PERIODS, Params, parse_assignments
from .progress import cli_progress


def _gazetteer(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The gazetteer of ``--gazetteer``/``--aliases`` (validate, adaptation), or None: the bundled one."""
    if args.gazetteer is None and args.aliases is None:
        return None
    return entities.load_gazetteer(args.gazetteer, aliases=args.aliases)


def _pool(args: argparse.Namespace) -> list:  # type: ignore[type-arg]
    """The labelled pool of ``--train`` files (default: the shipped hand-coded sentences), plus the
    standoff part of the shipped set rebuilt from ``--corpora`` when given (the Chinese foreign
    ministry's part too when its corpus is in one of the folders; validate, adaptation)."""
    pool = [it for f in args.train for it in coded.load_items(f)] if args.train else coded.load_items()
    if args.corpora:
        got, notes = coded.shipped_standoff(args.corpora)
        pool += got
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
    return pool


def _add_pool_options(p: argparse.ArgumentParser, *, train_help: str) -> None:
    """``--train`` and ``--corpora``, the labelled pool of :func:`_pool` (validate, adaptation)."""
    p.add_argument("--train", action="append", default=None, metavar="CODED.jsonl", help=train_help)
    p.add_argument("--corpora", action="append", default=None, metavar="DIR",
                   help="folder of the development corpora: adds the standoff part of the shipped set to the pool, "
                        "and rebuilds a --gold file of standoff labels (repeatable: each corpus file is read from "
                        "the first folder that holds it)")


def _add_gazetteer_options(p: argparse.ArgumentParser) -> None:
    """``--gazetteer`` and ``--aliases`` of :func:`_gazetteer` (validate, adaptation)."""
    p.add_argument("--gazetteer", default=None, metavar="PATH",
                   help="a gazetteer file (CSV) replacing the bundled one (as for run)")
    p.add_argument("--aliases", default=None, metavar="PATH",
                   help="an alias file (CSV) replacing the bundled aliases (as for run)")


def _column_map(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        theirs, sep, ours = p.partition("=")
        if not sep or not theirs or not ours:
            raise AnalysisError(f"--column-map expects THEIRS=OURS (e.g. headline=title), got {p!r}")
        out[theirs] = ours
    return out


#: Named options of run (and notebooks) -> parameter of analysis.params.Params.
NAMED_PARAMETERS: dict[str, str] = {
    "period": "period",
    "lexicon": "lexicon",
    "gazetteer": "gazetteer",
    "aliases": "aliases",
    "tone_model": "tone_model",
    "boilerplate": "boilerplate",
    "stopwords": "stopwords",
    "outlets": "outlets",
    "home_country": "home_country",
}


def _add_parameter_options(p: argparse.ArgumentParser, *, param: bool = True) -> None:
    """The named parameter options (and the repeatable --param KEY=VALUE) of run and notebooks."""
    p.add_argument("--period", choices=PERIODS, default=None,
                   help="calendar period of the time series (default year)")
    p.add_argument("--lexicon", default=None, metavar="PATH",
                   help="a protocol lexicon file (YAML) replacing the bundled one")
    p.add_argument("--gazetteer", default=None, metavar="PATH",
                   help="a gazetteer file (CSV) replacing the bundled one")
    p.add_argument("--aliases", default=None, metavar="PATH",
                   help="an alias file (CSV) replacing the bundled aliases")
    p.add_argument("--tone-model", default=None, metavar="MODEL.json",
                   help="a sentence model written by train-tone (default: the bundled one)")
    p.add_argument("--boilerplate", default=None, metavar="PATH",
                   help="a boilerplate-pattern file (YAML) replacing the bundled one used in cleaning")
    p.add_argument("--stopwords", default=None, metavar="PATH",
                   help="stopwords removed from the ngrams and collocations tables: a stopword file, "
                        "or default for the bundled list (default: no filtering)")
    p.add_argument("--outlets", default=None, metavar="PATH",
                   help="an outlets file (CSV, the columns of analysis/data/outlets.csv) looked up before the bundled list")
    p.add_argument("--home-country", default=None, metavar="ISO3|SOURCE=ISO3[;...]",
                   help="the outlets' home country (the implied speaking side), over the outlets files and the "
                        "inference from titles: one code for every outlet, or per outlet (its source value)")
    if param:
        p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                       help="any run parameter (repeatable), e.g. bundle_n=3-5, bundle_n=3,5 (exactly 3 and 5), "
                            "bootstrap_n=2000; names: " + ", ".join(Params.names()))


def _parameters(args: argparse.Namespace) -> dict[str, str]:
    """The parameters given on the command line (--param first, the named options win), unchecked values."""
    out: dict[str, str] = dict(parse_assignments(getattr(args, "param", []) or []))
    for opt, name in NAMED_PARAMETERS.items():
        value = getattr(args, opt, None)
        if value is not None:
            out[name] = value
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Command line of the protocol news analysis.")
    parser.add_argument("--version", action="version", version=f"protocol-news-analysis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run every stage on a corpus and write tables and figures")
    run.add_argument("--corpus", action="append", required=True, metavar="PATH",
                     help="a folder of .txt files, or a .jsonl/.csv/.parquet file (repeatable)")
    run.add_argument("--out", required=True, metavar="DIR", help="output folder (gets tables/ and figures/)")
    run.add_argument("--column-map", action="append", default=[], metavar="THEIRS=OURS",
                     help="map a field name of your files to ours (doc_id, title, date, source, url, text)")
    run.add_argument("--no-figures", action="store_true", help="write tables only")
    run.add_argument("--workers", type=int, default=None, metavar="N",
                     help="local worker processes (default: the machine's cores, fewer for a small corpus: "
                          "at least 250 articles per worker); the tables are the same for any number")
    run.add_argument("--engine", choices=("local", "dask"), default="local", help="execution engine")
    run.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="dask scheduler address (default: a LocalCluster with --workers workers)")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    run.add_argument("--format", choices=("csv", "parquet"), default="csv",
                     help="file format of the large tables (articles, sentences, mentions, sentence_tone, "
                          "protocol_matches); the others are always CSV (default csv)")
    _add_parameter_options(run)

    sc = sub.add_parser(
        "score-sentences", help="score sentence items: JSONL in, JSONL out",
        description="Score sentence items. Input: JSONL, one JSON object per line. Required fields: item (an id), "
                    "title (the article title), prev (the previous sentence, may be empty), sentence. Optional "
                    "fields: source and url (the outlet, whose home country is looked up in the outlets file; "
                    "an outlet the file does not list gets one from its items' texts when they are in the first "
                    "person and one country dominates them), article_id (groups an outlet's items into "
                    "documents for that), date, home_country (ISO 3166-1 alpha-3). Gold label fields, if "
                    "present, are ignored. "
                    "Output: JSONL, one line per item with item, about_ties, dyad, tone, protocol, score, "
                    "home_country.")
    sc.add_argument("--in", dest="inp", required=True, metavar="ITEMS.jsonl",
                    help="input items (fields item, title, prev, sentence; optional source, url, home_country)")
    sc.add_argument("--out", required=True, metavar="PRED.jsonl", help="output file (never the input file)")
    sc.add_argument("--home-country", default="", metavar="ISO3",
                    help="the outlet's country for every item (an item's own home_country field wins)")
    sc.add_argument("--tone-model", default=None, metavar="MODEL.json", help="a model written by train-tone")

    va = sub.add_parser(
        "validate", help="leave-one-outlet-out agreement with a hand-coded gold file",
        description="Each outlet (field source) of the gold file is predicted by a model fitted only on the "
                    "other outlets of the training pool; 95% bootstrap CIs over articles; plain VADER beside. "
                    "Gold fields: item, article_id, source, title, prev, sentence, about_ties, dyad, tone, protocol.")
    va.add_argument("--gold", default=None, metavar="GOLD.jsonl",
                    help="gold file (default: data/coded/coded_sentences.jsonl, the shipped hand-coded sentences); "
                         "a file of standoff labels (data/coded/standoff_mfa.jsonl) is rebuilt from --corpora")
    _add_pool_options(va, train_help="training pool (repeatable; default: the shipped hand-coded sentences)")
    va.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (default 1000)")
    va.add_argument("--refit", type=int, default=0, metavar="N",
                    help="also refit each outlet's tone decision N times on article-bootstrap resamples of its "
                         "training pool (C fixed) and report the held-out tone macro-F1's spread over the refits: "
                         "rows tone_macro_f1_refit, and with --out tables/validation_refits.csv, each refit's figure: "
                         "refit r draws the same training articles in every run with the same seed, so two versions "
                         "compare refit by refit (default 0: none; each refit costs one fit per outlet)")
    va.add_argument("--blind-outlets", action="store_true",
                    help="score the gold items under neutral outlet keys, without URLs or home countries: the "
                         "figures for an outlet the outlets file does not know (home country from titles and text)")
    va.add_argument("--out", default=None, metavar="DIR",
                    help="also write DIR/tables/validation_*.csv and the confusion-matrix figures to DIR/figures")
    _add_gazetteer_options(va)

    ad = sub.add_parser(
        "adaptation", help="what coding sentences of one's own outlet buys (the adaptation curve)",
        description="For each outlet of the labelled pool: its articles split into a test half and an "
                    "adaptation half; the model fitted on the other outlets (leave-one-outlet-out), then again "
                    "with N coded sentences of the adaptation half added; tone macro-F1 and protocol F1 on the "
                    "test half, plain VADER beside, 95% article-bootstrap CIs pooled over repeats.")
    _add_pool_options(ad, train_help="labelled pool (repeatable; default: the shipped hand-coded sentences)")
    ad.add_argument("--sizes", default=",".join(map(str, adaptation.DEFAULT_SIZES)), metavar="N,N,...",
                    help="own coded sentences added (default %(default)s; 0 is always included)")
    ad.add_argument("--repeats", type=int, default=3, metavar="R", help="random splits per outlet (default 3)")
    ad.add_argument("--own-weight", type=float, default=1.0, metavar="W",
                    help="weight of each of the outlet's own coded sentences in the fit (others weigh 1; default 1)")
    ad.add_argument("--outlet", action="append", default=None, metavar="SOURCE",
                    help="hold out only this outlet (repeatable; default every outlet of the pool)")
    ad.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                    help="bootstrap resamples per repeat (default 1000)")
    ad.add_argument("--out", default=None, metavar="DIR",
                    help="also write DIR/tables/adaptation_curve.csv and DIR/figures/adaptation_tone.*")
    _add_gazetteer_options(ad)
    ad.add_argument("--quiet", action="store_true", help="no progress output")

    tr = sub.add_parser(
        "train-tone", help="fit the sentence model (tone, protocol flag) on hand-coded sentences",
        description="Fit the two logistic regressions (tone; protocol flag; about-ties and the pair stay with the "
                    "rules) on hand-coded sentences (gold fields, with source naming the outlet) and write a model "
                    "file (JSON) for --tone-model.")
    tr.add_argument("--gold", action="append", required=True, metavar="CODED.jsonl", help="hand-coded sentences (repeatable)")
    tr.add_argument("--standoff", action="append", default=None, metavar="STANDOFF.jsonl",
                    help="standoff labels to rebuild from --corpora (repeatable; e.g. data/coded/standoff.jsonl "
                         "and data/coded/standoff_mfa.jsonl)")
    tr.add_argument("--corpora", action="append", default=None, metavar="DIR",
                    help="folder of the corpora the standoff labels point into (repeatable)")
    tr.add_argument("--out", required=True, metavar="MODEL.json")
    tr.add_argument("--version", default="1.0.0", help="version written into the model file")

    kw = sub.add_parser(
        "kwic", help="concordance (keyword in context) of a phrase or lexicon category, as CSV",
        description="Every occurrence of PATTERN (a phrase in the lexicon's pattern syntax, e.g. "
                    "'strategic partnership' or 'congratulat*', or a protocol-lexicon entry id) or of a lexicon "
                    "--category in the cleaned sentences of a corpus: doc_id, sentence_id, left, keyword, right, "
                    "category, pattern, start, end (character offsets in the clean article text).")
    kw.add_argument("pattern", nargs="?", default=None, metavar="PATTERN")
    kw.add_argument("--category", default=None, help="a protocol-lexicon category (e.g. gratitude)")
    kw.add_argument("--corpus", action="append", required=True, metavar="PATH", help="as for run (repeatable)")
    kw.add_argument("--column-map", action="append", default=[], metavar="THEIRS=OURS")
    kw.add_argument("--window", type=int, default=5, metavar="N", help="tokens of context on each side (default 5)")
    kw.add_argument("--out", default=None, metavar="FILE.csv", help="write here (default: standard output)")
    kw.add_argument("--lexicon", default=None, metavar="PATH",
                    help="a protocol lexicon file (YAML) replacing the bundled one")
    kw.add_argument("--boilerplate", default=None, metavar="PATH",
                    help="a boilerplate-pattern file (YAML) replacing the bundled one used in cleaning")

    fi = sub.add_parser("figures", help="render every chart from a run's tables")
    fi.add_argument("--tables", required=True, metavar="DIR")
    fi.add_argument("--out", required=True, metavar="DIR")

    nb = sub.add_parser("notebooks", help="execute the notebooks in order")
    nb.add_argument("--corpus", action="append", default=None, metavar="PATH")
    nb.add_argument("--out", default=None, metavar="DIR")
    nb.add_argument("--gold", default=None, metavar="GOLD.jsonl",
                    help="hand-coded sentences for notebooks 02 and 05 (default: data/coded/coded_sentences.jsonl)")
    _add_parameter_options(nb, param=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            if args.workers is not None and args.workers < 1:
                raise AnalysisError(f"--workers must be at least 1, got {args.workers}")
            params = Params.from_mapping(_parameters(args))
            if args.engine == "local" and args.workers != 1:
                # loaded once here, inherited by the forked workers (each would load its own copy)
                readability.load_dictionaries()
            summary = pipeline.run(
                args.corpus,
                out=args.out,
                column_map=_column_map(args.column_map),
                figures=not args.no_figures,
                workers=args.workers,
                engine=args.engine,
                scheduler=args.scheduler,
                progress=cli_progress(quiet=args.quiet),
                params=params,
                format=args.format,
            )
            if not args.quiet:
                print(summary)
        elif args.command == "score-sentences":
            model = tone_model.load_model(args.tone_model) if args.tone_model else None
            n = sentiment.score_file(args.inp, args.out, model=model, home_country=args.home_country)
            print(f"scored {n} items -> {args.out}")
        elif args.command == "validate":
            train = _pool(args) if args.train else None  # None: validate's own default pool
            result = validate.validate(args.gold, train=train, corpora=args.corpora, n_boot=args.bootstrap,
                                       gazetteer=_gazetteer(args), n_refit=args.refit,
                                       blind_outlets=args.blind_outlets)
            print(validate.format_report(result))
            if args.out:
                pipeline.write_validation(result, args.out)
        elif args.command == "adaptation":
            pool = _pool(args)
            try:
                sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
            except ValueError:
                raise AnalysisError(f"--sizes expects comma-separated whole numbers, got {args.sizes!r}") from None
            curve = adaptation.adaptation_curve(
                pool, sizes=sizes, repeats=args.repeats, outlets=args.outlet, n_boot=args.bootstrap,
                own_weight=args.own_weight, gazetteer=_gazetteer(args),
                progress=None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True)))
            print(adaptation.format_curve(curve))
            if args.out:
                pipeline.write_adaptation(curve, args.out, params={"sizes": ",".join(map(str, sorted({0, *sizes}))),
                                                                   "repeats": args.repeats,
                                                                   "own_weight": args.own_weight,
                                                                   "bootstrap": args.bootstrap})
        elif args.command == "train-tone":
            path = training.train_file(args.gold, args.out, standoff=args.standoff, corpora=args.corpora,
                                       version=args.version)
            print(f"wrote {path}")
        elif args.command == "kwic":
            if args.pattern is None and args.category is None:
                raise AnalysisError("kwic needs a PATTERN or --category")
            if args.category is not None and args.category not in protocol.CATEGORIES:
                raise AnalysisError(f"unknown category {args.category!r} (one of {', '.join(protocol.CATEGORIES)})")
            prep = pipeline.prepare_corpus(args.corpus, column_map=_column_map(args.column_map),
                                           params={"boilerplate": args.boilerplate})
            table = protocol.kwic(prep.sentences, pattern=args.pattern, category=args.category, window=args.window,
                                  lexicon=args.lexicon)
            if args.out:
                table.to_csv(args.out, index=False, lineterminator="\n")
                print(f"{len(table)} lines -> {args.out}")
            else:
                table.to_csv(sys.stdout, index=False, lineterminator="\n")
        elif args.command == "figures":
            paths = pipeline.render_figures(args.tables, args.out)
            print(f"wrote {len(paths)} files to {args.out}")
        elif args.command == "notebooks":
            given = _parameters(args)
            Params.from_mapping(given)  # checked here: one line for a bad value
            # analysis.execute pulls in nbformat/nbclient/jsonschema (about a CPU-second of imports):
            # loaded only for this command, not at every start of the command line
            execute = importlib.import_module(f"{__package__}.execute")
            execute.execute_all(corpus=args.corpus, out=args.out, gold=args.gold, parameters=given)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of standard output went away (``kwic ... | head``): stop quietly, as Unix
        # tools do, with the shell's status for SIGPIPE; output already written is unaffected.
        # Standard output is pointed at /dev/null so that the interpreter's final flush of the
        # broken pipe does not print a second error at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return 0


if __name__ == "__main__":
    sys.exit(main())
