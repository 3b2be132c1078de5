"""Demo data: PTjs, accredited programmes and courses, and one demo user per role.

Idempotent: running it again finds what is there and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Committee, PTj, Role, User
from accounts.services import role_assign
from courses.models import ProgrammeLevel
from courses.services import course_ensure, programme_ensure

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

# code, name, credits, PTj, MPU
COURSES = [
    ("TMN4033", "Internet of Things", 3, "FCSIT", False),
    ("TMUI233", "Introduction to Computer Technologies", 3, "FCSIT", False),
    ("TMN3013", "Network Security", 3, "FCSIT", False),
    ("TMF1434", "Data Structures and Algorithms", 4, "FCSIT", False),
    ("MPU3183", "Penghayatan Etika dan Peradaban", 3, "FCSIT", True),
    ("KNS2153", "Engineering Surveying", 3, "FENG", False),
    ("KNS3063", "Geotechnical Engineering", 3, "FENG", False),
    ("KMP6013", "Human Resource Development Practice", 3, "FCSHD", False),
    ("PPU0013", "Foundation Mathematics", 3, "CPU", False),
]

# code, qualification name, PTj, level, graduating credits, MQA, courses
PROGRAMMES = [
    (
        "SK29",
        "Bachelor of Computer Science with Honours (Network Computing)",
        "FCSIT",
        ProgrammeLevel.BACHELOR,
        128,
        True,
        ["TMN4033", "TMUI233", "TMN3013", "TMF1434", "MPU3183"],
    ),
    (
        "SK37",
        "Diploma in Computer Science",
        "FCSIT",
        ProgrammeLevel.DIPLOMA,
        90,
        True,
        ["TMUI233", "TMF1434", "MPU3183"],
    ),
    (
        "KC11",
        "Bachelor of Engineering with Honours (Civil Engineering)",
        "FENG",
        ProgrammeLevel.BACHELOR,
        140,
        True,
        ["KNS2153", "KNS3063", "MPU3183"],
    ),
    ("MHRD", "Master of Human Resource Development", "FCSHD", ProgrammeLevel.MASTER, 40, True, ["KMP6013"]),
    ("ASC", "Foundation in Science", "CPU", ProgrammeLevel.FOUNDATION, 36, True, ["PPU0013"]),
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


@transaction.atomic
def demo_seed(*, proposals: bool = True, history: bool = False) -> list[DemoUser]:
    """Everything, or (``proposals=False``) the records and people without any proposal, for
    tests that build their own. ``history``: past intakes for the reports (reports.demo)."""
    ptjs = {}
    for code, name, name_ms, kind in PTJS:
        ptjs[code], _ = PTj.objects.get_or_create(code=code, defaults={"name": name, "name_ms": name_ms, "kind": kind})
    courses = {
        code: course_ensure(code=code, name=name, credits=credits, ptj=ptjs[ptj], is_mpu=mpu)
        for code, name, credits, ptj, mpu in COURSES
    }
    for code, name, ptj, level, credits, mqa, course_codes in PROGRAMMES:
        programme_ensure(
            code=code,
            name=name,
            ptj=ptjs[ptj],
            level=level,
            graduating_credits=credits,
            mqa_accredited=mqa,
            courses=[courses[c] for c in course_codes],
        )
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
    # Proposals at several steps (one walked through every step to ready to offer) and an
    # offering of the ready one, all through the services.
    from courses.demo import demo_proposals
    from enrolment.demo import demo_offerings

    if proposals:
        demo_proposals(users)
        demo_offerings(users)
        from credentials.demo import demo_credentials

        demo_credentials(users)
    from transfer.demo import demo_transfer

    demo_transfer(users, applications=proposals)  # coordinators, SK29's courses, the learner's claims
    if proposals and history:
        from reports.demo import demo_history

        demo_history(users)
    return DEMO_USERS
