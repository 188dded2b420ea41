"""A real SMTP server for the tests (aiosmtpd on a free local port): the catalogue sends its mail
through SMTP as in production, and the tests read what arrived and follow the links in it."""

import email
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Mail:
    recipient: str
    subject: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def links(self) -> list[str]:
        return LINK.findall(self.body)

    def path_of_link(self) -> str:
        """The first link's path, to follow with the test client."""
        [link] = self.links[:1]
        return "/" + link.split("/", 3)[3]


class MailSink:
    def __init__(self):
        self.mails: list[Mail] = []
        self._arrived = threading.Condition()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        with self._arrived:
            for recipient in envelope.rcpt_tos:
                self.mails.append(Mail(recipient.lower(), str(message["Subject"]), text, dict(message.items())))
            self._arrived.notify_all()
        return "250 OK"

    def start(self) -> "MailSink":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def settings(self) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_SENDER": "secretariat@catalogue.test"}

    def to(self, recipient: str) -> list[Mail]:
        return [mail for mail in self.mails if mail.recipient == recipient.lower()]

    def wait_for(self, recipient: str, count: int = 1, timeout: float = 10.0) -> Mail:
        """The ``count``-th mail to ``recipient`` (the newest once it has arrived)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.to(recipient)) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"no mail #{count} to {recipient}; got {[m.recipient for m in self.mails]}"
                self._arrived.wait(left)
            return self.to(recipient)[count - 1]
