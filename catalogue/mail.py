"""Sending mail: through the SMTP server the settings name (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS,
MAIL_USERNAME, MAIL_PASSWORD, MAIL_SENDER), or, on a development machine with no server set,
into the log so that the invitation and reset links can still be followed."""

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mailer:
    server: str | None
    port: int = 25
    use_tls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str = "catalogue@localhost"
    reply_to: str | None = None  # the secretariat's address (ADMIN_EMAIL), when the sender is no inbox
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config) -> "Mailer":
        return cls(
            server=config.get("MAIL_SERVER") or None,
            port=int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            sender=config.get("MAIL_SENDER") or "catalogue@localhost",
            reply_to=config.get("ADMIN_EMAIL") or None,
        )

    def send(self, recipient: str, subject: str, body: str) -> None:
        """Deliver one message; raises OSError/SMTPException when the server does not take it."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = recipient
        message["Subject"] = subject
        if self.reply_to and parseaddr(self.reply_to)[1].lower() != parseaddr(self.sender)[1].lower():
            # a rejection invites a reply, a puzzled invitee writes back: it reaches the secretariat
            message["Reply-To"] = self.reply_to
        for name, value in self._identity().items():
            message[name] = value
        message.set_content(body)
        if not self.server:
            log.warning("no MAIL_SERVER set; mail to %s not sent:\n%s\n\n%s", recipient, subject, body)
            return
        with smtplib.SMTP(self.server, self.port, timeout=self.timeout) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)

    def _identity(self) -> dict[str, str]:
        """Date and Message-ID, which every message must carry (RFC 5322): a relay adds them only for
        its own local senders, and spam filters mark a mail without them, so an invitation or a reset
        link would land among the junk."""
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"
        return {"Date": formatdate(usegmt=True), "Message-ID": make_msgid(domain=domain)}
