"""Command line: parse arguments, apply the config file, run one command, and turn every `SecassessError`
into a message and exit code.

This is the single catch point: no traceback reaches the user unless `-v` asks for it. Importing this
package loads no heavy library (a test checks it): each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING

from secassess import __version__
from secassess.cli import (
    assess_cmd,
    checks_cmd,
    diff_cmd,
    graph_cmd,
    lint_cmd,
    report_cmd,
    scan_cmd,
    schema_cmd,
)
from secassess.cli.common import Command
from secassess.textsafe import printable

if TYPE_CHECKING:
    from secassess.errors import SecassessError

COMMANDS: tuple[Command, ...] = (lint_cmd.COMMAND, assess_cmd.COMMAND, checks_cmd.COMMAND, scan_cmd.COMMAND,
                                 report_cmd.COMMAND, diff_cmd.COMMAND, graph_cmd.GRAPH, graph_cmd.BLAST,
                                 schema_cmd.COMMAND)

EXIT_CODES_HELP = """exit codes:
  0  clean
  1  findings at or above --fail-on
  2  invalid input or usage
  3  the environment failed (a missing program, a failed scan, an unwritable output)

settings: options may also come from [tool.secassess] in pyproject.toml or from .secassess.yaml, found
from the current directory upward (see README, "Config file"); the command line wins.
"""


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used to document the CLI)."""
    parser = argparse.ArgumentParser(
        prog="secassess",
        description="Information-security posture assessment of a province's agencies "
                    "(4-layer model, security levels 1-5).",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"secassess {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="show tracebacks of internal errors")
    add_config_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help,
                                    epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                         help="show tracebacks of internal errors")
        add_config_options(sub, default=argparse.SUPPRESS)
        command.configure(sub)
        sub.set_defaults(run=command.run)
    return parser


def add_config_options(parser: argparse.ArgumentParser, default: object = None) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--config", metavar="FILE", default=default,
                       help="read settings from FILE (a .secassess.yaml or a pyproject.toml) instead of "
                            "looking for one")
    group.add_argument("--no-config", action="store_true", default=argparse.SUPPRESS if default else False,
                       help="ignore config files")


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each command's own parser, by name."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def configure_from_file(parser: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str]) -> None:
    """Fill the options the command line left out from the config file, if there is one."""
    if getattr(args, "no_config", False):
        return
    from secassess.config import find_config, load_config

    path = getattr(args, "config", None) or find_config()
    if path is None:
        return
    from secassess.cli.settings import apply_config, explicit_dests

    commands = subcommands(parser)
    config = load_config(path, frozenset(commands))
    apply_config(config, commands, args.command, args, explicit_dests(build_parser(), argv))


def _shown(exc: SecassessError) -> str:
    """The message, one line per problem: text quoted from the inputs cannot add lines or escape sequences."""
    from secassess.errors import InputError

    if isinstance(exc, InputError):
        return "\n".join(printable(f"{pos}: {msg}" if pos else msg) for pos, msg in exc.problems)
    return printable(exc.message, keep="\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `secassess` console script; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(arguments)  # --help and --version end here, before anything heavier loads
    verbose = bool(getattr(args, "verbose", False))
    from secassess.errors import SecassessError
    from secassess.heap import long_lived

    try:
        configure_from_file(parser, args, arguments)
        with long_lived():  # what a command loads lives to its end: the collector is kept off it (secassess.heap)
            code: int = args.run(args)
        return code
    except SecassessError as exc:
        if verbose:
            traceback.print_exc()
        message = _shown(exc)
        print(f"secassess: {message}" if "\n" not in message else message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("secassess: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("secassess: out of memory; split the input or run on a larger machine", file=sys.stderr)
        return 3
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: a bug must not look like a crash dump
        if verbose:
            traceback.print_exc()
        print(f"secassess: internal error ({type(exc).__name__}: {printable(str(exc))}); this is a bug: please "
              "report it with the output of the same command run with -v", file=sys.stderr)
        return 3
