"""The root of every error neurosym raises for bad input (lark has LarkError).

Each layer defines its own errors (ParseError, TypeCheckError, TaskError, StoreError,
...) as subclasses of `NeurosymError`, most also of the built-in class they refine
(ValueError, FileNotFoundError), so a caller catches one type: the command line turns
any `NeurosymError` into one line and exit code 2. A program that fails at run time is
not an error: it is a result with a status (see neurosym.lang.compiler.EvalResult).
"""

from __future__ import annotations


class NeurosymError(Exception):
    """Bad input to neurosym: a program, type, task, file, store, option or model."""


class ParseError(NeurosymError, ValueError):
    """Text that is not a program or a type; `str()` shows position, caret and expectation."""

    def __init__(self, message: str, line: int = 0, column: int = 0, context: str = "") -> None:
        self.line, self.column, self.context, self.reason = line, column, context, message
        where = f"line {line}, column {column}: " if line else ""
        super().__init__(f"{where}{message}" + (f"\n{context}" if context else ""))


class UsageError(NeurosymError, ValueError):
    """A bad command-line option or combination of options."""


class InvalidArgument(NeurosymError, ValueError):
    """A bad argument to a neurosym function: a budget, a size, an option out of range."""


class NotFound(NeurosymError, KeyError, ValueError):
    """A name that is not there: a routine, a production, a domain, a task, a method.

    A KeyError (it is a failed lookup) and a ValueError (it is a bad argument); its
    `str()` is the message itself, not KeyError's quoted repr of it."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
