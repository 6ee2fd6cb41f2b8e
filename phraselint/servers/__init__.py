"""Long-lived servers on one warm `api.Checker`: a language server (`phraselint lsp`, pygls) and
an MCP server (`phraselint mcp`, the official MCP SDK). Each needs its extra installed."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from phraselint.errors import PhraselintError
from phraselint.servers import forked

#: The import each server needs, and the extra that installs it.
EXTRAS = {"lsp": "pygls", "mcp": "mcp"}
#: Each server's module, with its `serve(config, rules, select, ignore)`.
MODULES = {"lsp": "phraselint.servers.language_server", "mcp": "phraselint.servers.mcp_server"}


def serve(server: str, **options) -> None:
    """Run `server` ("lsp" or "mcp") on stdio until the client leaves. The MCP server's Checker
    is built in a child process forked before the SDK is imported (`forked`), where it can be."""
    require(server)
    if server == "mcp":
        log_to_stderr("mcp")
        options["process"] = forked.start(checker_recipe(**options, log=logging.getLogger("phraselint.mcp")))
    importlib.import_module(MODULES[server]).serve(**options)


def checker_recipe(config: str | None = None, rules=(), select: list[str] | None = None, ignore=(),
                   log: logging.Logger | None = None, **_) -> Callable[[], Any]:
    """How a server builds its one Checker: `config`, else the config found upward from the
    current folder (as `phraselint check` finds it); the Checker's notes to `log`."""
    root = None if config else os.getcwd()
    log = log or logging.getLogger("phraselint")

    def build():
        from phraselint.api import Checker

        return Checker(config, root=root, select=select, ignore=list(ignore), rules=list(rules),
                       note=lambda message: log.info("%s", message))

    return build


def log_to_stderr(server: str) -> None:
    """Logs to stderr, one line each; set before an SDK's own logging set-up (which is then
    left alone). PHRASELINT_DEBUG=1 shows everything."""
    debug = bool(os.environ.get("PHRASELINT_DEBUG"))
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if debug else logging.WARNING,
                        format=f"phraselint {server}: %(levelname)s: %(message)s")
    logging.getLogger(f"phraselint.{server}").setLevel(logging.DEBUG if debug else logging.INFO)


def require(extra: str) -> None:
    """A one-line error naming the install command when the server's extra is missing."""
    module = EXTRAS[extra]
    if importlib.util.find_spec(module) is None:
        raise PhraselintError(f"'phraselint {extra}' needs the {module} package: pip install 'phraselint[{extra}]'")
