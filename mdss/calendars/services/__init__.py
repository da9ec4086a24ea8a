"""Every change to the work calendar, the policy and SLA clocks, one module each.

Callers import this package (``from mdss.calendars import services``); what other apps
may read about clocks is in ``calendars.hooks`` and ``calendars.selectors``."""

from .calendar import (  # noqa: F401
    calendar_day_clear,
    calendar_day_set,
    calendar_load_statutory,
    calendar_missing_alert,
    calendar_year_publish,
)
from .clocks import (  # noqa: F401
    clock_cancel,
    clock_cancel_for,
    clock_pause,
    clock_plan,
    clock_reassign_for,
    clock_resume,
    clock_start,
    clock_stop,
    clock_stop_for,
    clock_sweep,
)
from .policy import policy_change, policy_load_default  # noqa: F401
