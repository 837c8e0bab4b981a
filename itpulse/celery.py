"""The Celery app. Settings live in itpulse/settings.py under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpulse.settings")

app = Celery("itpulse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
