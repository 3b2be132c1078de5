from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, PTjs and roles"

    def ready(self) -> None:
        # Signal receivers: the lockout's audit event, and the session's start time.
        from accounts import sessions, throttle  # noqa: F401
