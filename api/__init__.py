"""Every /api/v1/ route and its OpenAPI description, in one package (issue 15).

Not a Django app (no models; its template is templates/api/): itpulse/urls.py includes api.urls.
The views stay thin: they parse and answer HTTP and call the owning apps' services and selectors
(surveys' ticket closing, scoring's reads, integrations' webhook mapping).
"""
