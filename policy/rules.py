import rules

from accounts.rules import is_cflex, is_cflex_admin

rules.add_perm("policy.view_policyversion", is_cflex)
rules.add_perm("policy.add_policyversion", is_cflex_admin)
rules.add_perm("policy.change_policyversion", is_cflex_admin)
rules.add_perm("policy.delete_policyversion", is_cflex_admin)
for _model in ("sltrate", "gradeband", "minimumage", "workflowstep"):
    rules.add_perm(f"policy.view_{_model}", is_cflex)
    rules.add_perm(f"policy.add_{_model}", is_cflex_admin)
    rules.add_perm(f"policy.change_{_model}", is_cflex_admin)
    rules.add_perm(f"policy.delete_{_model}", is_cflex_admin)
