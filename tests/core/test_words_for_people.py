"""Issue 17: words for people, codes for machines. Every page a learner (or a visitor) can reach in
the demo world, and the messages they get when something is refused, read in plain words: no rule
ID (R-EN-2) and no field path ("Field: international_notice", "units[0].lines[0].rate_minutes"),
in English and in Bahasa Malaysia. Rule IDs stay in API error bodies."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import reverse

from core.demo import DEMO_PASSWORD, demo_seed
from enrolment.models import Offering

pytestmark = pytest.mark.django_db

RULE_ID = re.compile(r"R-[A-Z]+-\d")
FIELD_PATH = re.compile(r"\b\w+\[\d+\]|\bField: |\b[a-z]+_[a-z]+(?:_[a-z]+)*\b")
SKIP = ("/admin/", "/api/", "/static/", "/accounts/logout/", "/i18n/", "/.well-known/", "/ns/")
MAX_PAGES = 60


class _Text(HTMLParser):
    """The words a person reads: text nodes and the attributes read aloud, not code."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name in ("title", "aria-label", "alt", "placeholder"):
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _read(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts), parser.links


def _assert_plain(where: str, text: str) -> None:
    rule = RULE_ID.search(text)
    assert rule is None, f"{where} shows a rule ID: …{text[max(rule.start() - 60, 0) : rule.end() + 40]}…"
    path = FIELD_PATH.search(text)
    assert path is None, f"{where} shows a field path: …{text[max(path.start() - 60, 0) : path.end() + 40]}…"


def _crawl(client, start: list[str]) -> set[str]:
    seen: set[str] = set()
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text, links = _read(response.content.decode())
        _assert_plain(url, text)
        for link in links:
            link = urldefrag(link).url
            parsed = urlparse(link)
            if parsed.scheme or parsed.netloc or not link.startswith("/") or link.startswith(SKIP):
                continue
            if link.endswith((".pdf", ".json", ".csv", ".png", ".svg")):
                continue
            queue.append(link)
    return seen


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.apps import apps

        from policy.seed import seed_apply

        seed_apply(apps)  # an earlier transactional test on this worker may have emptied the tables
        demo_seed()
    yield
    with django_db_blocker.unblock():
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("language", ["en", "ms"])
def test_every_page_a_learner_reaches_reads_in_plain_words(demo_world, client, language):
    assert client.login(username="learner@demo.unimas.my", password=DEMO_PASSWORD)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    seen = _crawl(
        client,
        ["/", reverse("catalogue"), reverse("my-learning"), reverse("credentials:wallet"), reverse("my-settings")],
    )
    assert reverse("catalogue") in seen and reverse("credentials:wallet") in seen
    assert len(seen) >= 10, seen


def test_every_page_a_visitor_reaches_reads_in_plain_words(demo_world, client):
    seen = _crawl(
        client, ["/", reverse("catalogue"), reverse("login"), reverse("register"), reverse("credentials:verify_lookup")]
    )
    assert len(seen) >= 5, seen


@pytest.mark.parametrize("language", ["en", "ms"])
def test_a_refused_enrolment_says_what_to_do_without_codes(demo_world, client, language):
    """The learner forgets the international learners' notice and a minimum requirement: the page
    says what to confirm, in words (the API body keeps the rule and the field)."""
    from enrolment.models import LearnerProfile

    assert client.login(username="learner@demo.unimas.my", password=DEMO_PASSWORD)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    LearnerProfile.objects.filter(user__email="learner@demo.unimas.my").update(
        identity_kind="passport", nationality="SG"
    )
    offering = Offering.objects.order_by("pk").first()
    Offering.objects.filter(pk=offering.pk).update(minimum_requirements="Basic digital literacy")
    response = client.post(reverse("enrol", args=[offering.pk]), {})
    assert response.status_code == 400
    text, _links = _read(response.content.decode())
    _assert_plain("the refused enrolment", text)
    response = client.post(reverse("enrol", args=[offering.pk]), {"requirements": ["Basic digital literacy"]})
    text, _links = _read(response.content.decode())
    assert response.status_code in (400, 409)
    _assert_plain("the refused enrolment", text)


@pytest.mark.parametrize(
    ("email", "link"),
    [
        ("learner@demo.unimas.my", "my-learning"),
        ("cflex.admin@demo.unimas.my", "cflex-offerings"),
        ("instructor@demo.unimas.my", "teaching"),
        ("developer@demo.unimas.my", "proposal-list"),
    ],
)
def test_one_navigation_per_role_on_every_page(demo_world, client, email, link):
    """The same links on the home page, the catalogue and the settings page: Offerings for CFLEX,
    Teaching for instructors, the learner's links on `/` too."""
    assert client.login(username=email, password=DEMO_PASSWORD)
    navs = []
    for url in ("/", reverse("catalogue"), reverse("my-settings")):
        html = client.get(url).content.decode()
        nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
        nav = re.sub(r' aria-current="page"', "", nav)
        navs.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", nav))
    assert navs[0] == navs[1] == navs[2]
    assert f'href="{reverse(link)}"' in navs[0]


def test_an_enrolled_learner_sees_enrolled_not_enrol(demo_world, client):
    from enrolment.models import Enrolment

    assert client.login(username="learner@demo.unimas.my", password=DEMO_PASSWORD)
    mine = Enrolment.objects.filter(learner__email="learner@demo.unimas.my").select_related("offering").first()
    page = client.get(reverse("course-page", args=[mine.offering_id])).content.decode()
    assert 'id="enrolled"' in page and 'id="enrol-link"' not in page


def test_every_page_has_a_favicon(client):
    assert 'rel="icon"' in client.get(reverse("login")).content.decode()
