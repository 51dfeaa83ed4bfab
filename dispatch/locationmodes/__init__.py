"""Where a job's work happens (on site, workshop, customer drop-off) and the appointments each
mode needs (VCH-17, APT-3)."""
