"""URL patterns of registrations, handed to the foundation in ``apps.py`` (``hub.extensions``)."""

from django.urls import path

from . import admin_views, views
from .admin_views import organiser_required

# Below every event page: /{lang}/events/<slug>/register/ and its live status.
page_patterns = [
    path("register/", views.register, name="register"),
    path("register/status/", views.status, name="registration_status"),
]

# Language-prefixed, belonging to no page: the signed manage link works for any event.
public_patterns = [path("registrations/<str:token>/", views.manage, name="registration_manage")]

# Organisers' screens (see ``admin_views`` for why they sit outside the admin's URL wrapper).
admin_patterns = [
    path("admin/registrations/", organiser_required(admin_views.EventListView.as_view()), name="registrations_events"),
    path(
        "admin/registrations/<int:event_id>/",
        organiser_required(admin_views.ReportView.as_view()),
        name="registrations_report",
    ),
    path(
        "admin/registrations/<int:event_id>/export.csv",
        organiser_required(admin_views.export_csv),
        name="registrations_export",
    ),
    path(
        "admin/registrations/<int:event_id>/message/",
        organiser_required(admin_views.MessageView.as_view()),
        name="registrations_message",
    ),
    path(
        "admin/registrations/<int:event_id>/<int:pk>/<slug:action>/",
        organiser_required(admin_views.registration_action),
        name="registrations_action",
    ),
]
