"""Analysis for scenario authors: exhaustive paths, Monte Carlo play, lint rules."""
