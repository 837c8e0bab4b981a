from django.urls import path

from . import views

urlpatterns = [
    path("s/<str:token>/unsubscribe/", views.unsubscribe, name="survey-unsubscribe"),
    path("staff/delivery/", views.delivery, name="delivery"),
    path("staff/delivery/<int:pk>/resend/", views.resend, name="delivery-resend"),
]
