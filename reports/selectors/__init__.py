"""Reads for the reports: aggregates computed in the database, one query per table."""
