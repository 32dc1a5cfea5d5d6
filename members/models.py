from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class UserManager(DjangoUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

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
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=models.Q(is_active=True, listed_in_directory=True),
                name="members_directory_order",
            ),
        ]
        permissions = [
            ("act_as_portfolio_manager", _("Can act as a CSSP portfolio manager")),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def language(self) -> str:
        """The language to write to this person in."""
        return self.preferred_language or settings.LANGUAGE_CODE
