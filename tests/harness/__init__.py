"""An end-to-end stand-in for the GitHub Actions runner: runs Tollgate's composite actions and
workflow templates step by step on this machine (see runner.py for what it does and does not do).
Python 3 standard library only."""
from .expressions import ExpressionError
from .runner import Harness, HarnessError, JobResult, StepResult, StubFailure, WorkflowResult
from .stubs import default_stubs
from .yaml_lite import YamlError, load, load_file

__all__ = ["Harness", "HarnessError", "JobResult", "StepResult", "StubFailure", "WorkflowResult", "ExpressionError",
           "YamlError", "default_stubs", "load", "load_file"]
