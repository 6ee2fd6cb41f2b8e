"""phraselint: lint customer-service replies for words that make an upset customer angrier."""

__version__ = "0.1.0"
