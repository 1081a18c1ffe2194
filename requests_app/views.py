"""The subject portal: request form, code verification, status page and package download."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from . import lifecycle, verification
from .downloads import LinkRefused, read_token
from .forms import TYPE_HELP, CodeForm, RequestForm
from .models import PrivacyRequest, RequestType, Status
from .status_text import describe


def _identity_key(group: str, request: HttpRequest) -> str:
    email = request.POST.get("email", "")[:254].strip().lower()
    phone = re.sub(r"\D", "", request.POST.get("phone", "")[:32])
    return f"{email}|{phone}"


def _subject_request(public_id: str) -> PrivacyRequest:
    if len(public_id) > 32:
        raise Http404
    return get_object_or_404(PrivacyRequest, public_id=public_id)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "portal/rate_limited.html", status=429)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_SUBMIT_PER_IP, method="POST", block=True)
@ratelimit(key=_identity_key, rate=lambda g, r: settings.RATELIMIT_SUBMIT_PER_IDENTITY, method="POST", block=True)
def request_form(request: HttpRequest) -> HttpResponse:
    from messaging.sending import identity_verification_required

    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        privacy_request = lifecycle.create(
            request_type=data["request_type"],
            email=data["email"],
            phone=data["phone"],
            code_channel=data["code_channel"],
            actor=lifecycle.Actor.subject(),
        )
        if not identity_verification_required():
            lifecycle.verify(
                privacy_request, actor=lifecycle.Actor.system(), message="Received (identity verification is off)"
            )
            return redirect("portal:status", privacy_request.public_id)
        try:
            verification.issue_code(privacy_request)
        except verification.VerificationUnavailable:
            return render(request, "portal/unavailable.html", {"privacy_request": privacy_request}, status=503)
        return redirect("portal:verify", privacy_request.public_id)
    return render(
        request, "portal/request_form.html", {"form": form, "type_help": TYPE_HELP}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_VERIFY_PER_IP, method="POST", block=True)
def verify(request: HttpRequest, public_id: str) -> HttpResponse:
    from messaging.sending import delivery_problem

    privacy_request = _subject_request(public_id)
    if privacy_request.status != Status.IDENTITY_UNVERIFIED:
        return redirect("portal:status", public_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = verification.check_code(privacy_request, form.cleaned_data["code"])
        if result.verified:
            messages.success(request, "Thank you: your identity is verified.")
            return redirect("portal:status", public_id)
        form.add_error("code", result.message)
    code = verification.live_code(privacy_request)
    channel = verification.channel_for(privacy_request)
    context = {
        "privacy_request": privacy_request,
        "form": form,
        "destination": verification.destination(privacy_request, channel),
        "channel": channel,
        "tries_left": verification.tries_left(privacy_request),
        "code_sent": code is not None,
        "resend_wait": verification.seconds_until_resend(privacy_request),
        "delivery_problem": delivery_problem(privacy_request),
    }
    return render(request, "portal/verify.html", context, status=400 if form.errors else 200)


@require_POST
@ratelimit(key="ip", rate=lambda g, r: settings.RATELIMIT_VERIFY_PER_IP, method="POST", block=True)
def resend_code(request: HttpRequest, public_id: str) -> HttpResponse:
    privacy_request = _subject_request(public_id)
    if privacy_request.status != Status.IDENTITY_UNVERIFIED:
        return redirect("portal:status", public_id)
    try:
        verification.issue_code(privacy_request, resend=True)
    except verification.ResendRefused as exc:
        messages.error(request, str(exc))
    except verification.VerificationUnavailable:
        return render(request, "portal/unavailable.html", {"privacy_request": privacy_request}, status=503)
    else:
        messages.success(request, "We sent you a new code. The old one no longer works.")
    return redirect("portal:verify", public_id)


def status(request: HttpRequest, public_id: str) -> HttpResponse:
    privacy_request = _subject_request(public_id)
    context = {
        "privacy_request": privacy_request,
        "description": describe(privacy_request),
        "download_ready": privacy_request.request_type == RequestType.ACCESS
        and privacy_request.status == Status.COMPLETE
        and bool(privacy_request.package_name),
    }
    return render(request, "portal/status.html", context)


@require_POST
def fresh_download_link(request: HttpRequest, public_id: str) -> HttpResponse:
    """The status page's download button: a new signed link each time, so an old expired one is no dead end."""
    from .downloads import make_token

    privacy_request = _subject_request(public_id)
    if privacy_request.status != Status.COMPLETE or not privacy_request.package_name:
        raise Http404
    return redirect("portal:download", make_token(privacy_request))


def download(request: HttpRequest, token: str) -> HttpResponse:
    from django.core.files.storage import storages

    try:
        claims = read_token(token)
    except LinkRefused as exc:
        return render(request, "portal/link_refused.html", {"reason": str(exc)}, status=410)
    privacy_request = PrivacyRequest.objects.filter(public_id=claims.get("r")).first()
    if privacy_request is None or privacy_request.package_name != claims.get("p") or not privacy_request.package_name:
        return render(
            request,
            "portal/link_refused.html",
            {"reason": "This download link is no longer valid for this request."},
            status=410,
        )
    storage = storages["packages"]
    if not storage.exists(privacy_request.package_name):
        raise SuspiciousOperation("package missing from storage")
    lifecycle.record(privacy_request, actor=lifecycle.Actor.subject(), message="Data package downloaded")
    return FileResponse(
        storage.open(privacy_request.package_name, "rb"),
        as_attachment=True,
        filename=f"privacy-request-{privacy_request.public_id[:8]}.zip",
        content_type="application/zip",
    )
