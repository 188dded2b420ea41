"""The membership application form's data: what a museum must tell the secretariat, validated
(the form is public, so everything in it is untrusted), and the museum code suggested from its name."""

import re

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from catalogue import reference
from catalogue.errors import ValidationFailed
from catalogue.messages import N_, Message
from catalogue.records.langmap import canonical_tag, is_valid_tag
from catalogue.records.schema import field_errors
from catalogue.text import clean_block, clean_line, fold

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATES = (PENDING, APPROVED, REJECTED)
MAX_NAME = 300  # as a museum's names (catalogue.museums.MuseumSchema)
MAX_DESCRIPTION = 5000
MAX_DECISION_NOTE = 2000
ICOM_CODE_OF_ETHICS = "https://icom.museum/en/resources/standards-guidelines/code-of-ethics/"


class _Required(validate.Length):
    """marshmallow's Length with a message the catalogues translate (Length's own is English text)."""

    def _format_error(self, value, message: str) -> str:
        return Message(N_("Required, at most %(max)s characters."), max=self.max)


def _text(max_length: int) -> validate.Length:
    return _Required(min=1, max=max_length)


def _check_language(tag: str) -> None:
    if not is_valid_tag(tag) or canonical_tag(tag) == "none":
        raise ValidationError(N_("A language code such as en, fr, ja or zh-Hant."))


def _check_english(rows: list) -> None:
    if not any(canonical_tag(row["language"]).split("-")[0] == "en" for row in rows):
        raise ValidationError(
            N_("Give the museum's name in English (language en), and in other languages if you like.")
        )


def _check_partner(country: str) -> None:
    if not reference.is_asem_partner(reference.country_code(country)):
        raise ValidationError(N_("Membership is open to museums in ASEM partner countries; choose one from the list."))


class NameSchema(Schema):
    """One row of the names table: the museum's name in one language."""

    language = fields.String(required=True, validate=_check_language)
    name = fields.String(required=True, validate=_text(MAX_NAME))


class ApplicationSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    names = fields.List(fields.Nested(NameSchema), required=True, validate=_check_english)
    country = fields.String(required=True, validate=_check_partner)
    city = fields.String(required=True, validate=_text(200))
    website = fields.Url(
        allow_none=True, load_default=None, schemes={"http", "https"}, validate=validate.Length(max=2000)
    )
    contact_name = fields.String(required=True, validate=_text(200))
    contact_email = fields.Email(required=True, validate=validate.Length(max=320))
    description = fields.String(required=True, validate=_text(MAX_DESCRIPTION))
    ethics_agreed = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error=N_("Membership requires agreeing to the ICOM Code of Ethics.")),
    )

    @pre_load
    def clean(self, data, **kwargs):
        """White space is tidied before the checks, so a name of blanks counts as missing; rows
        left empty (the form always offers spare ones) are dropped."""
        data = dict(data)
        rows = [row for row in data.get("names") or [] if isinstance(row, dict)]
        data["names"] = [
            {"language": clean_line(str(row.get("language") or "")), "name": clean_line(str(row.get("name") or ""))}
            for row in rows
            if str(row.get("language") or "").strip() or str(row.get("name") or "").strip()
        ]
        for key in ("country", "city", "website", "contact_name", "contact_email"):
            if isinstance(data.get(key), str):
                data[key] = clean_line(data[key])
        if isinstance(data.get("description"), str):
            data["description"] = clean_block(data["description"])
        if data.get("website") == "":
            data["website"] = None
        return data


def load_application(form: dict) -> dict:
    """The application's values as the store keeps them (names as a language map, the country as
    its ISO code, the email lower-cased), or ValidationFailed with a message per field."""
    try:
        loaded = ApplicationSchema().load(form)
    except ValidationError as error:
        raise ValidationFailed(N_("Some answers need another look."), field_errors(error)) from None
    names: dict[str, list[str]] = {}
    for row in loaded["names"]:
        bucket = names.setdefault(canonical_tag(row["language"]), [])
        if row["name"] not in bucket:
            bucket.append(row["name"])
    return {
        "names": names,
        "country": reference.country_code(loaded["country"]),
        "city": loaded["city"],
        "website": loaded["website"],
        "contact_name": loaded["contact_name"],
        "contact_email": loaded["contact_email"].lower(),
        "description": loaded["description"],
        "ethics_agreed": True,
    }


def partner_countries() -> list[tuple[str, str]]:
    """(code, English name) of every ASEM partner, by name: the form's country choices."""
    countries = reference.countries()
    partners = [(code, countries[code]["name"]) for code in reference.asem_partners() if code in countries]
    return sorted(partners, key=lambda pair: fold(pair[1]))


def code_from_name(name: str) -> str:
    """A museum code from its English name ("Musée Guimet" -> "musee-guimet"), as a suggestion the
    secretariat may change; empty when the name holds no Latin letters or digits."""
    words = re.findall(r"[a-z0-9]+", fold(name))
    code = ""
    for word in words:
        longer = f"{code}-{word}" if code else word
        if len(longer) > 40:
            break
        code = longer
    return code if len(code) >= 2 else ""
