"""Extraction of the 13-column matrix of RAT (Rencana Aksi Tahunan) PDF reports."""
