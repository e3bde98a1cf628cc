-- Notifications outbox (issue 6 item 8): outgoing e-mails and webhook calls written in the same transaction as the
-- change that causes them, delivered by the job queue with retries; webhook subscriptions managed by administrators.

create table webhook_subscriptions (
  id uuid primary key,
  url text not null,
  events jsonb not null,
  secret text not null,
  description text not null default '',
  created_by text not null,
  created_at timestamptz not null default now(),
  removed_at timestamptz
);
create index webhook_subscriptions_active_idx on webhook_subscriptions (created_at) where removed_at is null;

create table outbox_messages (
  id uuid primary key,
  kind text not null check (kind in ('email', 'webhook')),
  event text not null,
  recipient text not null,
  subscription_id uuid references webhook_subscriptions (id),
  organisation_id uuid references organisations (id),
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  max_attempts integer not null,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index outbox_messages_status_idx on outbox_messages (status, created_at);
