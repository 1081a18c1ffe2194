"""connector.checkpoints: found records are written once, with their links and digests (COPY on PostgreSQL)."""

import pytest
from django.db import transaction

from connector.checkpoints import CheckpointBuffer, insert_found
from connector.models import ExecutionRecord, RecordState
from tests.factories import PrivacyRequestFactory

pytestmark = pytest.mark.django_db


def _rows(privacy_request):
    return {r.record_key: r for r in ExecutionRecord.objects.filter(privacy_request=privacy_request)}


def test_found_records_are_written_once_and_a_later_run_keeps_the_first_write():
    pr = PrivacyRequestFactory()
    insert_found(pr.pk, [("conversation_messages", "IM1", {"sid": "IM1", "author": "a@example.com"}, {"body": "d1"})])
    # A resumed run finds IM1 again (already checkpointed) and IM2 for the first time.
    insert_found(pr.pk, [("conversation_messages", "IM1", {"sid": "other"}, {}), ("user", "US1", {"sid": "US1"}, {})])
    rows = _rows(pr)
    assert set(rows) == {"IM1", "US1"}
    assert rows["IM1"].links == {"sid": "IM1", "author": "a@example.com"}
    assert rows["IM1"].digest == {"body": "d1"}
    assert rows["US1"].collection == "user"
    assert {(r.state, r.verified) for r in rows.values()} == {("found", False)}


def test_batches_in_one_transaction_never_see_each_others_rows():
    first, second = PrivacyRequestFactory(), PrivacyRequestFactory()
    with transaction.atomic():
        insert_found(first.pk, [("user", "US1", {}, {})])
        insert_found(second.pk, [("user", "US2", {}, {})])
    assert set(_rows(first)) == {"US1"}
    assert set(_rows(second)) == {"US2"}


def test_the_buffer_marks_records_that_already_hold_the_masked_values():
    pr = PrivacyRequestFactory()
    buffer = CheckpointBuffer(pr.pk)
    buffer.found("conversation_messages", "IM1", {"sid": "IM1"}, {}, already_masked=True)
    buffer.found("conversation_messages", "IM2", {"sid": "IM2"}, {"body": "d2"})
    buffer.flush()
    rows = _rows(pr)
    assert (rows["IM1"].state, rows["IM2"].state) == (RecordState.MASKED, RecordState.FOUND)
    assert buffer.counts["conversation_messages"] == 2
