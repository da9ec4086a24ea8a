"""State changes of analytics: the fact tables' refresh and management's decisions."""

from .decisions import region_decide
from .refresh import last_refresh, refresh

__all__ = ["last_refresh", "refresh", "region_decide"]
