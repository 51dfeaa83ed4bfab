"""Visit photos (before/after, captioned), uploaded in resumable chunks."""
