"""The one StreamBlock every page body is built from. No raw-HTML block, by design."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "code"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; level 2 or 3 so the page keeps a single h1."""

    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "H2"), ("h3", "H3")], default="h2", label=_("Level"))

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    """A pull quote with an optional attribution."""

    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A short invitation with a button to a page or an address."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(required=False, label=_("Text"))
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("Or address"))

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"


class ListItemBlock(blocks.StructBlock):
    """One item of a highlighted list: a title and a sentence or two."""

    title = blocks.CharBlock(label=_("Title"), max_length=160)
    text = blocks.TextBlock(required=False, label=_("Text"))


class HighlightsBlock(blocks.StructBlock):
    """A titled list of highlighted items (goals, steps, services).

    The items are a StreamBlock of one block type rather than a ListBlock: wagtail-localize offers
    the text inside a ListBlock of StructBlocks to no translator, and the stored data is the same.
    """

    title = blocks.CharBlock(required=False, label=_("Title"), max_length=160)
    items = blocks.StreamBlock([("item", ListItemBlock(label=_("Item")))], label=_("Items"))

    class Meta:
        icon = "list-ul"
        template = "blocks/highlights_block.html"


class DocumentBlock(blocks.StructBlock):
    """A link to a document in the library, shown with its type and size."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(required=False, label=_("Link text"))

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    """Shared body blocks for every page type."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraph"), icon="pilcrow")
    image = ImageBlock(label=_("Image"))
    quote = QuoteBlock()
    highlights = HighlightsBlock()
    call_to_action = CallToActionBlock()
    document = DocumentBlock()
