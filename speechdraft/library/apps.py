from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "speechdraft.library"
    verbose_name = "素材库"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from speechdraft.library.models import Synonym, SynonymGroup
        from speechdraft.library.synonyms import on_synonym_change

        # Any saved or deleted 同义提法 tells every process to re-read them.
        for model in (SynonymGroup, Synonym):
            for signal in (post_save, post_delete):
                signal.connect(
                    on_synonym_change,
                    sender=model,
                    dispatch_uid=f"library-synonyms-{signal is post_save}-{model.__name__}",
                )
