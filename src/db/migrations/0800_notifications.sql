-- Notifications (issue 6): a case deadline is announced once before it falls due (deadline reminders job).
alter table case_deadlines add column reminded_at timestamptz;
