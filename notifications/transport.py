"""Handing an email to the mail server so that an outbox row and the server never disagree.

SMTP cannot be part of a database transaction, so some order has to be chosen. Sending first and
committing "sent" after leaves a window in which a killed worker has delivered the email but the
row still says pending: the next attempt sends it again. Here the message goes to the server up to,
but not including, the final "." of the DATA command; then the row is committed as sent; then the
"." is written. A worker that dies before the commit leaves the server with an unfinished message,
which SMTP servers discard (RFC 5321, 4.1.1.4), and the row pending: it is sent once, later. The
only remaining window is between the commit and writing three bytes.

Backends other than SMTP (console in development, locmem in tests) have no such window to close:
they are sent after the commit, through Django's mail API.
"""

import contextlib
import re
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

# Lines starting with "." are doubled inside DATA (RFC 5321, 4.5.2).
_LEADING_DOT = re.compile(rb"(?m)^\.")


class PermanentDeliveryError(Exception):
    """The server refused the message for good (5xx): retrying would not help."""


def is_permanent(exc: Exception) -> bool:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(500 <= c < 600 for c in codes)
    return isinstance(exc, PermanentDeliveryError) or (code is not None and 500 <= code < 600)


class Transport:
    """Sends staged messages with Django's configured backend, after the commit."""

    def __init__(self, backend):
        self.backend = backend
        self._staged: EmailMessage | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def open(self) -> None:
        self.backend.open()

    def close(self) -> None:
        self._staged = None
        self.backend.close()

    def stage(self, message: EmailMessage) -> None:
        """Everything that can fail before the row is committed as sent."""
        self._staged = message

    def finish(self) -> None:
        """Complete delivery of the staged message (called after the commit)."""
        message, self._staged = self._staged, None
        self.backend.send_messages([message])

    def abort(self) -> None:
        """Drop the staged message without delivering it."""
        self._staged = None


class SMTPTransport(Transport):
    """Stages each message on an open SMTP connection, short of the end of its DATA."""

    backend: SMTPBackend

    def stage(self, message: EmailMessage) -> None:
        if self.backend.open():
            # The final "." goes out as a write of its own: without TCP_NODELAY the kernel holds
            # it until the body is acknowledged (Nagle + delayed ACK), about 40 ms per email.
            sock = self.backend.connection.sock
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = self.backend.connection
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in message.recipients()]
        data = message.message().as_bytes(linesep="\r\n")
        try:
            conn.ehlo_or_helo_if_needed()
            code, reply = conn.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            refused = {}
            for recipient in recipients:
                code, reply = conn.rcpt(recipient)
                if code not in (250, 251):
                    refused[recipient] = (code, reply)
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
            code, reply = conn.docmd("data")
            if code != 354:
                raise smtplib.SMTPDataError(code, reply)
            data = _LEADING_DOT.sub(b"..", data)
            if not data.endswith(b"\r\n"):
                data += b"\r\n"
            conn.send(data)
        except smtplib.SMTPServerDisconnected:
            self._drop()
            raise
        except smtplib.SMTPException:
            self._reset()
            raise
        except OSError:
            self._drop()
            raise

    def finish(self) -> None:
        conn = self.backend.connection
        try:
            conn.send(b".\r\n")
            code, reply = conn.getreply()
        except (smtplib.SMTPException, OSError):
            self._drop()
            raise
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

    def abort(self) -> None:
        # Mid-DATA the only way to cancel is to hang up without the final ".".
        self._drop()

    def _reset(self) -> None:
        try:
            self.backend.connection.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        conn = self.backend.connection
        self.backend.connection = None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()


def open_transport() -> Transport:
    backend = get_connection(fail_silently=False)
    if isinstance(backend, SMTPBackend):
        return SMTPTransport(backend)
    return Transport(backend)
