"""Pinned JSON-LD context sources, the fetch script and the portal's own context."""
