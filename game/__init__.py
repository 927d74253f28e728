"""Hold the Line: a de-escalation training game for new customer-service hires."""

__version__ = "0.1.0"
