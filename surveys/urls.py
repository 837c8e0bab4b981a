from django.urls import path

from .moved import moved
from .views import scanners, staff, survey, tokens

urlpatterns = [
    path("s/<str:token>/", survey.survey, name="survey"),
    path("s/<str:token>/thanks/", survey.thanks, name="survey-thanks"),
    path("s/<str:token>/unsubscribe/", survey.unsubscribe, name="survey-unsubscribe"),
    path("s/<str:token>/resubscribe/", survey.resubscribe, name="survey-resubscribe"),
    path("survey-brand.css", survey.brand_css, name="survey-brand-css"),
    path("staff/tickets/", staff.ticket_list, name="ticket-list"),
    path("staff/tickets/close/", staff.ticket_close_view, name="ticket-close"),
    path("staff/scanners/", scanners.scanner_report, name="scanner-report"),
    path("staff/mail/", staff.sent_mail_list, name="sent-mail-list"),
    path("staff/mail/<int:pk>/", staff.sent_mail_detail, name="sent-mail-detail"),
    path("settings/tokens/", tokens.api_token_list, name="settings-token-list"),
    path(
        "settings/tokens/<int:pk>/revoke/",
        tokens.api_token_revoke_view,
        name="settings-token-revoke",
    ),
    # The staff pages of before (bookmarks, docs/api.md of earlier releases): moved for good.
    path("staff/api-tokens/", moved("settings-token-list"), name="api-token-list"),
    path(
        "staff/api-tokens/<int:pk>/revoke/",
        moved("settings-token-revoke", keep_method=True),
        name="api-token-revoke",
    ),
]
