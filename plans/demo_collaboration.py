"""Sample sign-off, questions and notifications for the demo (DEMO ONLY), so a newcomer finds
these pages in use rather than empty:

- Swale asks for sign-off: its CSU manager signs off the CSU officer's updates. Two of the
  open quarter's updates await sign-off and one was returned with a comment.
- Medway's SEG asked about a slipping Kent Police action last quarter (answered) and asks
  again this quarter (awaiting the officer's answer).
- Each officer has the "quarter open" news for the open quarter.

Everything goes through the services users' actions go through, so the audit trail, versions
and notifications are as they would be. Loading again adds nothing: each part is skipped when
it is already there.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model

from plans.collaboration.models import Comment
from plans.collaboration.services import question_answer, question_ask
from plans.demo import MEDWAY
from plans.demo_data import CLOSED_QUARTERS, MEDWAY_PLAN, OPEN_QUARTER, SWALE_PLAN
from plans.models import Plan, ReportingPeriod
from plans.notifications.news import quarter_opened
from plans.signoff import services as signoff
from priorities.models import Action, ActionUpdate
from priorities.services import action_update_save

KENT_POLICE = "Kent Police"
CSU = "Swale Community Safety Unit"
RETURN_COMMENT = "Please say what took place this quarter and how many people it reached."
QUESTIONS = (
    # (quarter, question, answer or None)
    (
        CLOSED_QUARTERS[-1],
        "This action is Red for a second quarter. When will the funding decision be made?",
        "The Police and Crime Commissioner's panel decides in January; we will report the "
        "outcome next quarter.",
    ),
    (
        OPEN_QUARTER,
        "Is the recovery plan agreed, and does it need anything from partners?",
        None,
    ),
)


def _user(username: str):
    return get_user_model().objects.get(username=username)


def collaboration_sample_load(added: Counter) -> None:
    """Add whatever sample sign-off, questions and news are missing (see the module text)."""
    _swale_sign_off(added)
    _medway_questions(added)
    for period in ReportingPeriod.objects.filter(
        plan__title__in=(MEDWAY_PLAN, SWALE_PLAN), quarter=OPEN_QUARTER, status="open"
    ).select_related("plan__partnership"):
        quarter_opened(period=period)  # once per quarter and deadline: a unique key


def _open_period(title: str) -> ReportingPeriod | None:
    plan = Plan.objects.filter(title=title).first()
    if plan is None:
        return None
    return plan.periods.filter(year=plan.start_year, quarter=OPEN_QUARTER, status="open").first()


def _swale_sign_off(added: Counter) -> None:
    period = _open_period(SWALE_PLAN)
    if period is None or period.plan.partnership.sign_off:
        return
    admin, signer = _user("swale-admin"), _user("swale-csu-manager")
    officer = _user("swale-csu-officer")
    signoff.partnership_sign_off_set(user=admin, partnership=period.plan.partnership, enabled=True)
    period = ReportingPeriod.objects.select_related("plan__partnership").get(pk=period.pk)
    reported = ActionUpdate.objects.filter(period=period).values("action")
    waiting = list(
        Action.objects.filter(priority__plan=period.plan, lead_agency__name=CSU)
        .exclude(pk__in=reported)
        .exclude(completed_in__isnull=False)
        .select_related("priority__plan")[:3]
    )
    for action in waiting:
        update = action_update_save(
            user=officer, action=action, period=period, status=ActionUpdate.Status.ON_TRACK,
            commentary="Activity this quarter went ahead as planned and partners were briefed.",
            next_steps="Carry on as planned next quarter.",
            milestones=[], submit=True, expected_version=None,
        )  # fmt: skip
        ActionUpdate.objects.filter(pk=update.pk).update(is_sample=True)
        added["updates awaiting sign-off"] += 1
    if len(waiting) == 3:
        returned = ActionUpdate.objects.get(pk=update.pk)
        signoff.item_return(user=signer, item=returned, comment=RETURN_COMMENT)
        ActionUpdate.objects.filter(pk=update.pk).update(is_sample=True)
        added["updates awaiting sign-off"] -= 1
        added["updates returned"] += 1


def _medway_questions(added: Counter) -> None:
    plan = Plan.objects.filter(title=MEDWAY_PLAN, partnership__name=MEDWAY).first()
    if plan is None or Comment.objects.filter(period__plan=plan).exists():
        return
    periods = {p.quarter: p for p in plan.periods.filter(year=plan.start_year)}
    # The slipping action (demo_data's LEFT_FOR_DEMO story): Red in Q3, left to report in Q4.
    action = (
        Action.objects.filter(
            priority__plan=plan,
            lead_agency__name=KENT_POLICE,
            updates__period=periods.get(CLOSED_QUARTERS[-1]),
            updates__status=ActionUpdate.Status.OFF_TRACK,
        )
        .select_related("priority__plan")
        .first()
    )
    if action is None:
        return
    seg, officer = _user("medway-seg"), _user("kent-police-officer")
    for quarter, text, answer in QUESTIONS:
        if quarter not in periods:
            continue
        question = question_ask(user=seg, item=action, period=periods[quarter], text=text)
        added["questions"] += 1
        if answer:
            question_answer(user=officer, question=question, item=action, text=answer)
            added["answers"] += 1
