from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {"PORTAL_NAME": "UNIMAS Micro-Credentials", "PRODUCTION": settings.PRODUCTION}
