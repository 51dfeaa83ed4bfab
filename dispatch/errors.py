"""Domain errors with stable codes; the API layer maps them to HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    error_code = "domain_error"

    def __init__(self, message: str, *, error_code: str | None = None, details=None):
        super().__init__(message)
        self.message = message
        if error_code:
            self.error_code = error_code
        self.details = details or {}


class NotFound(DomainError):
    error_code = "not_found"


class PermissionDenied(DomainError):
    error_code = "permission_denied"


class AuthenticationFailed(DomainError):
    error_code = "authentication_failed"


class Conflict(DomainError):
    error_code = "conflict"


class InvalidTransition(Conflict):
    error_code = "invalid_transition"


class RuleViolation(DomainError):
    error_code = "rule_violation"


class PayloadTooLarge(DomainError):
    """An uploaded file above its size limit (413)."""

    error_code = "payload_too_large"


class UnsupportedMediaType(DomainError):
    """An uploaded file of a type outside the allow-list (415)."""

    error_code = "unsupported_media_type"


class TooManyRequests(DomainError):
    """A public door tried too often (429), e.g. one-time codes per phone (INT-15)."""

    error_code = "too_many_requests"


class LinkInvalid(DomainError):
    """A customer link is tampered, expired, revoked or used for another purpose."""

    error_code = "link_invalid"
