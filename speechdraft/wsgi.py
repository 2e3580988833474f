import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")

application = get_wsgi_application()

# Tuning for the web server's processes only (gunicorn and runserver load this module; workers,
# management commands and tests do not). Everything loaded so far (Django, the apps, their
# modules) lives as long as the process: move it out of the cyclic GC's sight. Full collections
# otherwise walked some 170,000 such objects and paused requests for 30-60 ms (measured in
# bench/editor.py).
gc.collect()
gc.freeze()
# A request allocates tens of thousands of short-lived objects (rows, segments, HTML pieces);
# collecting the young generation less often triggers far fewer full passes.
gc.set_threshold(20_000, 20, 20)
