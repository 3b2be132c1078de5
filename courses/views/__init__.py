"""The browser pages of the courses app."""
