from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "speechdraft.library"
    verbose_name = "素材库"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from speechdraft.corpus.signals import (
            document_approved,
            document_stored,
            documents_shared,
            speech_dropped,
        )
        from speechdraft.library import receivers
        from speechdraft.library.models import Synonym, SynonymGroup
        from speechdraft.library.synonyms import on_synonym_change

        document_stored.connect(receivers.phrases_of_document, dispatch_uid="library-phrases")
        document_approved.connect(receivers.phrases_approve, dispatch_uid="library-approve")
        documents_shared.connect(receivers.phrases_share, dispatch_uid="library-share")
        speech_dropped.connect(
            receivers.phrases_of_dropped_speech, dispatch_uid="library-phrases-dropped"
        )

        # Any saved or deleted 同义提法 tells every process to re-read them.
        for model in (SynonymGroup, Synonym):
            for signal in (post_save, post_delete):
                signal.connect(
                    on_synonym_change,
                    sender=model,
                    dispatch_uid=f"library-synonyms-{signal is post_save}-{model.__name__}",
                )
