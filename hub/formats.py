"""Dates, times, ranges and time zones in the visitor's language, the same on every page (Babel's CLDR data).

Django's own formats mix styles ("April 2" beside "Feb. 3" and "Sept. 16") and leave Latin commas in
Arabic; CLDR gives each language its own long date ("10 de marzo de 2025", "10 مارس 2025"), its
12- or 24-hour clock, its range patterns and its separators ("،" in Arabic). Time zones are shown as
a city a reader knows ("New York") with the offset from UTC, never as a raw IANA name.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale as BabelLocale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_interval, format_time, get_datetime_format, get_timezone_location

from django.utils import translation
from django.utils.translation import gettext as _


def babel_locale(language=None):
    """The Babel locale of ``language`` (default: the active language), English when unknown."""
    code = (language or translation.get_language() or "en").replace("-", "_")
    try:
        return BabelLocale.parse(code)
    except (UnknownLocaleError, ValueError):
        return BabelLocale.parse("en")


def long_date(value, language=None):
    """``March 10, 2025`` / ``10 de marzo de 2025`` / ``10 mars 2025`` / ``10 مارس 2025``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, "long", locale=babel_locale(language))


def short_time(value, language=None):
    """``9:30 AM`` / ``9:30`` / ``09:30`` / ``9:30 ص`` of an aware datetime in its own zone, or a time."""
    locale = babel_locale(language)
    if isinstance(value, datetime):
        value = value.timetz().replace(tzinfo=None)
    return format_time(value, "short", locale=locale)


def date_and_time(date_text, time_text, language=None):
    """A date and a time joined the language's way (``April 2, 2026, 9:30 AM``; ``…، 9:30 ص``)."""
    pattern = get_datetime_format("medium", locale=babel_locale(language))
    return pattern.replace("{1}", date_text).replace("{0}", time_text)


def _uses_12_hours(locale):
    return "h" in locale.time_formats["short"].pattern


def time_range(start, end, language=None):
    """``9:30 – 11:30 AM`` / ``9:30–11:30``: two times of one day as the language writes a range."""
    locale = babel_locale(language)
    skeleton = "hm" if _uses_12_hours(locale) else "Hm"
    return format_interval(
        start.timetz().replace(tzinfo=None), end.timetz().replace(tzinfo=None), skeleton, locale=locale
    )


def utc_offset(moment):
    """``UTC+01:00`` (with a real minus sign for negative offsets) for an aware datetime."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def zone_name(zone, language=None):
    """A zone as a reader knows it: its city in the language (``New York``, ``نيويورك``), or ``UTC``."""
    key = getattr(zone, "key", str(zone))
    if key in {"UTC", "Etc/UTC", "GMT"}:
        return "UTC"
    try:
        return get_timezone_location(ZoneInfo(key), locale=babel_locale(language), return_city=True)
    except (LookupError, ValueError):
        return key.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(moment, zone, language=None):
    """``New York time (UTC−04:00)``; ``UTC`` alone for UTC."""
    name = zone_name(zone, language)
    if name == "UTC":
        return "UTC"
    return _("%(city)s time (%(offset)s)") % {"city": name, "offset": utc_offset(moment)}


def event_when(start, end, zone, language=None):
    """The dates and times of an event in its own zone: ``{"text": ..., "zone": ...}``.

    One day: ``April 2, 2026, 9:30 – 11:30 AM``; several days: ``April 2, 2026, 9:30 AM – April 3,
    2026, 5:00 PM``. The zone label names the offset of the start (and of the end when it differs,
    across a daylight-saving change).
    """
    start = start.astimezone(zone)
    end = end.astimezone(zone)
    if start.date() == end.date():
        text = date_and_time(long_date(start, language), time_range(start, end, language), language)
    else:
        first = date_and_time(long_date(start, language), short_time(start, language), language)
        last = date_and_time(long_date(end, language), short_time(end, language), language)
        text = f"{first} – {last}"
    label = zone_label(start, zone, language)
    if utc_offset(end) != utc_offset(start) and label != "UTC":
        label = _("%(city)s time (%(offset)s)") % {
            "city": zone_name(zone, language),
            "offset": f"{utc_offset(start)} / {utc_offset(end)}",
        }
    return {"text": text, "zone": label}


def local_moment(moment, zone, language=None):
    """A single instant in ``zone``: ``April 2, 2026, 11:59 PM`` (for deadlines)."""
    moment = moment.astimezone(zone or UTC)
    return date_and_time(long_date(moment, language), short_time(moment, language), language)
