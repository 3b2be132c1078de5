"""The courses API under /api/v1/ (STYLE.md ``apis``): one view per action."""
