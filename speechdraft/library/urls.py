from django.urls import path

from speechdraft.library import views

app_name = "library"

urlpatterns = [
    path("", views.library_page, name="search"),
    path("phrases/", views.private_phrase_create, name="phrase_create"),
    path("paragraphs/<int:pk>/", views.paragraph_detail, name="paragraph"),
    path("favourites/", views.favourite_toggle, name="favourite"),
    path("phrases/<int:pk>/delete/", views.private_phrase_delete, name="phrase_delete"),
]
