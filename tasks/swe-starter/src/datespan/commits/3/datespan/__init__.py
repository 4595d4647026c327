"""datespan: inclusive date ranges and calendar month arithmetic."""

from .months import add_months, days_in_month, month_end, month_start, months_between
from .ops import gaps, merge, subtract, total_days
from .span import ONE_DAY, DateSpan

__version__ = "0.5.0"

__all__ = [
    "DateSpan", "ONE_DAY", "add_months", "days_in_month", "gaps", "merge",
    "month_end", "month_start", "months_between", "subtract", "total_days",
]
