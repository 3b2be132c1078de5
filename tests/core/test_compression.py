"""Pages are gzip-compressed for browsers that accept it (issue 15), and a page that reflects
what someone typed beside a secret never carries that secret the same way twice (BREACH,
decision 0143): the CSRF token is masked afresh for every response and the compressed length is
padded at random."""

from __future__ import annotations

import gzip
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.urls import reverse

from tests.enrolment import builders

pytestmark = pytest.mark.django_db


def _csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_pages_are_compressed_when_the_browser_accepts_gzip(client):
    plain = client.get(reverse("catalogue"))
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    packed = client.get(reverse("catalogue"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    unmasked = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')
    same = lambda html: unmasked.sub(r"\1", html)  # noqa: E731 - the CSRF mask differs per response
    assert same(gzip.decompress(packed.content).decode()) == same(plain.content.decode())
    assert len(packed.content) < len(plain.content) / 2


def test_a_page_reflecting_a_search_never_repeats_its_csrf_token(client):
    # The CFLEX credential search reflects the query next to the CSRF token, so the token must
    # differ in every response (decision 0143).
    client.force_login(builders.cflex_admin())
    url = reverse("credentials:batches")
    guess = "csrfmiddlewaretoken"
    pages = [client.get(url, {"q": guess}, HTTP_ACCEPT_ENCODING="gzip") for _ in range(3)]
    bodies = [gzip.decompress(page.content).decode() for page in pages]
    tokens = [_csrf_tokens(body) for body in bodies]
    assert all(tokens) and guess in bodies[0]
    masked = [t[0] for t in tokens]
    assert len(set(masked)) == 3  # a fresh mask every response
    assert len({_unmask_cipher_token(t) for t in masked}) == 1  # over the one secret
    secret = client.cookies["csrftoken"].value
    assert all(secret not in body for body in bodies)  # the secret itself is never in a page
    # Heal-the-BREACH padding: the same page is not the same length every time.
    assert len({len(page.content) for page in pages}) > 1


def test_the_authenticator_set_up_page_is_never_compressed(client):
    # It prints a fixed secret (the authenticator key) while it waits for a code: no gzip there.
    client.force_login(builders.cflex_admin())
    response = client.get(reverse("two-factor"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "identity"
    assert 'id="two-factor-secret"' in response.content.decode()
