"""What each status means, in plain words for the subject."""

from .models import PrivacyRequest, RequestType, Status


def describe(privacy_request: PrivacyRequest) -> str:
    access = privacy_request.request_type == RequestType.ACCESS
    texts = {
        Status.IDENTITY_UNVERIFIED: "We are waiting for you to enter the code we sent, to confirm it is you.",
        Status.PENDING: "We have your request and your identity is confirmed. Our privacy team will review it.",
        Status.APPROVED: "Your request is approved and will be carried out shortly.",
        Status.SCHEDULED: "Your request is approved. By law we must keep some records for a short while; "
        "your data will be erased on {date}.",
        Status.IN_PROCESSING: "We are collecting your data now." if access else "We are erasing your data now.",
        Status.COMPLETE: "Your data is ready to download." if access else "Your data has been erased.",
        Status.DENIED: "We could not carry out your request.",
        Status.ERROR: "Something went wrong while carrying out your request. Our team has been told and will "
        "try again; you do not need to do anything.",
        Status.CANCELED: "This request was canceled.",
    }
    text = texts[Status(privacy_request.status)]
    if privacy_request.scheduled_for:
        text = text.format(date=f"{privacy_request.scheduled_for:%d %B %Y}")
    return text
