"""gkcli: a checkable task registry for a county's government-openness work plan."""

__version__ = "0.1.0"
