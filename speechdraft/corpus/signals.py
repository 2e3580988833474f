from django.dispatch import Signal

# Sent after a document's speeches were stored (created or rebuilt): sender=SourceDocument,
# document=the instance. Other apps keep their derived data current from it.
document_stored = Signal()
