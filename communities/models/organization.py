"""The organizations taking part in the program (departments, agencies, universities,
companies, non-profits), shared by communities, projects and people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organization(models.Model):
    """A department, agency, government, municipality, university, company, association or
    international partner that takes part in the program."""

    class Sector(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        PROVINCIAL_TERRITORIAL = "provincial_territorial", _("Provincial or territorial")
        MUNICIPAL = "municipal", _("Municipal")
        INDIGENOUS = "indigenous", _("Indigenous")
        ACADEMIC = "academic", _("Academic")
        INDUSTRY = "industry", _("Industry")
        NON_PROFIT = "non_profit", _("Non-profit")
        INTERNATIONAL = "international", _("International")

    class Jurisdiction(models.TextChoices):
        CANADA = "CA", _("Canada (federal or national)")
        AB = "AB", _("Alberta")
        BC = "BC", _("British Columbia")
        MB = "MB", _("Manitoba")
        NB = "NB", _("New Brunswick")
        NL = "NL", _("Newfoundland and Labrador")
        NS = "NS", _("Nova Scotia")
        NT = "NT", _("Northwest Territories")
        NU = "NU", _("Nunavut")
        ON = "ON", _("Ontario")
        PE = "PE", _("Prince Edward Island")
        QC = "QC", _("Quebec")
        SK = "SK", _("Saskatchewan")
        YT = "YT", _("Yukon")
        INTERNATIONAL = "INTL", _("International")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=4, choices=Jurisdiction.choices, default=Jurisdiction.CANADA
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
    )
    former_names = models.TextField(
        _("former names"), blank=True, help_text=_("One per line, e.g. names before a renaming.")
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.label(self.name, self.acronym)

    # What a list of organizations shows for one (NamedModelChoiceField reads the columns).
    LABEL_FIELDS = ("name", "acronym")

    @staticmethod
    def label(name: str, acronym: str) -> str:
        return f"{name} ({acronym})" if acronym else name
