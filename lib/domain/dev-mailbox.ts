// The dev mailbox (/admin/mailbox) holds the mails a portal without SMTP would have sent; they are
// a developer's view of recent traffic, not a record, so old ones are deleted.

/** How long the dev mailbox keeps a mail before the nightly prune deletes it. */
export const MAILBOX_RETENTION_DAYS = 30;
