from django.urls import path

from ..views import staff
from . import views

urlpatterns = [
    path("staff/delivery/", views.delivery, name="delivery"),
    # The same resend as on the ticket list, coming back to this page afterwards.
    path(
        "staff/delivery/<int:pk>/resend/",
        staff.invitation_resend_view,
        {"back": "delivery"},
        name="delivery-resend",
    ),
]
