from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "speechdraft.accounts"
    verbose_name = "账号"
