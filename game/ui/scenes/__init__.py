"""The game's screens, one module each; the app keeps them on a stack."""
