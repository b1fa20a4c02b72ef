"""The one exception a user's mistake raises: the command line prints its message as one line."""


class DutygraphError(Exception):
    """Bad input: a malformed document or metadata file, an unknown code, an unreachable endpoint."""


def os_error_line(exc: OSError) -> str:
    """A file the system would not read or write, as one line that names it and says what to check
    (an --out or --workspace under a file, a directory that cannot be written, a full disk)."""
    where = exc.filename or "a file"
    return (f"{where}: {(exc.strerror or str(exc)).lower()} (check that the directories on this path "
            "are directories and can be written, and that the disk has room)")
