"""Member museums: validation of museum data and the membership rule (ASEM partner countries)."""

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from catalogue import reference
from catalogue.errors import ValidationFailed
from catalogue.messages import N_
from catalogue.models import MUSEUM_CODE, MUSEUM_STATUSES, Museum
from catalogue.records.langmap import LanguageMap
from catalogue.records.schema import field_errors


class MuseumSchema(Schema):
    class Meta:
        unknown = RAISE

    code = fields.String(
        required=True,
        validate=validate.Regexp(MUSEUM_CODE, error=N_("Codes are 2-40 lower-case letters, digits and hyphens.")),
    )
    names = LanguageMap(required=True, max_length=300)
    country = fields.String(allow_none=True, load_default=None)
    city = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    website = fields.Url(allow_none=True, load_default=None, schemes={"http", "https"})
    logo = fields.Url(allow_none=True, load_default=None, schemes={"http", "https"})
    status = fields.String(load_default="applicant", validate=validate.OneOf(MUSEUM_STATUSES))

    @validates_schema
    def check_membership(self, data, **kwargs):
        if not data.get("names"):
            raise ValidationError("A museum needs a name.", "names")
        country = data.get("country")
        if country is not None and reference.country_code(country) is None:
            raise ValidationError(f"Unknown country {country!r}.", "country")
        code = reference.country_code(country) if country else None
        if data.get("status") in ("member", "applicant") and not reference.is_asem_partner(code):
            raise ValidationError(
                "Members and applicants must be in an ASEM partner country; register other museums as 'guest'.",
                "status",
            )


def load_museum(data) -> Museum:
    try:
        loaded = MuseumSchema().load(data)
    except ValidationError as error:
        raise ValidationFailed(N_("The museum is not valid."), field_errors(error)) from None
    country = reference.country_code(loaded["country"]) if loaded["country"] else None
    return Museum(
        code=loaded["code"],
        names=loaded["names"],
        country=country,
        status=loaded["status"],
        city=loaded["city"],
        website=loaded["website"],
        logo=loaded["logo"],
    )


def status_for_country(country: str | None) -> str:
    """The status a museum gets when it is registered from an import file."""
    return "member" if reference.is_asem_partner(country) else "guest"
