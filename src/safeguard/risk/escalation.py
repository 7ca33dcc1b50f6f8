"""Escalation: an undecided alert past its deadline goes to the MASH's named manager.

The manager gets an inbox entry on the platform and, where an SMTP server is configured, an
e-mail. Both say only what the manager needs to act: the alert number, the child's platform
reference, the hub and the deadline missed. No name, date of birth, address, agency record or
evidence leaves the platform by e-mail (the manager signs in to read the alert).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from safeguard.domain.clock import utc


@dataclass(frozen=True)
class Escalation:
    """What one escalation tells the manager."""

    alert_id: int
    child_ref: str
    mash_code: str
    subject: str
    body: str


def compose(alert: Any) -> Escalation:
    """The message about one escalated alert (a ``risk_alerts`` row with ``child_ref``)."""
    ref = alert.child_ref or "(no reference yet)"
    deadline = utc(alert.deadline_at).strftime("%Y-%m-%d %H:%M UTC")
    subject = f"Alert {alert.id} undecided past its deadline ({alert.mash_code})"
    body = (
        f"Alert {alert.id} about child {ref} at {alert.mash_code} was not decided by its "
        f"deadline, {deadline}, and has been escalated to you as the hub's named manager.\n\n"
        f"Open it on the platform: /risk/alerts/{alert.id}\n\n"
        "This message carries no other detail about the child; sign in to read the alert."
    )
    return Escalation(alert.id, ref, alert.mash_code, subject, body)


class Mailer(Protocol):
    """Sends one e-mail; raises ``OSError`` or ``smtplib.SMTPException`` when it cannot."""

    def send(self, to: str, subject: str, body: str) -> None: ...


class SmtpMailer:
    """E-mail through an SMTP server with the standard library."""

    def __init__(self, host: str, port: int, sender: str, starttls: bool = False) -> None:
        self.host, self.port, self.sender, self.starttls = host, port, sender, starttls

    def send(self, to: str, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls()
            smtp.send_message(msg)


def deliver(mailer: Mailer | None, to: str | None, note: Escalation) -> str:
    """Send the e-mail if it can be sent; the status kept with the inbox entry."""
    if mailer is None:
        return "not configured"
    if not to:
        return "no address"
    try:
        mailer.send(to, note.subject, note.body)
    except (OSError, smtplib.SMTPException) as exc:
        return f"failed: {type(exc).__name__}"
    return "sent"
