"""Messages made in one place and translated where they are shown.

The service and the search request raise errors whose message is an `N_`-marked template with
``%(name)s`` placeholders, and its variables: a `Message`. A Message is a str holding its English
text, so logs, the command line, reports and API clients that ask for no language read English,
and code that handles messages as text keeps working. `catalogue.i18n.gettext` translates it from
its template into the visitor's language where it is shown: where an error becomes a response
(`catalogue.views.errors`) or a form's message. Nothing is translated where a message is made:
there may be no request (the command line), and so no visitor's language.

A variable that is a Message itself (a form field's label) is translated with it; any other
variable (a file name, an id, a number) is shown as it is. A list of Messages reads as one text,
its sentences joined by spaces.

This module imports nothing else of the catalogue's or Flask's: the service and the indexer use it.
"""

from collections.abc import Mapping


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; `gettext` translates it where it is shown."""
    return message


def fill(template: str, variables: Mapping) -> str:
    """A template with its variables filled in, as gettext fills them: only when there are variables
    (so a template without any may hold a bare %, as in "%00")."""
    return template % variables if variables else template


class Message(str):
    """An `N_`-marked template and its variables; as a str, the English text."""

    template: str
    variables: dict

    def __new__(cls, template: str, **variables):
        message = super().__new__(cls, fill(template, {name: joined(value) for name, value in variables.items()}))
        message.template = str(template)
        message.variables = variables
        return message

    def __reduce__(self):  # a Message crosses process boundaries (bulk upload workers) whole
        return _message, (self.template, self.variables)


def _message(template: str, variables: dict) -> Message:
    return Message(template, **variables)


def message_to_json(message: Message) -> dict:
    """A Message as JSON keeps it (an import report stores its lines), so that it can be shown in
    the language of whoever reads it later: its template and its variables, Messages among them."""
    variables = {name: _json(value) for name, value in message.variables.items()}
    return {"template": message.template, "variables": variables}


def _json(value):
    if isinstance(value, Message):
        return message_to_json(value)
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def message_from_json(data: dict) -> Message:
    """The Message `message_to_json` kept."""
    return Message(data["template"], **{name: _kept(value) for name, value in data["variables"].items()})


TRANSLATABLE_KEY = "translatable"  # beside a kept message's text: its template and values (`message_to_json`)


def translatable(message) -> dict:
    """What keeps ``message`` translatable beside its text, in an entry stored as JSON (a report
    line, a warning): its template and values, when it is a Message with values; nothing else needs
    it. The text stays for readers of English (the API, downloads) and older versions."""
    if isinstance(message, Message) and message.variables:
        return {TRANSLATABLE_KEY: message_to_json(message)}
    return {}


def kept_message(entry: dict, text_key: str) -> str:
    """The message `translatable` kept beside ``entry[text_key]``: the Message, to be translated
    where it is shown, else the text (a template without values, which translates as it is, or
    English)."""
    kept = entry.get(TRANSLATABLE_KEY)
    if isinstance(kept, dict):
        try:
            return message_from_json(kept)
        except (KeyError, TypeError, ValueError):  # kept by another version: its text
            pass
    return entry.get(text_key) or ""


def _kept(value):
    if isinstance(value, dict):
        return message_from_json(value)
    if isinstance(value, list):
        return [_kept(item) for item in value]
    return value


def joined(value, each=str):
    """A list or tuple of texts as one text (each passed through ``each``); any other value as it is."""
    if isinstance(value, (list, tuple)):
        return " ".join(each(item) for item in value)
    return value
