"""How a message leaves the system: e-mail and group-chat webhooks.

The webhook speaks the group-robot format of WeCom (企业微信) or DingTalk (钉钉):
a JSON POST of a markdown message to the robot's URL (MDSS_WEBHOOK_URL).
"""

from __future__ import annotations

import json
import urllib.request

from django.conf import settings
from django.core.mail import send_mail


class DeliveryError(Exception):
    pass


def webhook_payload(subject: str, body: str, link: str, flavor: str) -> dict:
    text = f"**{subject}**\n\n{body}"
    if link:
        base = getattr(settings, "MDSS_SITE_URL", "").rstrip("/")
        text += f"\n\n[{link if not base else base + link}]({base + link if base else link})"
    if flavor == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": subject, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def send_webhook(url: str, payload: dict, timeout: float = 10.0) -> None:
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("the webhook URL must start with https:// or http://")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            body = response.read(4096)
            status = response.status
    except OSError as exc:
        raise DeliveryError(f"webhook: {exc}") from exc
    if status >= 300:
        raise DeliveryError(f"webhook answered HTTP {status}")
    # Both robots answer 200 with {"errcode": 0} on success and a non-zero code otherwise.
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        answer = {}
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise DeliveryError(f"webhook refused: {answer.get('errmsg', answer)}")


def send_email_message(to: str, subject: str, body: str, link: str) -> None:
    if not to:
        raise DeliveryError("the recipient has no e-mail address")
    text = body + (
        f"\n\n{getattr(settings, 'MDSS_SITE_URL', '').rstrip('/')}{link}" if link else ""
    )
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except Exception as exc:  # SMTP errors come in many classes
        raise DeliveryError(f"e-mail: {exc}") from exc
