from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "speechdraft.units"
    verbose_name = "单位"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from speechdraft.units import access  # noqa: F401 (its signals: the tree of units)
        from speechdraft.units.services import membership_for_new_user

        post_save.connect(
            membership_for_new_user,
            sender=get_user_model(),
            dispatch_uid="units-membership-for-new-user",
        )
