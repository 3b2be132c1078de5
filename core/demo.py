"""Demo data: PTjs and one demo user per role, then each app's demo steps in order (its
``demo.py``, registered with ``@demo_step``): records, proposals, offerings, credentials, credit
transfer, and the reports' history. core never imports the apps above it (pyproject.toml,
import-linter): it discovers their ``demo`` modules.

Idempotent: running it again finds what is there and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from accounts.models import Committee, PTj, Role, User
from accounts.services import role_assign

DEMO_PASSWORD = "unimas-demo-2026"  # noqa: S105 - printed demo login, development data only
DEMO_DOMAIN = "demo.unimas.my"

PTJS = [
    (
        "FCSIT",
        "Faculty of Computer Science and Information Technology",
        "Fakulti Sains Komputer dan Teknologi Maklumat",
        PTj.Kind.FACULTY,
    ),
    ("FENG", "Faculty of Engineering", "Fakulti Kejuruteraan", PTj.Kind.FACULTY),
    (
        "FCSHD",
        "Faculty of Cognitive Sciences and Human Development",
        "Fakulti Sains Kognitif dan Pembangunan Manusia",
        PTj.Kind.FACULTY,
    ),
    ("CPU", "Centre for Pre-University Studies", "Pusat Pengajian Pra-Universiti", PTj.Kind.CENTRE),
    ("CFLEX", "Centre for Flexible Learning", "Pusat Pembelajaran Fleksibel", PTj.Kind.CENTRE),
]


@dataclass(frozen=True)
class DemoUser:
    email_local: str
    full_name: str
    role: Role
    ptj: str | None = None
    committee: str = ""

    @property
    def email(self) -> str:
        return f"{self.email_local}@{DEMO_DOMAIN}"


DEMO_USERS = [
    DemoUser("developer", "Dr. Aisyah Binti Rahman", Role.COURSE_DEVELOPER, "FCSIT"),
    DemoUser("head.mqa", "Prof. Lim Wei Seng", Role.HEAD_OF_PTJ_MQA, "FCSIT"),
    DemoUser("head.nonmqa", "Assoc. Prof. Jaya Anak Nyegang", Role.HEAD_OF_PTJ_NON_MQA, "FCSIT"),
    DemoUser("cflex.reviewer", "Dr. Farid Bin Osman", Role.CFLEX_REVIEWER),
    DemoUser("cflex.admin", "Nurul Huda Binti Ahmad", Role.CFLEX_ADMIN),
    DemoUser("sme", "Ir. Dr. Chong Mei Ling", Role.SME),
    DemoUser("jtsppa.secretary", "Siti Aminah Binti Yusof", Role.COMMITTEE_SECRETARY, committee=Committee.JTSPPA),
    DemoUser("jtsps.secretary", "Rosli Bin Hamid", Role.COMMITTEE_SECRETARY, committee=Committee.JTSPS),
    DemoUser("jppeu.secretary", "Grace Anak Jimbun", Role.COMMITTEE_SECRETARY, committee=Committee.JPPEU),
    DemoUser("senate.secretary", "Dayang Norhayati Binti Abang", Role.SENATE_SECRETARY),
    DemoUser("bjka", "Mohd Hafiz Bin Salleh", Role.BJKA_OFFICER),
    DemoUser("instructor", "Dr. Tan Kok Leong", Role.INSTRUCTOR),
    DemoUser("coordinator", "Dr. Rina Binti Mahmud", Role.PROGRAMME_COORDINATOR, "FCSIT"),
    DemoUser("dean", "Prof. Dr. Wan Azlan Bin Wan Ismail", Role.DEAN, "FCSIT"),
    DemoUser("dean.feng", "Prof. Ir. Dr. Ling Siew Hua", Role.DEAN, "FENG"),
    DemoUser("apelc", "Norazila Binti Bujang", Role.APELC_OFFICER),
    DemoUser("learner", "Ahmad Danial Bin Kamal", Role.LEARNER),
]


@dataclass
class DemoRun:
    """What a demo step gets: the demo users by the local part of their email, the PTjs by code,
    what was asked for, and lines to print after the logins (``manage.py seed_demo``)."""

    users: dict[str, User]
    ptjs: dict[str, PTj]
    proposals: bool
    history: bool
    notes: list[str] = field(default_factory=list)


DemoStep = Callable[[DemoRun], None]
_STEPS: dict[str, tuple[int, DemoStep]] = {}


def demo_step(order: int) -> Callable[[DemoStep], DemoStep]:
    """Register an app's demo step; steps run by ``order`` (records 10, proposals 20, offerings
    30, completed results 35, credentials 40, credit transfer 50, history 60-70)."""

    def register(step: DemoStep) -> DemoStep:
        _STEPS[f"{step.__module__}.{step.__qualname__}"] = (order, step)
        return step

    return register


@transaction.atomic
def demo_seed(*, proposals: bool = True, history: bool = False, notes: list[str] | None = None) -> list[DemoUser]:
    """Everything, or (``proposals=False``) the records and people without any proposal, for
    tests that build their own. ``history``: past intakes for the reports. ``notes`` receives the
    steps' lines to print (the demo credential's address)."""
    ptjs = {}
    for code, name, name_ms, kind in PTJS:
        ptjs[code], _ = PTj.objects.get_or_create(code=code, defaults={"name": name, "name_ms": name_ms, "kind": kind})
    users: dict[str, User] = {}
    for demo in DEMO_USERS:
        user = User.objects.filter(email__iexact=demo.email).first()
        if user is None:
            user = User.objects.create_user(email=demo.email, password=DEMO_PASSWORD, full_name=demo.full_name)
        role_assign(
            user=user,
            role=demo.role,
            ptj=ptjs[demo.ptj] if demo.ptj else None,
            committee=demo.committee,
        )
        users[demo.email_local] = user
    autodiscover_modules("demo")
    run = DemoRun(users=users, ptjs=ptjs, proposals=proposals, history=history)
    for _order, step in sorted(_STEPS.values(), key=lambda entry: entry[0]):
        step(run)
    if notes is not None:
        notes.extend(run.notes)
    return DEMO_USERS
