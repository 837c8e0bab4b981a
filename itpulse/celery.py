"""The Celery app. Settings live in itpulse/settings.py under the CELERY_ prefix."""

import os

from celery import Celery, signals

from surveys.logsafe import Redact

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpulse.settings")

app = Celery("itpulse")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# A worker replaces the root logger's handlers (LOGGING's console, with its Redact filter) by
# its own, and sets up a task logger of its own: both get the same safety net, so that a task
# failure's message (a database error quoting a key, say) logs no address or link token.
@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _redacted(logger, **kwargs) -> None:
    for handler in logger.handlers:
        if not any(isinstance(f, Redact) for f in handler.filters):
            handler.addFilter(Redact())
