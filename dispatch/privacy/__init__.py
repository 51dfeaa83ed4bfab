"""Customer-data privacy: consent, the access log, encryption at rest, rights, retention (PRV-*)."""
