"""Template tags of the curators' pages."""

from django import template

from literature.admin.dashboard import curation_dashboard

register = template.Library()


@register.inclusion_tag("admin/literature/dashboard.html", takes_context=True)
def dashboard(context):
    return {"dashboard": curation_dashboard(context["request"].user)}
