"""The Celery application. Tasks live in each app's ``tasks.py``.

The broker comes from settings (``CELERY_BROKER_URL``): kombu's filesystem transport in
development, Redis in production. Scale-out is more workers, never a home-made queue.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mcportal.settings")

app = Celery("mcportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
