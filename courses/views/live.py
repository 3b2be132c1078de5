"""The live preview: the editor posts what is typed (nothing is saved) and gets back the totals,
the readiness list and the hints, computed by the same rules as a save and a submission."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from courses.policies import field_set
from courses.selectors import proposal_get
from courses.views.editor import editor_from_post, live_context, step_bar
from policy.api import policy_in_force

# element id -> partial template
FRAGMENTS = {
    "slt-totals": "courses/_totals.html",
    "readiness": "courses/_readiness.html",
    "submit-area": "courses/_submit.html",
    "assessment-live": "courses/_assessment_live.html",
    "delivery-live": "courses/_delivery_live.html",
    "code-suggestion": "courses/_code_suggestion.html",
}


@login_required
@require_POST
def proposal_preview(request: HttpRequest, pk: int) -> JsonResponse:
    proposal = proposal_get(request.user, pk)
    editor = editor_from_post(proposal, request.POST)
    live = live_context(editor, policy_in_force())
    context = {**live, "proposal": proposal, "editable": True}
    fragments = {target: render_to_string(template, context, request) for target, template in FRAGMENTS.items()}
    shown = set(field_set(editor.data.kind))
    for s in step_bar(live["step_counts"], "", shown):
        fragments[f"step-count-{s['key']}"] = render_to_string("courses/_step_count.html", {"s": s}, request)
    for index, clo in enumerate(editor.rows.clos):  # each outcome as it will read, as typed
        fragments[f"f-clos-{index}-reads"] = render_to_string("courses/_clo_reads.html", {"clo": clo}, request)
    for index, unit in enumerate(context["totals"].units):
        fragments[f"unit-total-{index}"] = render_to_string("courses/_unit_total.html", {"unit": unit}, request)
    return JsonResponse({"fragments": fragments})
