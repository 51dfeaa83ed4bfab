"""Assessments (VCH-5): a supervisor approves diagnosis and solution before the customer."""
