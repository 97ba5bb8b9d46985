"""Working groups: a public summary page per group, and a members-only area below it.

Tree: the "Working groups" section (``WorkingGroupIndexPage``) lists the groups; each
``WorkingGroupPage`` is the public summary (charter, chairs, member organisations, how to join)
with one ``MembersAreaPage`` below it, restricted in every locale to the group's members and the
Board (``groups.privacy``); meetings and drafts live in the members' area. Each page belongs to
one ``WorkingGroup``: the Wagtail group whose users are the members, the chairs, the private
collection of draft documents and the time zone meetings are held in.
"""

from .pages import (
    DraftPage,
    MeetingPage,
    MembersAreaPage,
    MembersDocument,
    MembersOnlyPage,
    WorkingGroupChair,
    WorkingGroupIndexPage,
    WorkingGroupPage,
    is_members_only,
)
from .people import (
    WORKING_GROUP_PREFIX,
    CalendarFeed,
    JoinRequest,
    WorkingGroup,
    WorkingGroupQuerySet,
    time_zone_choices,
    validate_time_zone,
)

__all__ = [
    "WORKING_GROUP_PREFIX",
    "CalendarFeed",
    "DraftPage",
    "JoinRequest",
    "MeetingPage",
    "MembersAreaPage",
    "MembersDocument",
    "MembersOnlyPage",
    "WorkingGroup",
    "WorkingGroupChair",
    "WorkingGroupIndexPage",
    "WorkingGroupPage",
    "WorkingGroupQuerySet",
    "is_members_only",
    "time_zone_choices",
    "validate_time_zone",
]
