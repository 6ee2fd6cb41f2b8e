"""Long-lived servers on one warm `api.Checker`: a language server (`phraselint lsp`, pygls) and
an MCP server (`phraselint mcp`, the official MCP SDK). Each needs its extra installed."""

from __future__ import annotations

import importlib
import importlib.util

from phraselint.errors import PhraselintError

#: The import each server needs, and the extra that installs it.
EXTRAS = {"lsp": "pygls", "mcp": "mcp"}
#: Each server's module, with its `serve(config, rules, select, ignore)`.
MODULES = {"lsp": "phraselint.servers.language_server", "mcp": "phraselint.servers.mcp_server"}


def serve(server: str, **options) -> None:
    """Run `server` ("lsp" or "mcp") on stdio until the client leaves."""
    require(server)
    importlib.import_module(MODULES[server]).serve(**options)


def require(extra: str) -> None:
    """A one-line error naming the install command when the server's extra is missing."""
    module = EXTRAS[extra]
    if importlib.util.find_spec(module) is None:
        raise PhraselintError(f"'phraselint {extra}' needs the {module} package: pip install 'phraselint[{extra}]'")
