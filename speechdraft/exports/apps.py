from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "speechdraft.exports"
    verbose_name = "Word 导出"
