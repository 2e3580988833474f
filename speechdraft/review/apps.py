from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "speechdraft.review"
    verbose_name = "审稿"

    def ready(self) -> None:
        from speechdraft.corpus.models import Paragraph
        from speechdraft.corpus.signals import document_stored
        from speechdraft.drafts.signals import draft_changed
        from speechdraft.review import receivers

        document_stored.connect(receivers.index_document, dispatch_uid="review-index-document")
        draft_changed.connect(receivers.index_items, dispatch_uid="review-index-items")
        from django.db.models.signals import post_save

        post_save.connect(
            receivers.index_paragraph, sender=Paragraph, dispatch_uid="review-index-paragraph"
        )
