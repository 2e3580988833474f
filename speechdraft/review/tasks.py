from celery import shared_task

from speechdraft.review.services import review_run


@shared_task(name="review.run", acks_late=True, ignore_result=True)
def review_render(run_id: int) -> str:
    return review_run(run_id)
