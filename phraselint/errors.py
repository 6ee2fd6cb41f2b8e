"""The one error type the CLI turns into a one-line message and exit code 2."""


class PhraselintError(Exception):
    """A usage, config, rule-file or input error, reported as `location: message`."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class NotAReplyLibrary(PhraselintError):
    """A structured file (JSON, YAML, CSV) whose structure is not a reply library."""


def did_you_mean(word: str, choices) -> str:
    """A ' (did you mean X?)' hint for near-misses, or ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
