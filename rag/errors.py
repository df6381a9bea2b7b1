"""One exception tree; its messages are Dutch and meant for users, translated once at each edge.

KisError
├── ConfigError   — a setting or manifest that cannot work
├── SourceError   — a corpus file or crawled page that cannot be read or parsed
├── StoreError    — the index, budget records or database cannot be used
└── InputError    — a question or request that is empty, too long or malformed
"""


class KisError(Exception):
    """Base of all errors the service reports to its users."""


class ConfigError(KisError):
    """A setting or manifest entry that cannot work."""


class SourceError(KisError):
    """A source document that cannot be read or parsed."""


class StoreError(KisError):
    """The index or a database that cannot be used."""


class InputError(KisError):
    """User input that cannot be answered as given."""
