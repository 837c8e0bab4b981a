from django.urls import path

from . import views

urlpatterns = [
    path("staff/webhooks/", views.webhook_list, name="webhook-list"),
    path("staff/webhooks/<int:pk>/", views.webhook_detail, name="webhook-detail"),
    path("staff/webhooks/<int:pk>/enable/", views.webhook_enable_view, name="webhook-enable"),
    path("staff/webhooks/<int:pk>/delete/", views.webhook_delete_view, name="webhook-delete"),
]
