"""Who is asking: the client's address as the login lockout sees it.

Behind N trusted proxies (DJANGO_NUM_PROXIES, e.g. 1 behind nginx) the client is the N-th address from
the right of X-Forwarded-For: each proxy appends the address it saw, so anything further left was
written by the client and proves nothing. With no proxy the header is ignored: sending a different
X-Forwarded-For each time must not make a new client. DRF's throttles read the same setting.
"""

from django.conf import settings


def client_ip(request):
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
