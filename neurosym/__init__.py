"""neurosym: learn programs, not only weights.

The public API in one place; each name lives in its own module (see DESIGN.md for the
one-way flow lang -> task -> library -> search -> neural -> curriculum).
"""

from neurosym.curriculum.run import Curriculum, CurriculumConfig
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var
from neurosym.lang.compiler import EvalResult, Status, compile_program
from neurosym.lang.export import to_python_source
from neurosym.lang.inline import inline
from neurosym.lang.parser import ParseError, parse, parse_type
from neurosym.lang.primitives import Limits
from neurosym.lang.printer import format_expr
from neurosym.lang.program import Program, load_program
from neurosym.lang.typecheck import TypeCheckError, infer_type
from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult
from neurosym.search.estimator import FitError, PredictionError, ProgramSynthesizer
from neurosym.search.solve import solve
from neurosym.task import Example, Task, TaskError, TaskScore
from neurosym.task_io import load_tasks, save_tasks
from neurosym.version import __version__


__all__ = [
    "App", "Budget", "Curriculum", "CurriculumConfig", "EvalResult", "Library", "SearchResult", "solve", "Example", "Expr", "Lam", "Limits", "Lit", "ParseError", "Prim", "Program",
    "Status", "Task", "TaskError", "TaskScore", "TypeCheckError", "Var", "compile_program", "format_expr",
    "FitError", "PredictionError", "ProgramSynthesizer", "infer_type", "inline", "load_program", "load_tasks", "parse", "parse_type", "save_tasks", "to_python_source", "__version__",
]
