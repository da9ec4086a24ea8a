from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "mdss.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self):
        from mdss.accounts import roles
        from mdss.core.navigation import NavItem, register

        def has_account(user) -> bool:
            from mdss.customers.portal import portal_customer

            return roles.CUSTOMER in user.role_codes and portal_customer(user) is not None

        register(
            NavItem(
                _("Customer portal"),
                _("My devices and requests"),
                "portal:home",
                "hospital",
                roles=(roles.CUSTOMER,),
                order=900,
                visible=has_account,
            ),
        )
