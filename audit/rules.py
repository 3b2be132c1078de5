import rules

from accounts.rules import is_cflex

rules.add_perm("audit.view_auditevent", is_cflex)
