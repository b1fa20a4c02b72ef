"""The one exception a user's mistake raises: the command line prints its message as one line."""


class DutygraphError(Exception):
    """Bad input: a malformed document or metadata file, an unknown code, an unreachable endpoint."""
