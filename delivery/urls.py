from django.urls import path

from . import views

urlpatterns = [
    path("staff/delivery/", views.delivery, name="delivery"),
    path("staff/delivery/<int:pk>/resend/", views.delivery_resend, name="delivery-resend"),
    path(
        "staff/invitations/<int:pk>/resend/", views.invitation_resend_view, name="invitation-resend"
    ),
]
