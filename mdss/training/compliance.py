"""The cadence rules of the policy (S2, S3, A2) for a team and a year: per period,
met or missed, and who is missing. Reads only; a fixed number of queries per grid
(the team, its held sessions with attendance, its assessments, the policy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef

from mdss.accounts.models import User
from mdss.calendars import engine
from mdss.calendars.selectors import active_cadences

from .choices import TEAM_RULES, AssessmentKind, AssessmentStatus, SessionKind, SessionStatus
from .models import Assessment, Attendance, TrainingSession
from .permissions import TEAM_ROLES

# Cell states: met, missed (period over), open (period running, not met yet),
# future (not started).
MET, MISSED, OPEN, FUTURE = "met", "missed", "open", "future"


@dataclass(frozen=True)
class Person:
    """Someone a grid names: their key and name (a user row holds twenty columns; a
    national team's thousands of them cost the home page's card 100 ms to build)."""

    pk: int
    display_name: str


def _named(users) -> list[Person]:
    return [
        Person(pk, User.name_of(*names))
        for pk, *names in users.values_list(
            "pk", "full_name", "first_name", "last_name", "username"
        )
    ]


@dataclass
class Cell:
    start: date
    end: date
    state: str
    count: int  # sessions held, or people assessed
    missing: list = field(default_factory=list)  # Persons without attendance / assessment


@dataclass
class Rule:
    code: str
    name: str
    requirement: str
    months: int
    min_count: int
    kind: str  # "session" or "assessment"
    cells: list[Cell]


def team_members(team: str):
    in_team = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=TEAM_ROLES[team]
    )
    return User.objects.filter(Exists(in_team), is_active=True).order_by("full_name", "username")


def team_grid(team: str, year: int, today: date, members=None) -> list[Rule]:
    # The cadences alone, not the policy with its targets (three queries; the home
    # page's training card asks for two teams).
    cadences = active_cadences()
    people = list(members) if members is not None else _named(team_members(team))
    first, last = date(year, 1, 1), date(year, 12, 31)
    sessions = list(
        TrainingSession.objects.filter(
            team=team,
            kind=SessionKind.INTERNAL,
            status=SessionStatus.HELD,
            held_on__range=(first, last),
        ).only("pk", "held_on")
    )
    present = {}
    for session_id, user_id in Attendance.objects.filter(
        session__in=[s.pk for s in sessions], present=True
    ).values_list("session_id", "user_id"):
        present.setdefault(session_id, set()).add(user_id)
    # An assessment counts for the period it assesses (a make-up held in the next
    # month still belongs to its quarter), once it has been held.
    assessed = list(
        Assessment.objects.filter(
            team=team,
            kind=AssessmentKind.REGULAR,
            period_start__range=(first, last),
            status__in=[AssessmentStatus.PASSED, AssessmentStatus.FAILED],
        ).values_list("user_id", "period_start")
    )
    session_code, assessment_code = TEAM_RULES[team]
    rules = []
    for code, kind in ((session_code, "session"), (assessment_code, "assessment")):
        cadence = cadences[code]
        cells = []
        start = first
        while start <= last:
            p_start, p_end = engine.period_bounds(start, cadence.period_months)
            if kind == "session":
                held = [s for s in sessions if p_start <= s.held_on <= p_end]
                attended = set().union(*(present.get(s.pk, set()) for s in held))
                count = len(held)
                ok = count >= cadence.min_count
                missing = [p for p in people if p.pk not in attended] if held else list(people)
            else:
                done = {}
                for user_id, period_start in assessed:
                    if p_start <= period_start <= p_end:
                        done[user_id] = done.get(user_id, 0) + 1
                missing = [p for p in people if done.get(p.pk, 0) < cadence.min_count]
                count = len(people) - len(missing)
                ok = not missing
            if ok:
                state = MET
            elif p_end < today:
                state = MISSED
            elif p_start <= today:
                state = OPEN
            else:
                state = FUTURE
            cells.append(Cell(p_start, p_end, state, count, missing if state != FUTURE else []))
            start = engine.next_period_start(p_start, cadence.period_months)
        rules.append(
            Rule(
                code,
                cadence.name,
                cadence.requirement,
                cadence.period_months,
                cadence.min_count,
                kind,
                cells,
            )
        )
    return rules
