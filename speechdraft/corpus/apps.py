from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "speechdraft.corpus"
    verbose_name = "语料"
