"""The demo's customer login 韩雪 (han.xue) gets a portal account for the hospital
whose service result is waiting for confirmation, so the portal shows devices,
requests, a result to confirm and the survey, and a complaint of the hospital with
our answer to rate (complaints.demo.portal_case). Granted by the service manager 王磊
through the service, so it is audited. Idempotent."""

from mdss.accounts.models import User
from mdss.customers.models import PortalAccount
from mdss.customers.portal import portal_account_grant


def seed(*, stdout=None):
    from mdss.service.models import ServiceRequest

    if PortalAccount.objects.exists():
        return []
    users = {u.username: u for u in User.objects.filter(username__in=["han.xue", "wang.lei"])}
    waiting = ServiceRequest.objects.filter(status="completed").order_by("pk").first()
    if len(users) < 2 or waiting is None:
        return []
    portal_account_grant(actor=users["wang.lei"], user=users["han.xue"], customer=waiting.customer)
    from mdss.complaints.demo import portal_case

    portal_case(users["han.xue"], waiting.customer)
    if stdout:
        stdout.write(f"portal: han.xue → {waiting.customer.name}")
    return []
