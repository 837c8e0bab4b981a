"""`{% settings_nav %}`: the settings area's section navigation, for setup/base.html.

A template tag rather than view context, so that the settings pages of other apps (which never
import `setup`, the top layer) get the same navigation just by extending setup/base.html."""

from django import template

from ..sections import sections_for

register = template.Library()


@register.inclusion_tag("setup/_nav.html", takes_context=True)
def settings_nav(context) -> dict:
    request = context["request"]
    links = []
    for section in sections_for(request.user):
        url = section.url
        links.append({"title": section.title, "url": url, "active": request.path.startswith(url)})
    return {"links": links, "home_active": request.path == "/settings/"}
