"""Production settings for bench/load.py, with static files collected into the run's own
folder: settings.py fixes STATIC_ROOT to the project's staticfiles/, which other runs share."""

import os

from speechdraft.settings import *  # noqa: F403

STATIC_ROOT = os.environ["LOAD_STATIC_ROOT"]
