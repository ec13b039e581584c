"""The harness's errors (runner.py re-exports them)."""


class HarnessError(RuntimeError):
    pass


class NotTriggered(HarnessError):
    """The workflow does not run for this event (its `on:` filters say no): GitHub starts no run."""


class InvalidWorkflow(HarnessError):
    """A workflow or action file GitHub refuses (its parser's errors, with file, line and column):
    on GitHub the run fails at once with "Invalid workflow file" and no job starts."""

    def __init__(self, path, errors):
        self.errors = list(errors)
        super().__init__(f"{path}: GitHub refuses this file: " + "; ".join(self.errors))
