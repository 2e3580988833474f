"""Keep the reuse index current as the corpus changes (ingestion, curators' edits)."""


def index_document(sender, document, **kwargs) -> None:
    from speechdraft.review.services import reuse_index_paragraphs

    reuse_index_paragraphs(document.skeletons.values_list("paragraphs__id", flat=True))


def index_paragraph(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    from speechdraft.review.services import reuse_index_paragraphs

    reuse_index_paragraphs([instance.pk])
