import rules

from accounts.rules import is_cflex, is_cflex_admin, is_dean_of

# Programme records: CFLEX keeps them all; a Dean keeps their own PTj's.
rules.add_perm("courses.view_programme", rules.is_authenticated)
rules.add_perm("courses.add_programme", is_cflex_admin)
rules.add_perm("courses.change_programme", is_cflex_admin | is_dean_of)
rules.add_perm("courses.view_course", rules.is_authenticated)
rules.add_perm("courses.add_course", is_cflex_admin)
rules.add_perm("courses.change_course", is_cflex_admin | is_dean_of)
rules.add_perm("courses.view_programmecourse", is_cflex)
rules.add_perm("courses.add_programmecourse", is_cflex_admin)
rules.add_perm("courses.change_programmecourse", is_cflex_admin)
rules.add_perm("courses.delete_programmecourse", is_cflex_admin)
