from django.urls import path

from . import views

urlpatterns = [
    path("me/tickets/", views.my_tickets, name="my-tickets"),
    path("me/tickets/<int:pk>/rate/", views.rate_ticket, name="rate-ticket"),
    # Under /followups/ since IT managers first found it there: the address stays.
    path("followups/customers/", views.customer_ratings, name="customer-ratings"),
]
