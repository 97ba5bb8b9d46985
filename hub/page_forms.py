"""The admin form every page type's editor uses: errors shown where the editor is."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

# Fields the editor does not see on the first tab, by the tab that holds them.
PROMOTE_FIELDS = ("slug", "seo_title", "search_description", "social_image", "social_text")


class BasePageForm(WagtailAdminPageForm):
    """Repeats an error of a field on the Promote tab at the top of the form, naming the tab.

    An editor saving from the Content tab would otherwise see only a tab badge: "slug already in
    use" (an earlier attempt left a draft with the same title) looked like a failure with no reason.
    """

    def clean(self):
        cleaned_data = super().clean()
        for name in PROMOTE_FIELDS:
            if name in self.errors and name in self.fields:
                label = self.fields[name].label
                for message in self.errors[name]:
                    self.add_error(
                        None,
                        _("%(field)s (on the Promote tab): %(error)s") % {"field": label, "error": message},
                    )
        return cleaned_data
