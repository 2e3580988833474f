from django.urls import path

from speechdraft.drafts import views

app_name = "drafts"

urlpatterns = [
    path("new/", views.draft_new, name="new"),
    path("import/", views.draft_import, name="import"),
    path("trash/", views.trash, name="trash"),
    path("<int:pk>/copy/", views.draft_copy, name="copy"),
    path("<int:pk>/undelete/", views.draft_untrash, name="undelete"),
    path("<int:pk>/", views.editor, name="editor"),
    path("<int:pk>/delete/", views.draft_delete, name="delete"),
    path("<int:pk>/details/", views.draft_details, name="details"),
    path("<int:pk>/numbering/", views.draft_numbering, name="numbering"),
    path("<int:pk>/undo/", views.draft_undo, name="undo"),
    path("<int:pk>/redo/", views.draft_redo, name="redo"),
    path("<int:pk>/document/", views.document, name="document"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/history/<int:version>/", views.revision_view, name="revision"),
    path("<int:pk>/history/<int:version>/restore/", views.revision_restore, name="restore"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/library/", views.library_panel, name="library"),
    path("<int:pk>/material/", views.material_insert, name="material"),
    path("<int:pk>/material/<int:paragraph_id>/", views.material_detail, name="material_detail"),
    path("insert/", views.material_insert_chosen, name="insert_material"),
    path("<int:pk>/favourite/", views.favourite, name="favourite"),
    path("<int:pk>/reference/", views.reference_insert, name="reference"),
    path("<int:pk>/phrase-used/", views.phrase_used, name="phrase_used"),
    path("<int:pk>/import/", views.draft_import_revision, name="import_revision"),
    path("<int:pk>/proposals/accept/", views.proposals_accept_all, name="proposals_accept_all"),
    path("<int:pk>/proposals/dismiss/", views.proposals_dismiss, name="proposals_dismiss"),
    path(
        "<int:pk>/proposals/<int:proposal_id>/accept/",
        views.proposal_accept,
        name="proposal_accept",
    ),
    path(
        "<int:pk>/proposals/<int:proposal_id>/reject/",
        views.proposal_reject,
        name="proposal_reject",
    ),
    path("<int:pk>/items/", views.item_insert, name="item_insert"),
    path("<int:pk>/items/<int:item_id>/", views.item_view, name="item"),
    path("<int:pk>/items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_id>/save/", views.item_save, name="item_save"),
    path("<int:pk>/items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/items/<int:item_id>/up/", views.item_up, name="item_up"),
    path("<int:pk>/items/<int:item_id>/down/", views.item_down, name="item_down"),
    path("<int:pk>/items/<int:item_id>/indent/", views.item_indent, name="item_indent"),
    path("<int:pk>/items/<int:item_id>/outdent/", views.item_outdent, name="item_outdent"),
    path("<int:pk>/items/<int:item_id>/move/", views.item_move, name="item_move"),
]
