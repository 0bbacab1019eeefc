"""Figures that come from releases and the press rather than BPS table downloads (extreme poverty)."""
