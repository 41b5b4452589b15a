"""Command line: `site-builder import | build | serve` (also `python -m site_builder`)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .config import CONFIG_NAME, Config, load_config
from .errors import Problem, SiteBuilderError


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Turn plain-text files of paper abstracts into a reading-list website.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=None,
        help=f"site config file (default: {CONFIG_NAME} in the current folder)",
    )
    common.add_argument("--seeds", metavar="DIR", help="folder of seed files (default: seeds/)")
    common.add_argument(
        "--content", metavar="DIR", help="folder of the Markdown pages (default: content/)"
    )
    common.add_argument("--out", metavar="DIR", help="output folder (default: _site/)")
    common.add_argument(
        "--base-url",
        metavar="PATH",
        help="where the site is served, e.g. /reading-list/ (default: /)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    importer = commands.add_parser(
        "import", parents=[common], help="read the seeds and write or update one page per paper"
    )
    importer.add_argument(
        "--prune",
        action="store_true",
        help="remove entries of seed files that are gone (pages you added fields to are kept)",
    )
    commands.add_parser("build", parents=[common], help="import, then render the site")
    check = commands.add_parser(
        "check",
        parents=[common],
        help="report duplicates, guessed titles, typos, gone seeds, broken links (writes nothing)",
    )
    check.add_argument(
        "--strict", action="store_true", help="exit with status 1 on any finding (for CI)"
    )
    serve = commands.add_parser(
        "serve", parents=[common], help="build, serve on 127.0.0.1 and rebuild on every change"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default: 127.0.0.1, this machine only)",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> Config:
    """Load the config file and apply the command-line options over it."""
    path = args.config if args.config else Path(CONFIG_NAME)
    if args.config and not args.config.exists():
        raise SiteBuilderError(Problem(str(args.config), "config file not found"))
    root = path.parent if args.config else Path(".")
    return load_config(
        path, root, seeds=args.seeds, content=args.content, output=args.out, base_url=args.base_url
    )


def print_problems(problems: list[Problem], kind: str) -> None:
    for problem in problems:
        print(f"{kind}: {problem}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = make_parser().parse_args(argv)
    # A build makes millions of small objects that live to its end, and few cycles:
    # collecting after every 700 allocations took 10% of a 10,000-paper build.
    gc.set_threshold(100_000, 20, 20)
    try:
        config = config_from_args(args)
        if args.command == "import":
            from .load import import_seeds

            report = import_seeds(config.seeds_dir, config.content_dir, config.root)
            print_problems(report.problems, "warning")
            print(
                f"Imported {report.entries} entries as {report.papers} papers: "
                f"{len(report.created)} new, {len(report.updated)} updated, "
                f"{report.unchanged} unchanged, in {config.content_dir}/papers"
            )
        elif args.command == "build":
            from .state import check_inputs, recorded_summary

            # Checked before the build's own modules (Jinja2, SciPy, Lunr) are imported:
            # a build with nothing to do takes a fraction of a second.
            inputs, recorded = check_inputs(config, True)
            if recorded is not None:
                result: Any = recorded_summary(recorded)
            else:
                from .build import build_site

                result = build_site(config, inputs=inputs)
            print_problems(result.warnings, "warning")
            if result.unchanged:
                print(f"Nothing changed since the last build; {config.output_dir} is up to date")
            print(
                f"Built {result.papers} papers and {result.authors} authors "
                f"({result.pages} pages) into {config.output_dir}"
            )
        elif args.command == "check":
            from .check import check_site, format_report

            found = check_site(config)
            print(format_report(found, args.strict))
            if found.page_errors or (args.strict and found.findings):
                return 1
        else:
            from .serve import serve

            serve(
                config, host=args.host, port=args.port, reload_config=lambda: config_from_args(args)
            )
    except SiteBuilderError as error:
        print_problems(error.problems, "error")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    return 0


def run() -> NoReturn:
    """The command-line entry point: `main`, then exit without tearing the heap down.

    Freeing a 10,000-paper build's millions of objects one by one at exit took longer
    than writing the cache; every file is closed by then, so the process just ends."""
    try:
        code = main()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)
