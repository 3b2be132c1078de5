"""Certificates, MMS statements and Open Badges 3.0 credentials (R-CR): built with the
credentials issue."""
