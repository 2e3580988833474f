from django.contrib import admin
from django.urls import include, path

from speechdraft.accounts.forms import AdminLoginForm
from speechdraft.core import views as core_views
from speechdraft.drafts import views as draft_views
from speechdraft.exports import views as export_views

admin.site.site_header = "speechdraft 管理后台"
admin.site.site_title = "speechdraft 管理后台"
admin.site.index_title = "素材与语料管理"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", draft_views.draft_list, name="home"),
    path("drafts/", include("speechdraft.drafts.urls")),
    path("drafts/", include("speechdraft.review.urls")),
    path("drafts/<int:pk>/export/", export_views.export_start, name="export_start"),
    path("drafts/<int:pk>/redline/", export_views.redline_start, name="redline_start"),
    path("exports/", include("speechdraft.exports.urls")),
    path("healthz/", core_views.healthz, name="healthz"),
    path("accounts/", include("speechdraft.accounts.urls")),
    path("library/", include("speechdraft.library.urls")),
    path("admin/", admin.site.urls),
]
# MEDIA_ROOT is never served as static files: exported documents are private and are
# downloaded through views that check the owner.
