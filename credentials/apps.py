from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"

    def ready(self) -> None:
        # Enrolment (Senate approval, R-CR-7 name changes) reaches credentials through a port this
        # app fills: enrolment sits below credentials and never imports it (docs/decisions/0152).
        from credentials import api
        from enrolment.api import credentials_port_set

        credentials_port_set(api)
