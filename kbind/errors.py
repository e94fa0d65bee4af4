"""Errors a user can cause, each with the exit code the CLI documents."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1  # audit ran; --fail-on threshold reached
EXIT_USAGE = 2  # bad flag, unknown profile or target
EXIT_INPUT = 3  # missing/unreadable header, tree, or C that does not parse
EXIT_ENVIRONMENT = 4  # libclang missing or unusable
EXIT_OUTPUT = 5  # cannot write the output file, or it exists without --force
EXIT_INTERNAL = 70  # a bug in kbind (sysexits' EX_SOFTWARE); KBIND_DEBUG=1 shows the traceback
EXIT_PIPE = 141  # stdout was closed by the reader (128 + SIGPIPE, as Unix tools end)


class KbindError(Exception):
    """A problem with the user's input or environment, reported in one line."""

    exit_code = EXIT_INPUT


class UsageError(KbindError):
    exit_code = EXIT_USAGE


class InputError(KbindError):
    exit_code = EXIT_INPUT


class ParseError(InputError):
    """C that clang rejects; carries clang's diagnostics."""

    def __init__(self, message: str, diagnostics: list[str]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class LibclangMissing(KbindError):
    exit_code = EXIT_ENVIRONMENT

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"libclang is not usable ({detail}); install it with `pip install libclang`"
        )


class OutputError(KbindError):
    exit_code = EXIT_OUTPUT
