"""Signals of the drafts app, for the apps built on it (review) to follow without drafts
importing them."""

from django.dispatch import Signal

# Sent once a change of a draft has committed: sender=Draft, draft_id, owner_id.
draft_changed = Signal()
