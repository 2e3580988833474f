import pytest

from speechdraft.drafts.services import draft_create


@pytest.fixture
def draft(alice):
    return draft_create(owner=alice, title="在全市工作会议上的讲话", meeting_name="全市工作会议")


def outline(draft):
    """The draft as the reader sees it: (number, heading or body start) in reading order."""
    from speechdraft.drafts.selectors import draft_nodes
    from speechdraft.drafts.snapshot import draft_variables
    from speechdraft.text.outline import render_blocks, slot_values

    roots = draft_nodes(draft)
    blocks = render_blocks(roots, draft.numbering, slot_values(roots, draft_variables(draft)))
    return [
        (b.number, b.heading_text or (b.body_texts[0][:12] if b.body_texts else "")) for b in blocks
    ]
