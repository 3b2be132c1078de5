"""Offerings, learners and enrolments (R-EN, R-AS-4, R-RS): built with the enrolment issue."""
