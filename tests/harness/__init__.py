"""An end-to-end stand-in for the GitHub Actions runner: runs Tollgate's composite actions and
workflow templates step by step on this machine (see runner.py for what it does and does not do).
Python 3 standard library, plus GitHub's own workflow parser and expression evaluator in Node
(gh.mjs; tests/harness/package.json)."""
from .expressions import ExpressionError
from .runner import (Harness, HarnessError, InvalidWorkflow, JobResult, NotTriggered, StepResult, StubFailure,
                     WorkflowResult)
from .stubs import default_stubs
from .cache import ActionsCache
from .gh import YamlError, load, load_file

__all__ = ["Harness", "HarnessError", "InvalidWorkflow", "NotTriggered", "JobResult", "StepResult", "StubFailure",
           "WorkflowResult", "ActionsCache", "ExpressionError", "YamlError", "default_stubs", "load", "load_file"]
