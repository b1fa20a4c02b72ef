"""dutygraph: a knowledge graph of local-government agencies, their duties toward women and
children, and the laws those duties rest on — every fact traced to its source words."""

__version__ = "0.36.0"

from .api import Workspace  # noqa: E402

__all__ = ["Workspace", "__version__"]
