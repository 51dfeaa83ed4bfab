"""The public web form: a request from a customer who confirmed their phone by SMS code (INT-15)."""
