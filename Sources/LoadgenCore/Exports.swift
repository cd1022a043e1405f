// The wire formats (WhatsApp envelopes, signatures, JSON, URLs, upstream rows) are part of the core's
// vocabulary: a scenario, a plan and a report speak them. Importing LoadgenCore imports them too.
@_exported import Wire
