"""Keep the reuse index current as the corpus changes (ingestion, curators' edits)."""


def index_document(sender, document, **kwargs) -> None:
    from speechdraft.review.services import reuse_index_paragraphs

    reuse_index_paragraphs(document.skeletons.values_list("paragraphs__id", flat=True))


def index_paragraph(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    from speechdraft.review.services import reuse_index_paragraphs

    reuse_index_paragraphs([instance.pk])


def index_items(sender, draft_id, owner_id, **kwargs) -> None:
    """A draft changed: its owner's items go into the reuse index, in the worker."""
    from speechdraft.review.services import items_index_later

    items_index_later(owner_id)
