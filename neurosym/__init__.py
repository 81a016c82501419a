"""neurosym: learn programs, not only weights.

The public API in one place; each name lives in its own module (see DESIGN.md for the
one-way flow lang -> task -> library -> search -> neural -> curriculum).
"""

from neurosym.curriculum.run import Curriculum, CurriculumConfig
from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var
from neurosym.lang.base import base_dsl
from neurosym.lang.compiler import EvalResult, Status, compile_program
from neurosym.lang.dsl import DSL, Deduced, DSLError, Primitive, ValueType, load_dsl
from neurosym.lang.export import to_python_source
from neurosym.lang.inline import inline
from neurosym.lang.parser import ParseError, parse, parse_type
from neurosym.lang.primitives import Limits
from neurosym.lang.printer import format_expr
from neurosym.lang.program import Program, load_program
from neurosym.lang.typecheck import TypeCheckError, infer_type
from neurosym.lang.types import format_type
from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult
from neurosym.search.estimator import FitError, PredictionError, ProgramSynthesizer
from neurosym.search.solve import LocalDSLError, solve
from neurosym.task import Example, Task, TaskError, TaskScore
from neurosym.task_io import load_tasks, save_tasks
from neurosym.version import __version__


__all__ = [
    "App", "Budget", "Curriculum", "CurriculumConfig", "DSL", "DSLError", "Deduced", "EvalResult", "Example", "Expr",
    "FitError", "Lam", "Library", "Limits", "Lit", "LocalDSLError", "NeurosymError", "ParseError", "PredictionError",
    "Prim", "Primitive", "Program", "ProgramSynthesizer", "SearchResult", "Status", "Task", "TaskError", "TaskScore",
    "TypeCheckError", "ValueType", "Var", "__version__", "base_dsl", "compile_program", "format_expr", "format_type",
    "infer_type", "inline", "load_dsl", "load_program", "load_tasks", "parse", "parse_type", "save_tasks", "solve",
    "to_python_source",
]
