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


class UsageError(NeurosymError, ValueError):
    """A bad command-line option or combination of options."""
