-- Re-assessment proposals are closed by an officer with an outcome and a note (issue 5 follow-up): the proposal
-- stays on record; closing it twice is refused by the service (the row's status is the lock).
alter table reassessment_proposals add column closure text check (closure in ('actioned', 'dismissed'));
alter table reassessment_proposals add column closure_note text;
alter table reassessment_proposals add column closed_by text;
alter table reassessment_proposals add column closed_at timestamptz;
alter table reassessment_proposals add constraint reassessment_proposals_closed_check check (
  (status = 'open' and closure is null and closed_at is null)
  or (status = 'closed' and closure is not null and closure_note is not null and closed_at is not null)
);
