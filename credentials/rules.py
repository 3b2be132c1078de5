"""Who may do what with credentials (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from accounts.rules import is_cflex, is_cflex_admin


@rules.predicate
def is_holder(user: Any, credential: Any) -> bool:
    return credential is not None and getattr(credential, "learner_id", None) == getattr(user, "pk", None)


# CFLEX admins act on credentials (R-CR-1, R-CR-5); CFLEX reviewers may follow batches.
can_manage_credentials = is_cflex_admin
can_view_batches = is_cflex

rules.add_perm("credentials.manage", is_cflex_admin)
rules.add_perm("credentials.view_batches", is_cflex)
rules.add_perm("credentials.download", is_holder | is_cflex)
