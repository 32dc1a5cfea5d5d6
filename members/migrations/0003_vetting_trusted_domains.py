# Vetting of accounts (guest / vetted member) and the trusted email domains (issue #16, F5).
# Existing accounts were made by administrators, commands or the data loader: they become
# vetted members (the field's default); only self-registration makes guests from now on.

import re

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0002_initial"),
        ("members", "0002_directory_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sponsor",
            field=models.ForeignKey(
                blank=True,
                help_text="The community lead whose invitation vetted this person.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="sponsored",
                to=settings.AUTH_USER_MODEL,
                verbose_name="sponsor",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="vetted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="vetted on"),
        ),
        migrations.AddField(
            model_name="user",
            name="vetted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="approved by",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="vetted_through",
            field=models.CharField(
                blank=True,
                choices=[
                    ("domain", "A confirmed address on a trusted domain"),
                    ("administrator", "Approved by an administrator"),
                    ("invitation", "Invited into a community by a lead"),
                ],
                max_length=16,
                verbose_name="vetted through",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="vetting",
            field=models.CharField(
                choices=[("guest", "Guest"), ("vetted", "Vetted member")],
                default="vetted",
                max_length=8,
                verbose_name="vetting",
            ),
        ),
        migrations.CreateModel(
            name="TrustedDomain",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "domain",
                    models.CharField(
                        help_text="For example drdc-rddc.gc.ca (lower case, without @).",
                        max_length=253,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\\.(?!-)[a-z0-9-]{1,63}(?<!-))+$",
                                flags=re.RegexFlag["IGNORECASE"],
                                message="Enter a domain name such as canada.ca or drdc-rddc.gc.ca, without @ or www.",
                            )
                        ],
                        verbose_name="domain",
                    ),
                ),
                (
                    "include_subdomains",
                    models.BooleanField(
                        default=False,
                        help_text="Also trust addresses on any sub-domain (for example ottawa.example.ca under example.ca). A more specific trusted domain takes precedence.",
                        verbose_name="include sub-domains",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="trusted_domains",
                        to="communities.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "trusted email domain",
                "verbose_name_plural": "trusted email domains",
                "ordering": ["domain"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("domain", django.db.models.functions.text.Lower("domain"))
                        ),
                        name="members_trusteddomain_lower_case",
                    )
                ],
            },
        ),
    ]
