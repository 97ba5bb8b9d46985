"""Blocks of members-only pages: the public body blocks minus images and document links.

Members-only material carries no images (renditions are public files by Wagtail's design) and no
links to documents (drafts list their files with a sharing label instead). The block names and
structures match ``hub.blocks.BaseStreamBlock``, so a draft's body can become a public article's
body as it is.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from hub.blocks import HeadingBlock, HighlightsBlock, QuoteBlock

MEMBERS_RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "code"]


class MembersStreamBlock(blocks.StreamBlock):
    """Body blocks of members-only pages."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=MEMBERS_RICH_TEXT_FEATURES, label=_("Paragraph"), icon="pilcrow")
    quote = QuoteBlock()
    highlights = HighlightsBlock()


class ActionItemBlock(blocks.StructBlock):
    """Something a meeting decided someone will do."""

    action = blocks.CharBlock(label=_("Action"), max_length=300)
    owner = blocks.CharBlock(label=_("Who"), max_length=120, required=False)
    due = blocks.DateBlock(label=_("Due"), required=False)
    done = blocks.BooleanBlock(label=_("Done"), required=False)

    class Meta:
        icon = "tasks"
        label = _("Action item")


class ActionItemsBlock(blocks.StreamBlock):
    """A meeting's action items."""

    item = ActionItemBlock()
