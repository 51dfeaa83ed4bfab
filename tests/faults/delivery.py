"""What was sent, counted twice: in SQL, and in the recording gateway's file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from dispatch.clock import utcnow
from dispatch.db import session_scope
from dispatch.followups.models import FollowUp
from dispatch.notifications.gateway import RecordingGateway
from dispatch.notifications.models import SmsMessage


@dataclass(frozen=True)
class Delivery:
    sms_rows: int
    sms_sent_rows: int
    followups: int  # due by now
    followups_sent: int
    recorded: int
    recorded_per_sms: dict[int, int]  # SMS id -> texts the gateway got for it

    @property
    def complete(self) -> bool:
        """Every SMS row sent and every follow-up due by now sent."""
        return (
            self.sms_rows > 0
            and self.sms_sent_rows == self.sms_rows
            and self.followups_sent == self.followups
        )

    @property
    def exactly_once(self) -> bool:
        """The gateway got each SMS exactly once and nothing else."""
        return self.recorded == self.sms_rows and set(self.recorded_per_sms.values()) == {1}


def delivery(gateway: RecordingGateway) -> Delivery:
    """Count SMS and follow-ups in the database and the texts the gateway received."""
    with session_scope() as session:
        rows = session.execute(select(SmsMessage.id, SmsMessage.client_ref)).all()
        sent = session.scalar(
            select(func.count()).select_from(SmsMessage).where(SmsMessage.status == "sent")
        )
        followups = session.scalar(  # those due by now; one due tomorrow is not expected yet
            select(func.count()).select_from(FollowUp).where(FollowUp.due_at <= utcnow())
        )
        followups_sent = session.scalar(
            select(func.count()).select_from(FollowUp).where(FollowUp.sent_at.is_not(None))
        )
    refs = {ref: sms_id for sms_id, ref in rows if ref}
    texts = gateway.sent
    per_sms = Counter(refs.get(text.client_ref) for text in texts)
    return Delivery(len(rows), sent, followups, followups_sent, len(texts), dict(per_sms))


def attempts_in_flight(gateway: RecordingGateway) -> tuple[set[int], set[int]]:
    """Return SMS ids 'sending' that the gateway (has not, has) received."""
    with session_scope() as session:
        sending = dict(
            session.execute(
                select(SmsMessage.client_ref, SmsMessage.id).where(SmsMessage.status == "sending")
            ).all()
        )
    received = {text.client_ref for text in gateway.sent}
    return (
        {sms_id for ref, sms_id in sending.items() if ref not in received},
        {sms_id for ref, sms_id in sending.items() if ref in received},
    )
