from django.urls import path

from speechdraft.review import views

app_name = "review"

# Under /drafts/<pk>/review/: 审稿 of one draft (speechdraft.urls includes these beside drafts).
urlpatterns = [
    path("<int:pk>/review/", views.review_start, name="start"),
    path("<int:pk>/review/items/<int:item_id>/", views.review_hints, name="hints"),
    path("<int:pk>/review/<int:run_id>/", views.review_status, name="status"),
    path("<int:pk>/review/<int:run_id>/dismiss/", views.review_dismiss, name="dismiss"),
    path("<int:pk>/review/<int:run_id>/apply/", views.review_apply, name="apply"),
]
