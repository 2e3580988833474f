from celery import shared_task

from speechdraft.library.services import rows_reindex


@shared_task(name="library.reindex_terms", acks_late=True, ignore_result=True)
def reindex_terms(words: list[str]) -> int:
    """Re-segment the rows a dictionary change affects; returns how many changed."""
    return rows_reindex(words)
