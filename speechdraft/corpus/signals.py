from django.dispatch import Signal

# Sent after a document's speeches were stored (created or rebuilt), in the storing
# transaction: sender=SourceDocument, document=the instance, parsed=the ParsedFile of the
# speeches stored for it (a copy's material is that of the speech it copies). Other apps keep
# their derived data current from it (the library its mined phrases, 审稿 its reuse index).
document_stored = Signal()

# Sent when a stored speech becomes a copy of another and its own material goes, in the
# same transaction: sender=Skeleton, document_id, speech_index.
speech_dropped = Signal()

# Sent when a curator (or `ingest --approve`) approves what waits of a document: sender=
# SourceDocument, document. A receiver approves its own material and answers with how many
# rows it approved.
document_approved = Signal()

# Sent when a superuser marks documents 共享 or not, in the same transaction: sender=
# SourceDocument, document_ids, shared. A receiver shares its material drawn from them.
documents_shared = Signal()
