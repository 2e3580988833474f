from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "speechdraft.drafts"
    verbose_name = "讲话稿"
