"""The game's screens, one module each; the app keeps them on a stack and opens them by route.
`background_check`, `supervisor` (the desk's shared parts) and `supervisor_attempt` are
used by the scenes only."""

__all__ = [
    "breather",
    "call",
    "debrief",
    "error",
    "history",
    "levels",
    "notes",
    "pause",
    "profile",
    "profile_manage",
    "settings",
    "sign_in",
    "supervisor_attempt",
    "supervisor_gate",
    "supervisor_notes",
    "supervisor_overview",
    "supervisor_trainee",
    "title",
]
