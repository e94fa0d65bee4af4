"""What every kbind subcommand module shares: the exit-code epilog, the format
names, the hazard options and the version line. The subcommand modules import
this, and kbind.cli imports them: no module imports the CLI back."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kbind import errors
from kbind.errors import UsageError
from kbind.version import __version__

if TYPE_CHECKING:
    from kbind.report import Report

EPILOG = f"""\
exit codes:
  {errors.EXIT_OK}  success
  {errors.EXIT_FINDINGS}  findings at or above --fail-on were reported
  {errors.EXIT_USAGE}  usage error: bad flag, unknown profile or target
  {errors.EXIT_INPUT}  bad input: missing or unreadable header or tree, C that does not parse
  {errors.EXIT_ENVIRONMENT}  libclang is missing or unusable (pip install libclang)
  {errors.EXIT_OUTPUT}  cannot write the output file (missing folder, or exists without --force)
  {errors.EXIT_INTERNAL} internal error: a bug in kbind (KBIND_DEBUG=1 shows the traceback)
  {errors.EXIT_PIPE} stdout was closed by its reader (`kbind ... | head`)
`kbind diff` uses abidiff's bits instead: see `kbind diff --help`.
"""

SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}
FORMATS = ["text", "json", "markdown", "sarif"]


def add_hazard_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hazards", default=None, metavar="SET",
                        help="hazard rules to run: audit (the default of audit), all (the "
                             "default of review), none, or rule ids separated by commas")
    parser.add_argument("--layout", action="append", default=[], metavar="TYPE",
                        help="print the pahole-style layout (offsets, holes, padding) of "
                             "this struct or union; repeatable")


def hazard_ids(choice: str | None, default: str = "audit") -> list[str]:
    from kbind.checks.catalog import AUDIT_HAZARDS, CATALOG

    choice = choice or default
    if choice == "audit":
        return list(AUDIT_HAZARDS)
    if choice == "all":
        return [r.id for r in CATALOG]
    if choice == "none":
        return []
    ids = [c.strip() for c in choice.split(",") if c.strip()]
    # Only hazard rules are selectable; the always-on checks are not.
    unknown = [i for i in ids if i not in {r.id for r in CATALOG}]
    if unknown:
        raise UsageError(f"--hazards: unknown rule {', '.join(unknown)}; see the rule "
                         "table in README.md")
    return ids


def render_report(report: Report, fmt: str) -> str:
    """Markdown or SARIF of an audit report."""
    if fmt == "markdown":
        from kbind.render import markdown

        return markdown.render(report)
    from kbind.render import sarif

    return sarif.render(report.findings, __version__,
                        properties={"header": report.header, "profile": report.profile,
                                    "target": report.target}, tools=report.tools)




def version_text() -> str:
    """`kbind --version`: kbind, the bindgen it would model here and why, libclang."""
    from kbind.kernel.toolchain import detect_bindgen
    from kbind.predict.versions import MODELLED

    bindgen, where = detect_bindgen(None, MODELLED[-1])
    try:
        from kbind.clang._compat import libclang_version

        libclang = libclang_version()
    except Exception:  # noqa: BLE001 - --version must print even without libclang
        libclang = "not loadable"
    return (f"kbind {__version__}\nbindgen {bindgen} modelled by default (from {where}); "
            f"models {', '.join(MODELLED)}\nlibclang {libclang}")


def add_bindgen_version_option(parser: argparse.ArgumentParser, flag: str = "--bindgen-version",
                               side: str = "") -> None:
    """The one declaration of the bindgen-release option (diff adds an old and a new one)."""
    from kbind.predict.versions import MODELLED

    parser.add_argument(flag, metavar="V", dest=flag.lstrip("-").replace("-", "_"),
                        help=f"the bindgen to predict{side}: " + ", ".join(MODELLED) +
                             " or any release between (default: $BINDGEN or the bindgen on "
                             "PATH, else the tree's CONFIG_BINDGEN_VERSION_TEXT, else its "
                             "minimum, else the newest modelled)")




def clang_arguments(args: argparse.Namespace) -> list[str]:
    """`-I DIR` and `-D NAME[=V]` as clang arguments, then those after `--`
    (commands without passthrough arguments have none)."""
    return [f"-I{d}" for d in args.include] + [f"-D{d}" for d in args.define] + \
        list(getattr(args, "clang_args", ()))


def bindgen_parameters(args: argparse.Namespace) -> list[str]:
    """The options of `--bindgen-parameters FILE`, if given."""
    if not getattr(args, "bindgen_parameters", None):
        return []
    from kbind.kernel.bindgen_parameters import read_bindgen_parameters

    return list(read_bindgen_parameters(args.bindgen_parameters).argv)
