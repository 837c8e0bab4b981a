from django.conf import settings


def itpulse(request):
    return {
        "ORGANISATION": settings.ITPULSE_ORGANISATION,
        "EMAIL_CAPTURED": settings.EMAIL_CAPTURED,
    }
