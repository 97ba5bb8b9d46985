"""The POST data of the admin's add and edit forms, as Wagtail's page editor sends it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield


def article_form(**overrides):
    """An article: a research report with one topic, no authors or downloads."""
    data = {
        "title": "Smart parking meters under test",
        "slug": "smart-parking-meters",
        "kind": "research",
        "date": "2026-01-15",
        "summary": "Parking meters accepted forged payment tokens.",
        "body-count": "0",
        "tags": "Parking",
        "authors-TOTAL_FORMS": "0",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "1000",
        "downloads-TOTAL_FORMS": "0",
        "downloads-INITIAL_FORMS": "0",
        "downloads-MIN_NUM_FORMS": "0",
        "downloads-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def event_form(**overrides):
    """An in-person workshop in Madrid on 15 January 2031, 10:00 to 12:00 local time, published."""
    data = {
        "title": "Workshop",
        "slug": "workshop",
        "timezone": "Europe/Madrid",
        "start_local": "2031-01-15 10:00",
        "end_local": "2031-01-15 12:00",
        "status": "scheduled",
        "event_format": "in-person",
        "venue_name": "City Hall",
        "address": "",
        "city": "Madrid",
        "country": "Spain",
        "online_url": "",
        "registration_url": "",
        "registration_deadline_local": "",
        "summary": "",
        "body": streamfield([]),
        "agenda": streamfield([]),
        "speakers": inline_formset([]),
        "organisers": inline_formset([]),
        "registration_settings": inline_formset([]),  # the Registration tab (registrations app)
        "comments": inline_formset([]),
        "tags": "",
        "seo_title": "",
        "search_description": "",
        "social_text": "",
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)
