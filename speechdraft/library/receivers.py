"""The library's part of ingestion: the phrases mined from what the corpus stores."""


def phrases_of_document(sender, document, parsed, **kwargs) -> None:
    """A document was stored: its mined phrases replace those it had (corpus.document_stored)."""
    from speechdraft.library.services import phrases_store_for_document

    phrases_store_for_document(document, parsed)


def phrases_approve(sender, document, **kwargs) -> int:
    """The document's mined phrases still 待审核 are approved with it; curated ones stay."""
    from speechdraft.corpus.models import Status
    from speechdraft.library.models import Phrase

    return Phrase.objects.filter(
        sources__document=document, owner__isnull=True, status=Status.CANDIDATE
    ).update(status=Status.APPROVED)


def phrases_share(sender, document_ids, shared: bool, **kwargs) -> int:
    """Documents became 共享 (or stopped being): so do the library phrases mined from them (a
    phrase also mined from a document still 共享 stays so)."""
    from speechdraft.library.models import Phrase

    phrases = Phrase.objects.filter(owner__isnull=True, sources__document_id__in=document_ids)
    if not shared:
        phrases = phrases.exclude(sources__document__shared=True)
    return Phrase.objects.filter(pk__in=phrases.values("pk")).update(shared=shared)


def phrases_of_dropped_speech(sender, document_id, speech_index, **kwargs) -> None:
    """A stored speech became a copy: the phrases mined from it lose that source."""
    from speechdraft.library.models import PhraseSource

    PhraseSource.objects.filter(document_id=document_id, speech_index=speech_index).delete()
