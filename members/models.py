from __future__ import annotations

import functools
import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models.functions import Collate, Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cssp_portal.languages import Language

# A deleted account's address is replaced with one on this reserved, never-routable domain
# (RFC 2606 ".invalid"): the row stays (rosters keep their history) but no mail can reach it,
# and the domain itself marks the account as deleted (portal.accounts.account_delete).
DELETED_EMAIL_DOMAIN = "deleted.invalid"


class UserManager(DjangoUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def get(self, *args, **kwargs):
        """`User.objects.get(pk=<int>)`, which authentication runs on every signed-in request
        (ModelBackend.get_user), reads the row with SQL compiled once per database instead of
        building and compiling the same query each time (0.5 of its 0.7 ms, tests/bench).
        Anything else, and a database whose columns need converting, takes the usual path."""
        if not args and kwargs.keys() == {"pk"} and type(kwargs["pk"]) is int:
            statement = _row_by_pk(self.model, self.db)
            if statement is not None:
                sql, attnames = statement
                with connections[self.db].cursor() as cursor:
                    cursor.execute(sql, [kwargs["pk"]])
                    row = cursor.fetchone()
                if row is None:
                    raise self.model.DoesNotExist(
                        f"{self.model._meta.object_name} matching query does not exist."
                    )
                return self.model.from_db(self.db, attnames, row)
        return super().get(*args, **kwargs)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class ExpertiseArea(models.Model):
    """A field of expertise members tag themselves with (curated by admins)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise area")
        verbose_name_plural = _("expertise areas")

    def __str__(self):
        return self.name


class Vetting(models.TextChoices):
    """Who the program vouches for. A guest sees public content only until an administrator
    approves them or a lead invites them into a community; a vetted member is counted among
    the signed-in members (communities/access.py: Standing.vetted)."""

    GUEST = "guest", _("Guest")
    VETTED = "vetted", _("Vetted member")


class VettedThrough(models.TextChoices):
    DOMAIN = "domain", _("A confirmed address on a trusted domain")
    ADMINISTRATOR = "administrator", _("Approved by an administrator")
    INVITATION = "invitation", _("Invited into a community by a lead")


# Bounded: the migrations' historical models are new classes each time they are rendered.
@functools.lru_cache(maxsize=16)
def _row_by_pk(model, alias: str) -> tuple[str, list[str]] | None:
    """The SQL reading one `model` row by its key on the database `alias`, as the ORM writes
    it for `get(pk=...)`, and the attribute names of its columns in order; None when a column's
    value needs converting from what the driver returns (SQLite's dates, say): those rows are
    read through the ORM, which converts them."""
    queryset = model._default_manager.db_manager(alias).filter(pk=0)
    queryset.query.clear_ordering(force=True)
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if list(params) != [0]:
        return None
    columns = compiler.select[: compiler.col_count]
    if compiler.get_converters([column for column, _sql, _alias in columns]):
        return None
    return sql, [column.target.attname for column, _sql, _alias in columns]


class User(AbstractUser):
    """A person with an account: a CoP member, lead, portfolio manager or administrator.

    The profile lives on the user row: the member directory filters on it constantly and a
    separate table would only add a join to every listing.
    """

    class RoleType(models.TextChoices):
        # The kinds of expert the CSSP seed names as CoP members.
        RESPONDER = "responder", _("Responder")
        POLICY_MAKER = "policy_maker", _("Policy-maker")
        PLANNER = "planner", _("Planner")
        OPERATOR = "operator", _("Operator")
        SENIOR_DECISION_MAKER = "senior_decision_maker", _("Senior decision-maker")
        SCIENTIST = "scientist", _("Science and technology expert")

    class ContactVisibility(models.TextChoices):
        PRIVATE = "private", _("Only me (and administrators)")
        COMMUNITIES = "communities", _("Members of my communities")
        MEMBERS = "members", _("All signed-in members")

    username = None
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_("The language of the emails the portal sends you."),
    )
    organization = models.ForeignKey(
        "communities.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    role_type = models.CharField(
        _("role type"), max_length=32, choices=RoleType.choices, blank=True
    )
    expertise_areas = models.ManyToManyField(
        ExpertiseArea, verbose_name=_("expertise areas"), blank=True, related_name="people"
    )
    bio = models.TextField(_("public biography"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    contact_visibility = models.CharField(
        _("who may see my email address and telephone"),
        max_length=16,
        choices=ContactVisibility.choices,
        default=ContactVisibility.COMMUNITIES,
    )
    listed_in_directory = models.BooleanField(_("list me in the member directory"), default=True)
    # Accounts made by administrators, commands and data loads are vouched for by whoever made
    # them; self-registration (members.adapters.AccountAdapter) is what makes a guest, until a
    # confirmed address on a trusted domain, an administrator or an invitation vets them
    # (members.services).
    vetting = models.CharField(
        _("vetting"), max_length=8, choices=Vetting.choices, default=Vetting.VETTED
    )
    vetted_through = models.CharField(
        _("vetted through"), max_length=16, choices=VettedThrough.choices, blank=True
    )
    vetted_at = models.DateTimeField(_("vetted on"), null=True, blank=True)
    vetted_by = models.ForeignKey(
        "self",
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sponsor = models.ForeignKey(
        "self",
        verbose_name=_("sponsor"),
        help_text=_("The community lead whose invitation vetted this person."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique"),
        ]
        indexes = [
            # The member directory's order, over the people it lists: a page is read from the
            # index instead of sorting every member (see tests/bench results).
            # In the root ICU collation (cssp_portal/collation.py person_ordering), the order
            # people read: « Émond » among the E, « de Souza » among the D, in either language.
            models.Index(
                Collate("last_name", "und-x-icu"),
                Collate("first_name", "und-x-icu"),
                "id",
                condition=models.Q(is_active=True, listed_in_directory=True),
                name="members_directory_order_icu",
            ),
        ]
        permissions = [
            ("act_as_portfolio_manager", _("Can act as a CSSP portfolio manager")),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        # The one place a deleted account gets its name: every page, export and email that
        # names a person goes through here (or __str__), so rosters, posts and authors show
        # "Former member" without a test per template.
        if self.is_deleted:
            return gettext("Former member")
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_deleted(self) -> bool:
        """The person deleted their account (portal.accounts.account_delete): the profile is
        erased and the address replaced; the row remains for the history it is part of."""
        return (self.email or "").endswith("@" + DELETED_EMAIL_DOMAIN)

    @property
    def is_vetted(self) -> bool:
        """Vouched for by the program (administrators always are); read from the row, no
        query. Access rules ask communities.access.Standing.vetted, which reads this."""
        return self.vetting == Vetting.VETTED or self.is_superuser

    @property
    def is_guest(self) -> bool:
        return not self.is_vetted

    def vet(self, *, through: str, by: User | None = None, sponsor: User | None = None) -> list:
        """Mark the person vetted (members.services decide when: a trusted domain, an
        administrator's approval); returns the fields to save."""
        self.vetting = Vetting.VETTED
        self.vetted_through = through
        self.vetted_at = timezone.now()
        self.vetted_by = by
        self.sponsor = sponsor
        return ["vetting", "vetted_through", "vetted_at", "vetted_by", "sponsor", "updated_at"]

    def vet_by_invitation(self, *, sponsor: User | None) -> None:
        """A guest accepted a lead's invitation into a community (communities.services
        .invitation_accept, inside its transaction): the lead who invited them is their
        sponsor. A vetted member is left as they are."""
        if not self.is_vetted:
            self.save(update_fields=self.vet(through=VettedThrough.INVITATION, sponsor=sponsor))

    @property
    def language(self) -> str:
        """The language to write to this person in."""
        return self.preferred_language or settings.LANGUAGE_CODE


domain_validator = RegexValidator(
    r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$",
    message=_("Enter a domain name such as canada.ca or drdc-rddc.gc.ca, without @ or www."),
    flags=re.IGNORECASE,  # clean() writes it in lower case
)


class TrustedDomainQuerySet(models.QuerySet):
    def for_address(self, email: str) -> TrustedDomain | None:
        """The trusted domain an address belongs to (the most specific one: a department's
        own domain before a wider one that includes its sub-domains), or None. One query."""
        host = email.rpartition("@")[2].strip().lower().rstrip(".")
        if not host:
            return None
        labels = host.split(".")
        suffixes = [".".join(labels[i:]) for i in range(len(labels))]
        candidates = {
            d.domain: d for d in self.filter(domain__in=suffixes).select_related("organization")
        }
        for suffix in suffixes:  # longest first
            found = candidates.get(suffix)
            if found is not None and (suffix == host or found.include_subdomains):
                return found
        return None


class TrustedDomain(models.Model):
    """An email domain the program trusts, and the organization it stands for: a confirmed
    address on it makes a vetted member of that organization (members.services)."""

    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        validators=[domain_validator],
        help_text=_("For example drdc-rddc.gc.ca (lower case, without @)."),
    )
    organization = models.ForeignKey(
        "communities.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="trusted_domains",
    )
    include_subdomains = models.BooleanField(
        _("include sub-domains"),
        default=False,
        help_text=_(
            "Also trust addresses on any sub-domain (for example ottawa.example.ca under "
            "example.ca). A more specific trusted domain takes precedence."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TrustedDomainQuerySet.as_manager()

    class Meta:
        ordering = ["domain"]
        verbose_name = _("trusted email domain")
        verbose_name_plural = _("trusted email domains")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=Lower("domain")),
                name="members_trusteddomain_lower_case",
            ),
        ]

    def __str__(self):
        return f"{self.domain}{' (*)' if self.include_subdomains else ''}"

    def clean(self):
        self.domain = (self.domain or "").strip().lower().lstrip("@").rstrip(".")
        if self.domain.startswith("www."):
            raise ValidationError({"domain": _("Enter the mail domain, without www.")})
