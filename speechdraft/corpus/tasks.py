from celery import shared_task

from speechdraft.corpus.models import SourceDocument
from speechdraft.corpus.services import document_ingest_uploaded


@shared_task(name="corpus.ingest_document", acks_late=True, ignore_result=True)
def ingest_document(document_id: int) -> str:
    """Ingest one uploaded document by id; the row's state is the source of truth."""
    document = SourceDocument.objects.filter(pk=document_id).first()
    if document is None:  # deleted while queued: nothing to do
        return "missing"
    return document_ingest_uploaded(document).outcome
