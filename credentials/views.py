"""Credential pages: public verification, the learner's wallet, CFLEX batches and actions, and
the machine-readable documents (credential JSON, status lists, DID document, our context)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import time
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import defaultfilters
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_ratelimit.exceptions import Ratelimited

from accounts.models import User
from core.errors import ApplicationError
from core.middleware import uncompressed
from credentials import badges, conf, hits, ld, limits, page, selectors, services
from credentials.badges import BadgeFacts
from credentials.forms import ReissueForm, StatusChangeForm, TranscriptForm, UploadForm
from credentials.models import CredentialStatus, VerificationHit
from credentials.policies import issuer_profile, linkedin_add_url
from credentials.qr import qr_data_uri
from credentials.services.verification import credential_by_verification_id

JSON_LD = "application/ld+json"
# What a verifier may ask /verify/<id>/ for instead of the page (VC Data Model 2.0 media types).
CREDENTIAL_TYPES = (JSON_LD, "application/vc", "application/vc+ld+json")
# Published documents are cached at most this long, so a revocation or a key rotation is seen
# everywhere within a minute (docs/decisions/0120).
PUBLISHED_MAX_AGE = 60


def _json(document: dict[str, Any], *, content_type: str = JSON_LD) -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers and wallets fetch these from anywhere
    return response


# --- Public verification ------------------------------------------------------------------------
def _count(request: HttpRequest, verification_id: str, channel: str) -> None:
    """Count the GET against its credential's limit, the global ceiling and the monthly count
    (credentials.hits, decision 0121); 429 when a limit is exceeded."""
    if hits.record(credential_key=verification_id, channel=channel, month=hits.this_month()):
        raise Ratelimited()


def _same_for_everyone(request: HttpRequest) -> bool:
    """Anonymous (no session), no message waiting, no query string: the page depends only on the
    credential and the language. Such a page carries no CSRF token (its language switch is a GET
    form, decision 0235), so it is kept and served as the same bytes to every such visitor."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.META.get("QUERY_STRING")
    )


def _day(value: date | datetime | None) -> str:
    """A day as the page prints it ("6 December 2026"), in the local time zone and the active
    language: what ``|date:"j F Y"`` prints, worked out before rendering so that the page can be
    filled into a kept skeleton (credentials.page)."""
    if value is None:
        return ""
    if isinstance(value, datetime) and settings.USE_TZ and timezone.is_aware(value):
        value = timezone.localtime(value)  # as the filter's template_localtime does
    return defaultfilters.date(value, "j F Y")


_lazy_verification_url = lazy(services.verification_url, str)


@functools.lru_cache(maxsize=1024)
def _issue_day(day: date, language: str) -> str:
    """``_day`` of an issue date, once per date and language (a batch shares its date)."""
    return _day(day)


@functools.lru_cache(maxsize=1024)
def _badge_image(base_url: str, code: str) -> str:
    """The course's badge image URL, once per course (and public address)."""
    return services.badge_url(code)


def _page(body: bytes) -> HttpResponse:
    return HttpResponse(body)


def _fresh_until(valid_from: Any, valid_until: Any) -> float | None:
    """When the verdict changes by itself (the signed document's ``validFrom`` and ``validUntil``):
    at validFrom if it is still ahead, else at validUntil."""
    now = timezone.now()
    for value in (valid_from, valid_until):
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return 0.0
            if moment.tzinfo is None:
                return 0.0
            if moment > now:
                return moment.timestamp()
    return None


@functools.lru_cache(maxsize=256)
def _preferred_type(accept: str) -> str | None:
    """What a client that sends this Accept header gets from /verify/<id>/: the page or the
    credential. Worked out once per header value (browsers send a handful), as parsing it costs
    more than the rest of a repeat view."""
    request = HttpRequest()
    if accept:
        request.META["HTTP_ACCEPT"] = accept
    return request.get_preferred_type(["text/html", *CREDENTIAL_TYPES])


@require_GET
@vary_on_headers("Accept", "Accept-Language", "Cookie")
def verify(request: HttpRequest, verification_id: str) -> HttpResponse:
    """The page an employer's phone opens from the QR code (R-CR-1, R-CR-4); a verifier that asks
    for JSON-LD (or application/vc) gets the signed credential itself.

    A repeat view is the page this process rendered last time, served without a query while its
    two status lists are unchanged as this process last read them (every
    ``VERIFY_STATUS_SECONDS``); after a list changed, the credential's status bits and status
    change time are read again (one query) and the page rendered again if they changed. A first
    view reads the credential's columns (not its signed document) with its successor and status
    bits (one prepared query) and fills the page into a kept skeleton (credentials.page). Neither
    writes (decisions 0121, 0235, 0255, 0265)."""
    vid = str(verification_id)
    wanted = _preferred_type(request.META.get("HTTP_ACCEPT", ""))
    if wanted in CREDENTIAL_TYPES:
        _count(request, vid, VerificationHit.Channel.JSON)
        return _document(vid, content_type=str(wanted))
    _count(request, vid, VerificationHit.Channel.PAGE)
    key = hits.page_key(vid, get_language()) if _same_for_everyone(request) else None
    kept = hits.PAGES.get(key) if key else None
    if kept is not None and (kept.fresh_until is None or time.time() < kept.fresh_until):
        if hits.LISTS.unchanged(kept.lists):
            return _page(kept.body)
        changed, bits, lists = selectors.page_state(kept.credential_id)
        if (changed, bits.get("revocation"), bits.get("suspension")) == kept.state:
            hits.PAGES.put(str(key), dataclasses.replace(kept, lists=lists))
            return _page(kept.body)
    if key is not None and page.fills():  # else its page would be rendered from the model anyway
        body = _first_view(request, vid, key)
        if body is not None:
            return _page(body)
    found = selectors.credential_page_read(vid)
    if found is None or found.credential.document is None:
        raise Http404
    credential = found.credential
    context = _page_context(
        vid,
        credential,
        services.credential_facts(credential),
        services.credential_verdict(credential, bits=found.bits),
        found.successor,
    )
    if key is None:
        return render(request, page.TEMPLATE, context)
    body = page.render(request, context, get_language())
    if body is None:
        body = render_to_string(page.TEMPLATE, {**context, "same_for_everyone": True}, request).encode()
    document = credential.document
    _keep(key, credential.pk, found, document.get("validFrom"), document.get("validUntil"), body)
    return _page(body)


def _keep(key: str, credential_id: int, read: Any, valid_from: Any, valid_until: Any, body: bytes) -> None:
    """Keep an anonymous page with what a repeat view checks it against: the status change time
    and bits, and the lists' versions, as ``read`` (a ``PageRead`` or ``PageRow``) found them, and
    when its verdict changes by itself (the document's dates)."""
    state = (read.changed, read.bits.get("revocation"), read.bits.get("suspension"))
    fresh = _fresh_until(valid_from, valid_until)
    hits.PAGES.put(key, hits.Page(credential_id, state, read.lists, fresh, body))


def _page_context(vid: str, credential: Any, facts: Any, result: Any, successor: Any) -> dict[str, Any]:
    """What the verification page shows: ``credential`` is the model, or on a first view its
    columns (``_first_view``); ``result`` what ``credential_verdict`` or ``stored_verdict`` found."""
    return {
        "credential": credential,
        "result": result,
        "facts": facts,
        "replaced_by": successor,
        # Worked out only when rendered: a page filled into a skeleton has its own id put in.
        "page_url": _lazy_verification_url(vid),
        "badge_image": _badge_image(conf.base_url(), credential.course_code),
        "status_changed_on": _day(credential.status_changed_at),
        "issued_on": _issue_day(facts.issued_on, get_language()),
    }


def _first_view(request: HttpRequest, vid: str, key: str) -> bytes | None:
    """The anonymous page of a credential this process has not kept, filled into its skeleton
    from one narrow read: the credential's columns, its facts, the database's columns of its
    document's issuer and dates, its successor and status bits; neither the signed document nor
    the model (docs/decisions/0265). The same verdict as ``credential_verdict``
    (``stored_verdict``), the same page as the template renders (the byte-for-byte tests). None
    when the page must be made from the model: a proof not yet checked (then verified in full),
    or a page that cannot be filled into a skeleton."""
    read = selectors.first_view_read(vid)
    if read is None or not read.has_document:
        raise Http404
    columns = read.columns
    if columns["signature_checked_at"] is None:
        return None
    credential = SimpleNamespace(**{name: columns[name] for name in selectors.FIRST_VIEW_SHOWN})
    result = services.stored_verdict(
        credential_id=columns["id"],
        signed_with=columns["signed_with"],
        signature_problem=columns["signature_problem"],
        issuer=columns["document_issuer"] or "",
        valid_from=columns["document_valid_from"],
        valid_until=columns["document_valid_until"],
        bits=read.bits,
    )
    facts = services.stored_facts(columns["facts"], status=columns["status"])
    body = page.render(request, _page_context(vid, credential, facts, result, read.successor), get_language())
    if body is None:
        return None
    _keep(key, columns["id"], read, columns["document_valid_from"], columns["document_valid_until"], body)
    return body


def _document(verification_id: str, *, content_type: str = JSON_LD, download: bool = False) -> HttpResponse:
    """The signed document as the database holds it; kept per process as UTF-8 bytes, as it never
    changes."""
    found = hits.DOCUMENTS.get(verification_id)
    if found is None:
        read = selectors.credential_document_json(verification_id)
        if read is None:
            raise Http404
        found = (read[0], read[1].encode())
        hits.DOCUMENTS.put(verification_id, found)
    serial, body = found
    response = HttpResponse(body, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers and wallets fetch these from anywhere
    if download:
        response["Content-Disposition"] = f'attachment; filename="{serial}.json"'
    return response


@require_GET
def verify_json(request: HttpRequest, verification_id: str) -> HttpResponse:
    """The signed Open Badges 3.0 credential, as signed (served as the database holds it)."""
    vid = str(verification_id)
    _count(request, vid, VerificationHit.Channel.JSON)
    return _document(vid, download=bool(request.GET.get("download")))


@require_http_methods(["GET", "POST"])
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Anyone uploads or pastes a credential; the portal checks it in full (signature, issuer,
    status, validity) and says why it fails."""
    if request.method == "POST" and limits.upload_limited(request):
        raise Ratelimited()
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.verification_count(VerificationHit.Channel.UPLOAD)
            if "pdf" in form.cleaned_data:
                try:
                    result = services.credential_verify_pdf(form.cleaned_data["pdf"])
                except services.PdfInputError as error:
                    form.add_error("file", error.message)
                    status = 400
            else:
                result = services.credential_verify_document(form.cleaned_data["document"])
        else:
            status = 400
    return render(request, "credentials/verify_lookup.html", {"form": form, "result": result}, status=status)


# --- Machine-readable documents -------------------------------------------------------------------
@require_GET
@cache_control(public=True, max_age=PUBLISHED_MAX_AGE)
def status_list(request: HttpRequest, purpose: str, number: int) -> HttpResponse:
    document = services.status_list_document(purpose=purpose, number=number)
    if document is None:
        raise Http404
    return _json(document)


@require_GET
@cache_control(public=True, max_age=PUBLISHED_MAX_AGE)
def did_document(request: HttpRequest) -> HttpResponse:
    """did:web resolution: the portal's current and retired public keys."""
    return _json(ld.did_document(), content_type="application/did+ld+json")


@require_GET
@cache_control(public=True, max_age=86400)
def own_context(request: HttpRequest) -> HttpResponse:
    return _json(ld.own_context())


@require_GET
def achievement(request: HttpRequest, code: str) -> HttpResponse:
    """An Achievement's id resolves to its catalogue page, when the course is still listed."""
    proposal_id = selectors.proposal_id_for_code(code)
    if proposal_id is None:
        raise Http404
    return redirect("course-page", pk=proposal_id)


# --- Badge images and the issuer's profile (issue 16) ------------------------------------------------
# Images change only when a course's title or level does: a day in caches, revalidated by ETag.
IMAGE_MAX_AGE = 86400


def _image(request: HttpRequest, data: bytes, content_type: str) -> HttpResponse:
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=content_type)
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"  # wallets and link previews fetch these from anywhere
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE)
    return response


def _badge(code: str) -> BadgeFacts:
    facts = selectors.badge_facts(code)
    if facts is None:
        raise Http404
    return facts


@require_GET
def badge_svg(request: HttpRequest, code: str) -> HttpResponse:
    """An achievement's badge image as SVG; 404 for a code the portal never issued or listed."""
    return _image(request, badges.badge_svg(_badge(code)).encode("utf-8"), "image/svg+xml")


@require_GET
def badge_png(request: HttpRequest, code: str) -> HttpResponse:
    """The same badge as a 600-pixel PNG (wallets, LinkedIn and link previews)."""
    return _image(request, badges.badge_png(_badge(code)), "image/png")


@require_GET
def issuer_image(request: HttpRequest) -> HttpResponse:
    """The issuer's image: the UNIMAS crest as a PNG."""
    return _image(request, badges.crest_png(), "image/png")


PROFILE_TYPES = (JSON_LD, "application/json")


def _issuer_profile() -> dict[str, Any]:
    return issuer_profile(
        did_document=ld.did_document(),
        name=conf.institution(),
        url=conf.base_url(),
        email=conf.issuer_email(),
        description=conf.issuer_description(),
        address=conf.issuer_address(),
        image=services.issuer_image(),
    )


@require_GET
@vary_on_headers("Accept", "Accept-Language")
def issuer(request: HttpRequest) -> HttpResponse:
    """The issuer every credential names: a page for people, and its OB 3.0 ``Profile`` as
    JSON-LD for a wallet or verifier that asks for application/ld+json or application/json."""
    profile = _issuer_profile()
    wanted = request.get_preferred_type(["text/html", *PROFILE_TYPES])
    if wanted in PROFILE_TYPES:
        response = _json(profile, content_type=str(wanted))
        patch_cache_control(response, public=True, max_age=PUBLISHED_MAX_AGE)
        return response
    return render(
        request,
        "credentials/issuer.html",
        {"profile": profile, "did_url": ld.did_document_url(), "address": conf.issuer_address()},
    )


# --- The learner's wallet ---------------------------------------------------------------------------
@login_required
@require_GET
def wallet(request: HttpRequest) -> HttpResponse:
    """ "My credentials": also an installable web app that works offline (issue 16: manifest,
    service worker at /credentials/sw.js, static/credentials/wallet/wallet.js)."""
    user = request.user
    assert isinstance(user, User)
    rows = []
    for credential in selectors.credentials_of(user):
        vid = str(credential.verification_id)
        url = services.verification_url(vid)
        rows.append(
            {
                "c": credential,
                "verify_url": url,
                "qr": qr_data_uri(url),
                # "Email the link" works without JavaScript (issue 17); copy and share are added by js/share.js.
                "mailto": "mailto:?"
                + urlencode(
                    {
                        "subject": _("My UNIMAS micro-credential: %(title)s") % {"title": credential.course_title},
                        "body": url,
                    },
                    quote_via=quote,
                ),
                "linkedin": linkedin_add_url(
                    name=f"{credential.course_code} {credential.course_title}",
                    organisation=conf.institution(),
                    organisation_id=conf.linkedin_organization_id(),
                    issued=timezone.localdate(credential.issued_at),  # the Malaysian date (Asia/Kuching)
                    certificate_url=url,
                    certificate_id=credential.serial,
                ),
            }
        )
    labels = {value: str(label) for value, label in CredentialStatus.choices}
    return render(
        request, "credentials/wallet.html", {"rows": rows, "status_labels": json.dumps(labels, ensure_ascii=False)}
    )


@require_GET
def wallet_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest of the offline wallet (installable "My credentials")."""
    home = reverse("credentials:wallet")
    manifest = {
        "name": _("UNIMAS micro-credentials"),
        "short_name": _("My credentials"),
        "description": _("Your certificates, statements and badges, also without a connection."),
        "lang": get_language() or "en",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#003d79",
        "icons": [
            {"src": static(f"credentials/wallet/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in (192, 512)
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
def wallet_worker(request: HttpRequest) -> HttpResponse:
    """The wallet's service worker, from the static file, served under /credentials/ so that its
    scope covers the page and the PDFs; never cached by the browser's HTTP cache, so an update is
    picked up on the next visit."""
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@functools.cache
def _worker_source() -> str:
    path = finders.find("credentials/wallet/sw.js")
    assert isinstance(path, str)
    return Path(path).read_text(encoding="utf-8")


@login_required
@require_POST
def add_to_wallet(request: HttpRequest, verification_id: str) -> HttpResponse:
    """ "Add to wallet" (issue 16): a one-time exchange for a phone wallet, as a deep link and a
    QR code. A POST, since each press opens a new exchange; the page is never cached."""
    user = request.user
    assert isinstance(user, User)
    try:
        offer = services.wallet_offer_create(actor=user, verification_id=str(verification_id))
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
        return redirect("credentials:wallet")
    credential = credential_by_verification_id(str(verification_id))
    response = render(
        request,
        "credentials/add_to_wallet.html",
        {
            "credential": credential,
            "offer": offer,
            "qr": qr_data_uri(offer.deep_link),
            "minutes": settings.WALLET_EXCHANGE_MINUTES,
        },
    )
    patch_cache_control(response, no_store=True, private=True)
    return uncompressed(response)  # it prints a live token (decision 0143)


@login_required
@require_GET
def download(request: HttpRequest, verification_id: str, kind: str) -> HttpResponse:
    """The certificate or MMS PDF, for its holder and CFLEX only; anyone else gets 404."""
    credential = credential_by_verification_id(verification_id)
    if credential is None or not request.user.has_perm("credentials.download", credential):
        raise Http404
    if kind not in ("certificate", "mms"):
        raise Http404
    pdf = services.credential_pdf(credential, kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{credential.serial}-{kind}.pdf"'
    return response


# --- CFLEX ------------------------------------------------------------------------------------------
def _cflex(request: HttpRequest, perm: str = "credentials.view_batches") -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm(perm):
        raise Http404
    return user


@login_required
@require_GET
def batches(request: HttpRequest) -> HttpResponse:
    _cflex(request)
    query = request.GET.get("q", "").strip()
    found = selectors.credential_search(query) if query else []
    return render(
        request,
        "credentials/batches.html",
        {"batches": selectors.batch_progress_list(), "query": query, "found": found},
    )


@login_required
@require_GET
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    _cflex(request)
    progress = selectors.batch_progress(pk)
    if progress is None:
        raise Http404
    template = "credentials/_batch_progress.html" if request.headers.get("HX-Request") else "credentials/batch.html"
    return render(request, template, {"p": progress, "failures": selectors.batch_failures(pk)})


@login_required
@require_POST
def batch_retry(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _cflex(request, "credentials.manage")
    try:
        count = services.issuance_retry_failed(actor=actor, batch_id=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("credentials:batch", pk=pk)
    messages.success(request, _("%(n)d failed credential(s) queued again.") % {"n": count})
    return redirect("credentials:batch", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, verification_id: str) -> HttpResponse:
    """CFLEX: revoke, suspend or reinstate with a reason; re-issue after a correction."""
    actor = _cflex(request, "credentials.manage")
    credential = credential_by_verification_id(verification_id)
    if credential is None:
        raise Http404
    status_form = StatusChangeForm(credential=credential, data=request.POST if "action" in request.POST else None)
    reissue_form = ReissueForm(prefix="reissue", data=request.POST if "reissue" in request.POST else None)
    status = 200
    if request.method == "POST":
        try:
            if "reissue" in request.POST and reissue_form.is_valid():
                new = services.credential_reissue(
                    actor=actor, credential_id=credential.pk, reason=reissue_form.cleaned_data["reason"]
                )
                messages.success(request, _("Re-issued as %(serial)s.") % {"serial": new.serial})
                return redirect("credentials:manage", verification_id=new.verification_id)
            if "action" in request.POST and status_form.is_valid():
                services.credential_status_change(
                    actor=actor,
                    credential_id=credential.pk,
                    action=status_form.cleaned_data["action"],
                    reason=status_form.cleaned_data["reason"],
                )
                messages.success(request, _("The credential's status is updated and published."))
                return redirect("credentials:manage", verification_id=credential.verification_id)
            status = 400
        except ApplicationError as exc:
            form = reissue_form if "reissue" in request.POST else status_form
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
    return render(
        request,
        "credentials/manage.html",
        {
            "credential": credential,
            "facts": services.credential_facts(credential),
            "status_form": status_form,
            "reissue_form": reissue_form,
            "history": selectors.credential_history(credential),
            "verify_url": reverse("credentials:verify", args=[credential.verification_id]),
        },
        status=status,
    )


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """429 with a plain message (django-ratelimit's default is a bare 403)."""
    if request.path.endswith(".json") or request.get_preferred_type(["text/html", *CREDENTIAL_TYPES]) != "text/html":
        return JsonResponse(
            {"code": "rate_limited", "message": _("Too many requests; try again in a minute.")}, status=429
        )
    return render(request, "credentials/rate_limited.html", status=429)


# --- Transcripts (1EdTech CLR 2.0, issue 16) ------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def transcripts(request: HttpRequest) -> HttpResponse:
    """The learner picks credentials for a signed transcript, and sees and withdraws theirs."""
    user = request.user
    assert isinstance(user, User)
    credentials = [c for c in selectors.credentials_of(user) if c.is_active]
    form = TranscriptForm(request.POST or None, credentials=credentials)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                transcript = services.transcript_create(
                    actor=user,
                    credential_ids=[int(pk) for pk in form.cleaned_data["credentials"]],
                    title=form.cleaned_data["title"],
                )
            except ApplicationError as exc:
                if exc.status == 404:
                    raise Http404 from None
                form.add_error("credentials" if exc.field == "credentials" else None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Your transcript is signed. Share its link with anyone."))
                return redirect("credentials:transcript", token=transcript.share_token)
        else:
            status = 400
    rows = [{"t": t, "url": services.transcript_url(t.share_token)} for t in selectors.transcripts_of(user)]
    return render(request, "credentials/transcripts.html", {"form": form, "rows": rows}, status=status)


@login_required
@require_POST
def transcript_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        services.transcript_withdraw(actor=user, transcript_id=pk)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        raise
    messages.success(request, _("The transcript's link no longer works."))
    return redirect("credentials:transcripts")


def _shared(token: str) -> Any:
    transcript = services.transcript_by_token(token)
    if transcript is None or transcript.document is None:
        raise Http404
    return transcript


@require_GET
def transcript(request: HttpRequest, token: str) -> HttpResponse:
    """The transcript's public page (its share link): every credential inside it checked now, in
    full, so it counts against the same per-address limit as an uploaded document."""
    shared = _shared(token)
    wanted = request.get_preferred_type(["text/html", *CREDENTIAL_TYPES])
    if wanted in CREDENTIAL_TYPES:
        return _json(shared.document, content_type=str(wanted))
    if limits.upload_limited(request):
        raise Ratelimited()
    result = services.credential_verify_document(shared.document)
    rows = [
        {"a": item.get("credentialSubject", {}).get("achievement", {}), "v": verdict, "doc": item}
        for item, verdict in zip(
            shared.document["credentialSubject"]["verifiableCredential"], result.embedded, strict=False
        )
    ]
    return render(
        request,
        "credentials/transcript.html",
        {"t": shared, "result": result, "rows": rows, "share_url": services.transcript_url(token)},
    )


@require_GET
def transcript_json(request: HttpRequest, token: str) -> HttpResponse:
    response = _json(_shared(token).document)
    if request.GET.get("download"):
        response["Content-Disposition"] = 'attachment; filename="transcript-clr.json"'
    return response


@require_GET
def transcript_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """Rendered on request (a transcript is opened far less often than a certificate), so it
    counts against the per-address limit of full checks."""
    shared = _shared(token)
    if limits.upload_limited(request):
        raise Ratelimited()
    response = HttpResponse(services.transcript_pdf(shared), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="transcript.pdf"'
    return response
