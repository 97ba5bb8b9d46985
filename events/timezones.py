"""Time zone helpers: validate IANA names, and turn a local wall-clock time into an exact instant."""

from datetime import UTC
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def validate_timezone(value):
    """Refuse anything that is not an IANA time zone name known to zoneinfo."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            gettext_lazy("“%(value)s” is not a known time zone."), code="invalid_timezone", params={"value": value}
        ) from error


def timezone_choices():
    """Every IANA zone zoneinfo knows, sorted. Computed at run time so migrations do not list them."""
    return [(name, name) for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


def local_to_utc(local, zone_name):
    """The UTC instant of the naive wall-clock time ``local`` in ``zone_name``.

    Raises ValidationError naming the problem when the time does not exist (clocks go forward)
    or happens twice (clocks go back) on a daylight-saving change day.
    """
    zone = ZoneInfo(zone_name)
    local = local.replace(tzinfo=None)
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    params = {"time": local.strftime("%H:%M"), "zone": zone_name, "date": date_format(local.date(), "DATE_FORMAT")}
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != local:
            raise ValidationError(
                _("%(time)s does not exist in %(zone)s on %(date)s: clocks go forward. Choose another time.") % params,
                code="nonexistent_time",
            )
        raise ValidationError(
            _("%(time)s happens twice in %(zone)s on %(date)s: clocks go back. Choose another time.") % params,
            code="ambiguous_time",
        )
    return first.astimezone(UTC)
