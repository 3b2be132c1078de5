"""Settings for bench/verify.py: the production settings (from the environment the bench sets)
with one bare view added beside the portal's own URLs, as the yardstick."""

from mcportal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
