-- D3: a person may take reminders as a daily digest; such mails wait for the digest hour and go
-- out bundled per recipient.
ALTER TABLE outbox ADD COLUMN digest boolean NOT NULL DEFAULT false;
