# Load the Celery app whenever Django starts, so that @shared_task binds to it
# and transaction.on_commit(... .delay) uses our broker settings.
from .celery import app as celery_app

__all__ = ("celery_app",)
