from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import LearnerRegistrationForm
from accounts.models import User
from accounts.services import learner_confirm_email, learner_confirmation_token, learner_register
from core.errors import ApplicationError, ErrorKind


def _send_confirmation(request: HttpRequest, user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = request.build_absolute_uri(reverse("register-confirm", args=[uid, learner_confirmation_token(user)]))
    body = render_to_string("accounts/email/confirm.txt", {"user": user, "link": link})
    send_mail(
        _("Confirm your UNIMAS micro-credential account"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = LearnerRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = learner_register(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ApplicationError as exc:
            form.add_error(exc.field, exc.message)
            return render(request, "accounts/register.html", {"form": form}, status=exc.status)
        transaction.on_commit(lambda: _send_confirmation(request, user))
        return render(request, "accounts/register_sent.html", {"email": user.email})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


def register_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        raise ApplicationError(
            "confirmation_invalid", _("This confirmation link is invalid."), kind=ErrorKind.NOT_FOUND
        ) from None
    user = learner_confirm_email(user=user, token=token)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your email address is confirmed. Welcome!"))
    return redirect("home")
