"""Parts per job (VCH-16): needed → ordered → ready → used."""
