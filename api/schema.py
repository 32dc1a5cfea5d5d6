from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter


class PortalAutoSchema(AutoSchema):
    """Every operation takes ?lang=en|fr (Accept-Language otherwise)."""

    def get_override_parameters(self):
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "lang",
                str,
                OpenApiParameter.QUERY,
                enum=["en", "fr"],
                description="Language of names and descriptions (else Accept-Language).",
            ),
        ]


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A member's personal token (My API tokens, on the portal).",
        }
