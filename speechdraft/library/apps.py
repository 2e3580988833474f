from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "speechdraft.library"
    verbose_name = "素材库"
