"""Issue 17: dispatch, on-site and follow-up rows (DSP, VCH, FUP)."""
