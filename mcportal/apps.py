from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site: two-factor when ADMIN_REQUIRE_2FA is on."""

    default_site = "accounts.admin_site.PortalAdminSite"
