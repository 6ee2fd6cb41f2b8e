"""phraselint: lint customer-service replies for words that make an upset customer angrier.

The public API (see `phraselint.api`): `Checker`, `CheckResult`, `FixResult`, `Edit`, `Finding`,
`ReplyScore` and `PhraselintError`. They are imported on first use, so that `phraselint --help`
stays fast.
"""

__version__ = "0.1.0"

__all__ = ["Checker", "CheckResult", "FixResult", "Edit", "Finding", "ReplyScore", "PhraselintError"]

_HOMES = {"Checker": "api", "CheckResult": "api", "FixResult": "api", "Edit": "api",
          "Finding": "model", "ReplyScore": "model", "PhraselintError": "errors"}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'phraselint' has no attribute '{name}'")
    import importlib

    return getattr(importlib.import_module(f"phraselint.{home}"), name)
