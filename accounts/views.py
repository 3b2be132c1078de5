from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import default_key
from django_ratelimit.core import is_ratelimited

from accounts.forms import LearnerRegistrationForm, ResendConfirmationForm, SettingsForm
from accounts.models import User
from accounts.selectors import learner_pending_get
from accounts.services import (
    ConfirmOutcome,
    Registration,
    RegistrationOutcome,
    learner_confirm_email,
    learner_confirmation_token,
    learner_confirmation_user,
    learner_register,
    user_settings_update,
)
from accounts.two_factor import (
    two_factor_confirm,
    two_factor_device,
    two_factor_pending,
    two_factor_qr_data_uri,
    two_factor_secret,
)
from core.errors import ApplicationError
from core.middleware import uncompressed

# How often one address (the client's) and one email may ask for a confirmation link again.
RESEND_RATE_PER_CLIENT = "10/h"
RESEND_RATE_PER_EMAIL = "3/h"


def _send_confirmation(request: HttpRequest, user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = request.build_absolute_uri(reverse("register-confirm", args=[uid, learner_confirmation_token(user)]))
    body = render_to_string("accounts/email/confirm.txt", {"user": user, "link": link})
    send_mail(_("Confirm your UNIMAS micro-credential account"), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _send_account_exists(request: HttpRequest, user: User) -> None:
    """Someone registered with an address that already has an account: its owner hears of it
    (and how to get back in); the visitor was told only "check your email"."""
    body = render_to_string(
        "accounts/email/account_exists.txt",
        {
            "user": user,
            "login": request.build_absolute_uri(reverse("login")),
            "reset": request.build_absolute_uri(reverse("password_reset")),
        },
    )
    send_mail(_("Someone tried to register with your email address"), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _mail_after_registration(request: HttpRequest, registration: Registration) -> None:
    if registration.outcome == RegistrationOutcome.EXISTING:
        _send_account_exists(request, registration.user)
    else:
        _send_confirmation(request, registration.user)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = LearnerRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = learner_register(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                preferred_language=translation.get_language() or "en",
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return render(request, "accounts/register.html", {"form": form}, status=exc.status)
        transaction.on_commit(lambda: _mail_after_registration(request, registration))
        # The same answer whether the address was new, waiting for confirmation or taken.
        return render(request, "accounts/register_sent.html", {"email": form.cleaned_data["email"]})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def register_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button (so a mail scanner that opens links confirms nothing and gets no
    session); POST confirms. Only the first genuine confirmation logs in."""
    try:
        user = learner_confirmation_user(uidb64=uidb64, token=token)
    except ApplicationError as exc:
        return render(request, "accounts/register_confirm.html", {"error": exc, "state": "invalid"}, status=exc.status)
    if request.method == "POST":
        outcome = learner_confirm_email(user=user, token=token)
        if outcome == ConfirmOutcome.CONFIRMED:
            user.refresh_from_db()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your email address is confirmed. Welcome!"))
            return redirect("home")
        state = str(outcome)
    elif user.email_confirmed_at is None and user.last_login is None and not user.is_active:
        state = "pending"
    else:
        state = str(ConfirmOutcome.ALREADY_CONFIRMED if user.is_active else ConfirmOutcome.CLOSED)
    return render(request, "accounts/register_confirm.html", {"state": state})


@require_http_methods(["GET", "POST"])
def register_resend(request: HttpRequest) -> HttpResponse:
    """Ask for the confirmation link again. The answer is the same whether or not the address
    has an account waiting; it is limited per client address and per email."""
    form = ResendConfirmationForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        limited = is_ratelimited(
            request, group="accounts.resend.client", key="ip", rate=RESEND_RATE_PER_CLIENT, increment=True
        )
        limited = (
            is_ratelimited(
                request,
                group="accounts.resend.email",
                key=lambda _group, _request: email,
                rate=RESEND_RATE_PER_EMAIL,
                increment=True,
            )
            or limited
        )
        if limited:
            form.add_error(None, _("Too many requests for a new link. Wait an hour and try again."))
            return render(request, "accounts/register_resend.html", {"form": form}, status=429)
        user = learner_pending_get(email=email)
        if user is not None:
            pending = user
            transaction.on_commit(lambda: _send_confirmation(request, pending))
        return render(request, "accounts/register_resend.html", {"form": form, "sent": email})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/register_resend.html", {"form": form}, status=status)


def _send_two_factor_enabled(user: User) -> None:
    body = render_to_string("accounts/email/two_factor_enabled.txt", {"user": user})
    send_mail(_("Two-factor authentication is on for your account"), body, settings.DEFAULT_FROM_EMAIL, [user.email])


TWO_FACTOR_SESSION_KEY = "mc_two_factor_key"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app that the admin site asks a code of (ADMIN_REQUIRE_2FA)."""
    user = request.user
    assert isinstance(user, User)
    device = two_factor_device(user=user)
    if device is not None:
        return render(request, "accounts/two_factor.html", {"device": device})
    key = request.session.get(TWO_FACTOR_SESSION_KEY) or default_key()
    pending = two_factor_pending(user=user, key=key)
    request.session[TWO_FACTOR_SESSION_KEY] = key
    error = None
    if request.method == "POST":
        try:
            device = two_factor_confirm(user=user, key=key, token=request.POST.get("token", ""))
        except ApplicationError as exc:
            error = exc
        else:
            del request.session[TWO_FACTOR_SESSION_KEY]
            otp_login(request, device)
            transaction.on_commit(lambda: _send_two_factor_enabled(user))
            messages.success(request, _("Two-factor authentication is on. The administration now asks for a code."))
            return redirect("admin:index")
    # The page prints the authenticator key: never compressed (BREACH, decision 0143).
    return uncompressed(
        render(
            request,
            "accounts/two_factor.html",
            {"qr": two_factor_qr_data_uri(pending), "secret": two_factor_secret(pending), "error": error},
            status=error.status if error else 200,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_settings(request: HttpRequest) -> HttpResponse:
    """Every person's own settings: language (pages and mail) and email notifications."""
    user = request.user
    assert isinstance(user, User)
    initial = {"preferred_language": user.preferred_language, "notification_mode": user.notification_mode}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user_settings_update(user=user, **form.cleaned_data)
        translation.activate(user.preferred_language)
        messages.success(request, _("Your settings are saved."))
        response = redirect("my-settings")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax")
        return response
    return render(request, "accounts/settings.html", {"form": form}, status=400 if request.method == "POST" else 200)


@require_http_methods(["POST"])
def language_set(request: HttpRequest) -> HttpResponse:
    """The language picker in every page's header: for a logged-in person it also becomes their
    preferred language, which their mail follows too (then Django's own view sets the cookie)."""
    user = request.user
    language = request.POST.get("language", "")
    if isinstance(user, User) and language in dict(settings.LANGUAGES) and language != user.preferred_language:
        user_settings_update(user=user, preferred_language=language, notification_mode=user.notification_mode)
    return django_set_language(request)


@require_GET
def language_choose(request: HttpRequest) -> HttpResponse:
    """The language switch of a page served as the same bytes to every anonymous visitor (the
    public verification page, decision 0235): a GET form, so the page needs no per-visitor CSRF
    token. It only sets the language cookie, as Django's set_language does, and goes back to the
    page; it changes nothing stored (a logged-in person's preferred language, which outranks the
    cookie, is changed with the POST picker every other page shows)."""
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError("bad_language", _("Language: choose English or Bahasa Malaysia."), field="language")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
